import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { jobRegistry } from '../../jobs/jobs.ts';
import { createWorker } from '../../jobs/worker.ts';
import { seedActivePocs, type SeededPoc } from '../../testing/checks.ts';
import { eachEngine, type EngineContext } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { spawnServe, type ServeChild } from '../../testing/serve.process.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';

// Communication checks under faults (issue 5, "Bad input and faults"): a campaign to 386 POCs
// (193 States × 2) over real SMTP, the worker killed with SIGKILL in the middle and restarted, and
// two `cadre serve` processes draining one campaign together.
//
// What the job system guarantees (src/jobs/): a job is held by one worker at a time (a lease,
// claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, by SQLite's single writer), and every write
// after the claim is fenced by (locked_by, attempts). The mail.check handler sends only while its
// target is still 'queued' and marks it 'sent' right after the SMTP server accepted the message.
// So a message goes out twice only if a worker died after the SMTP server's 250 and before that
// UPDATE — at most one extra copy per lease the dead worker held — and the copy carries the same
// Message-ID (<check.TARGETID@host>, from the target), which lets the far side drop it. Two live
// workers never send twice: neither can hold a job the other holds.

const SECRET = Buffer.alloc(32, 7);
const POCS = 386;
const CHECK_ID = /^<check\.([0-9a-f-]{36})@cadre\.test>$/;

function checkMails(smtp: SmtpSink): ReceivedMail[] {
  return smtp.messages.filter((m) => CHECK_ID.test(m.parsed.messageId ?? ''));
}

function perAddress(mails: ReceivedMail[]): Map<string, ReceivedMail[]> {
  const byAddress = new Map<string, ReceivedMail[]>();
  for (const m of mails) for (const r of m.recipients) byAddress.set(r, [...(byAddress.get(r) ?? []), m]);
  return byAddress;
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

eachEngine('communication checks under faults: 386 POCs, kill -9, two workers', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let pocs: SeededPoc[];
  let secretariat: Awaited<ReturnType<typeof enrolledClient>>;
  const children: ServeChild[] = [];

  after(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await app?.close();
    await smtp?.close();
  });

  const serve = async (from: string, worker: { leaseSeconds: number; pollMs: number; concurrency?: number }): Promise<ServeChild> => {
    const c: EngineContext = ctx();
    const child = await spawnServe({ dataDir: c.dataDir, databaseUrl: c.databaseUrl, smtpUrl: smtp.url, mailFrom: from, secretHex: SECRET.toString('hex'), worker });
    children.push(child);
    return child;
  };

  /** Starts a campaign to every active POC through the API; returns its id once its 386 jobs are queued. */
  const startCampaign = async (): Promise<string> => {
    smtp.messages.length = 0;
    await secretariat.client.get('/checks');
    const res = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'exercise' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().targets, POCS);
    return res.json().id as string;
  };

  const targetsOf = (campaignId: string) => ctx().database.db.selectFrom('check_target').select(['id', 'address', 'status']).where('campaign_id', '=', campaignId).execute();

  const jobsOf = async (campaignId: string) => {
    const ids = (await targetsOf(campaignId)).map((t) => `mail.check:${t.id}`);
    return ctx().database.db.selectFrom('job').select(['idempotency_key', 'status', 'attempts', 'locked_by']).where('idempotency_key', 'in', ids).execute();
  };

  /** Every POC got its e-mail, every target is sent, every job done. */
  const assertAllSent = async (campaignId: string) => {
    const targets = await targetsOf(campaignId);
    assert.equal(targets.length, POCS);
    assert.deepEqual([...new Set(targets.map((t) => t.status))], ['sent']);
    assert.deepEqual([...new Set((await jobsOf(campaignId)).map((j) => j.status))], ['done']);
    const got = perAddress(checkMails(smtp));
    assert.deepEqual([...got.keys()].sort(), pocs.map((p) => p.address).sort(), 'every POC and no one else received the check');
  };

  test('setup: 386 active POCs, two in each of the 193 States', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url, secret: SECRET });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    pocs = await seedActivePocs(ctx().database, POCS);
    assert.equal(new Set(pocs.map((p) => p.state)).size, 193);
  });

  test('a campaign to 386 POCs over real SMTP: each POC receives exactly one e-mail, every target ends sent', async () => {
    const campaignId = await startCampaign();
    const worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), pollMs: 0 });
    assert.equal(await worker.drain(), POCS);
    assert.equal(await worker.drain(), 0, 'nothing left to send');
    await assertAllSent(campaignId);
    for (const [address, mails] of perAddress(checkMails(smtp))) assert.equal(mails.length, 1, `${address} received ${mails.length} e-mails`);
    const api = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json();
    assert.deepEqual(api.counts, { queued: 0, sent: POCS, undeliverable: 0, acknowledged: 0, overdue: 0 });
  });

  test('the worker killed with SIGKILL mid-campaign and another started: one e-mail per POC, or a resend with the same Message-ID for a lease the dead worker held', async () => {
    // A short lease, so the survivor takes over the dead worker's jobs within seconds (300 s in production).
    const doomed = await serve('doomed@cadre.test', { leaseSeconds: 2, pollMs: 20 });
    const campaignId = await startCampaign();
    await waitFor('the first e-mails', () => checkMails(smtp).length >= 40);
    doomed.process.kill('SIGKILL');
    const { signal } = await doomed.exited;
    assert.equal(signal, 'SIGKILL');
    const acceptedBeforeKill = checkMails(smtp).length;
    assert.ok(acceptedBeforeKill < POCS, `killed in the middle (${acceptedBeforeKill} of ${POCS} accepted)`);
    // The leases the dead worker held: the only jobs it can have left half done.
    const orphaned = new Set(
      (await jobsOf(campaignId)).filter((j) => j.status === 'running' && j.locked_by === doomed.workerId).map((j) => j.idempotency_key.slice('mail.check:'.length)),
    );
    assert.ok(orphaned.size <= 4, `at most the worker's concurrency (4) in flight, found ${orphaned.size}`);

    const survivor = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), pollMs: 0 });
    await waitFor(
      'the survivor to finish the campaign (after the dead worker’s leases expire)',
      async () => {
        await survivor.drain();
        return (await jobsOf(campaignId)).every((j) => j.status === 'done');
      },
      30_000,
    );
    await assertAllSent(campaignId);

    let resent = 0;
    for (const [address, mails] of perAddress(checkMails(smtp))) {
      if (mails.length === 1) continue;
      resent++;
      assert.equal(mails.length, 2, `${address} received ${mails.length} e-mails`);
      const ids = new Set(mails.map((m) => m.parsed.messageId));
      assert.equal(ids.size, 1, `the resend to ${address} carries the Message-ID of the first copy`);
      const targetId = CHECK_ID.exec(mails[0]!.parsed.messageId!)![1]!;
      assert.ok(orphaned.has(targetId), `the resend to ${address} is of a job the killed worker held`);
      assert.deepEqual(new Set(mails.map((m) => m.parsed.headers.get('x-cadre-check'))).size, 1, 'with the same token');
    }
    assert.ok(resent <= orphaned.size, `at most one resend per killed lease (${resent} resent, ${orphaned.size} leases)`);
    const taken = (await jobsOf(campaignId)).filter((j) => orphaned.has(j.idempotency_key.slice('mail.check:'.length)));
    assert.ok(taken.every((j) => j.attempts === 2), 'each orphaned job ran once more, after its lease expired');
    process.stdout.write(`# kill -9 after ${acceptedBeforeKill} of ${POCS} accepted; ${orphaned.size} leases orphaned; ${resent} resent with the same Message-ID\n`);
  });

  test('two cadre serve processes on one database draining the same campaign: exactly one e-mail per POC, both of them sending', async () => {
    const [a, b] = await Promise.all([serve('worker-a@cadre.test', { leaseSeconds: 30, pollMs: 20 }), serve('worker-b@cadre.test', { leaseSeconds: 30, pollMs: 20 })]);
    const campaignId = await startCampaign();
    await waitFor('every job done', async () => (await jobsOf(campaignId)).every((j) => j.status === 'done'));
    await assertAllSent(campaignId);
    for (const [address, mails] of perAddress(checkMails(smtp))) assert.equal(mails.length, 1, `${address} received ${mails.length} e-mails`);
    const bySender = new Map<string, number>();
    for (const m of checkMails(smtp)) bySender.set(m.parsed.from!.value[0]!.address!, (bySender.get(m.parsed.from!.value[0]!.address!) ?? 0) + 1);
    assert.ok((bySender.get('worker-a@cadre.test') ?? 0) > 0 && (bySender.get('worker-b@cadre.test') ?? 0) > 0, `both processes sent: ${JSON.stringify([...bySender])}`);
    assert.ok((await jobsOf(campaignId)).every((j) => j.attempts === 1), 'no job was claimed twice');
    for (const c of [a, b]) {
      c.process.kill('SIGTERM');
      assert.equal((await c.exited).code, 0);
    }
    process.stdout.write(`# two workers: ${JSON.stringify(Object.fromEntries(bySender))}\n`);
  });
});
