import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { main, type CliIo } from '../cli/main.ts';
import { jobRegistry } from '../jobs/jobs.ts';
import { createWorker, type Worker } from '../jobs/worker.ts';
import { inviteUser, OPERATOR } from '../modules/users/user.service.ts';
import { startServer } from '../server.ts';
import { testApp, testConfig, TestClient } from '../testing/app.ts';
import { eachEngine } from '../testing/engines.ts';
import { publishedKey } from '../crypto/signing-key.ts';
import { Gpg } from '../testing/gpg.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../testing/smtp.ts';
import { enrolledClient, TEST_PASSWORD } from '../testing/users.ts';
import { currentTotp } from '../auth/totp.ts';
import { translator } from '../web/i18n.ts';
import type { App } from '../web/types.ts';
import { INVITATION_MAIL_KIND, invitationMailJob, invitationMailKey } from './invitation.job.ts';

const gpg = new Gpg();
after(() => gpg.close());

const LINK = /http:\/\/cadre\.test\/enrol\/([A-Za-z0-9_-]{43})/;

/** The enrolment link of a received message, found in its plain text; the HTML must carry the same. */
function linkIn(mail: ReceivedMail): { url: string; token: string } {
  const m = LINK.exec(mail.parsed.text ?? '');
  assert.ok(m, 'the message has an enrolment link');
  assert.ok(typeof mail.parsed.html === 'string' && mail.parsed.html.includes(`href="${m[0]}"`), 'the HTML part links to it too');
  return { url: m[0], token: m[1]! };
}

/** Follows an enrolment link as the invitee would, to the end. */
async function enrolThrough(app: App, url: string): Promise<number> {
  const client = new TestClient(app);
  const path = new URL(url).pathname;
  const page = await client.get(path);
  const secret = /data-totp-secret[^>]*>([A-Z2-7]+)</.exec(page.body)?.[1];
  assert.ok(secret, `the enrolment page opens (status ${page.statusCode})`);
  const done = await client.post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD, code: currentTotp(secret) });
  return done.statusCode;
}

function capture(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), text: () => lines.join('\n') };
}

eachEngine('invitation e-mails through the job table', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let worker: Worker;
  let secretariat: Awaited<ReturnType<typeof enrolledClient>>;
  let adminFra: Awaited<ReturnType<typeof enrolledClient>>;
  const tokens: string[] = [];
  const db = () => ctx().database.db;

  test('setup', async () => {
    smtp = await startSmtpSink({ refuse: (address) => address.startsWith('nobody') });
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    // The worker of a server, run by hand; no wait between retries.
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
  });

  test('a State admin invites on the French page: the page says e-mailed, one French e-mail arrives, its link enrols', async () => {
    const { client } = adminFra;
    await client.get('/users/new?lang=fr');
    const page = await client.post('/users', { email: 'nouveau.poc@fr.example', role: 'poc', state: 'FRA' });
    assert.equal(page.statusCode, 201);
    assert.match(page.body, /data-invitation-mailed/);
    assert.match(page.body, /en cours d’envoi par courriel à nouveau\.poc@fr\.example/);
    assert.doesNotMatch(page.body, /data-enrolment-link|\/enrol\//, 'the inviter never sees the link');
    const user = await db().selectFrom('app_user').select('id').where('email', '=', 'nouveau.poc@fr.example').executeTakeFirstOrThrow();
    const queued = await client.json('GET', `/api/v1/users/${user.id}`);
    assert.equal(queued.json().invitationEmail.status, 'queued');

    assert.equal(await worker.drain(), 1);
    const received = smtp.to('nouveau.poc@fr.example');
    assert.equal(received.length, 1, 'exactly one message');
    const mail = received[0]!;
    const fr = translator('fr');
    assert.equal(mail.parsed.subject, fr('mail.invitation.subject'));
    assert.equal(mail.parsed.headers.get('content-language'), 'fr');
    assert.equal(mail.parsed.headers.get('auto-submitted'), 'auto-generated');
    assert.deepEqual(mail.parsed.from?.value.map((a) => [a.name, a.address]), [['Cadre', 'no-reply@cadre.test']]);
    const text = mail.parsed.text ?? '';
    assert.match(text, /^Bonjour,/);
    assert.ok(text.includes('Invitation adressée par\u00a0: Administrateur de l’État, France'), text);
    assert.ok(text.includes('Votre rôle\u00a0: Point de contact, France'), text);
    assert.match(text, /expire le \d{1,2} [a-zé.]+ \d{4}/, 'the expiry, in French');
    assert.doesNotMatch(mail.raw, /admin@fr\.example/, "the inviter's address is not in the message");
    assert.match(String(mail.parsed.html), /<html lang="fr" dir="ltr">/);
    // Signed by Cadre's published key, text and HTML together (all mail Cadre sends is signed).
    const published = await publishedKey(db(), app.cadre.config);
    gpg.importKey(published.armored);
    const signed = gpg.verifySignedMail(mail, published.fingerprint);
    assert.match(signed, /^Content-Type: multipart\/alternative;/);
    assert.match(signed, /Content-Type: text\/plain; charset=utf-8/);
    assert.match(signed, /Content-Type: text\/html; charset=utf-8/);
    const invitation = await db().selectFrom('invitation').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(mail.parsed.messageId, `<invitation.${invitation.id}@cadre.test>`);
    const sent = await client.json('GET', `/api/v1/users/${user.id}`);
    assert.equal(sent.json().invitationEmail.status, 'sent');
    const detail = await client.get(`/users/${user.id}`);
    assert.match(detail.body, /data-mail-status="sent"[^>]*>Accepté par le serveur de messagerie le /);

    const { url, token } = linkIn(mail);
    tokens.push(token);
    assert.equal(await enrolThrough(app, url), 200);
    const row = await db().selectFrom('app_user').select('status').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');

    assert.equal(await worker.drain(), 0, 'a second drain runs nothing');
    assert.equal(smtp.to('nouveau.poc@fr.example').length, 1, 'and sends nothing');
    const key = invitationMailKey(invitation.id);
    const job = await db().selectFrom('job').select('payload').where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    assert.equal(await invitationMailJob(app.cadre).enqueue(db(), JSON.parse(job.payload), { idempotencyKey: key }), false, 'the same invitation cannot be queued twice');
  });

  test('the Secretariat resets an account: the reset e-mail, in English, names the Secretariat and carries a working new link', async () => {
    const { client } = secretariat;
    const pocFra = await db().selectFrom('app_user').select('id').where('email', '=', 'nouveau.poc@fr.example').executeTakeFirstOrThrow();
    await client.get(`/users/${pocFra.id}?lang=en`);
    const page = await client.post(`/users/${pocFra.id}/reset`, {});
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sign-in for nouveau\.poc@fr\.example has been reset/);
    assert.match(page.body, /The link is being e-mailed to nouveau\.poc@fr\.example/);
    assert.doesNotMatch(page.body, /\/enrol\//);
    assert.equal(await worker.drain(), 1);
    const received = smtp.to('nouveau.poc@fr.example');
    assert.equal(received.length, 2);
    const mail = received[1]!;
    assert.equal(mail.parsed.subject, 'Set up your sign-in to Cadre again');
    assert.ok((mail.parsed.text ?? '').includes('Reset by: Secretariat\nYour role: Point of contact, France'), mail.parsed.text);
    const { url, token } = linkIn(mail);
    assert.ok(!tokens.includes(token), 'a new link');
    tokens.push(token);
    assert.equal(await enrolThrough(app, url), 200);
  });

  test('a recipient the SMTP server refuses (550): the job retries, then fails, and the page and API say so', async () => {
    const { client } = adminFra;
    await client.get('/users?lang=en');
    const res = await client.json('POST', '/api/v1/users', { email: 'nobody@fr.example', role: 'poc', state: 'FRA' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().mailed, true);
    assert.equal('enrolmentLink' in res.json(), false, 'no link in the API response when mailed');
    const id: string = res.json().user.id;

    assert.equal(await worker.runOnce(), 1);
    const afterOne = await client.json('GET', `/api/v1/users/${id}`);
    assert.equal(afterOne.json().invitationEmail.status, 'retrying');
    let page = await client.get(`/users/${id}`);
    assert.match(page.body, /data-mail-status="retrying"[^>]*>Not sent yet/);

    assert.equal(await worker.drain(), 7, 'attempts 2 to 8');
    const job = await db().selectFrom('job').selectAll().where('kind', '=', INVITATION_MAIL_KIND).where('status', '=', 'failed').executeTakeFirstOrThrow();
    assert.equal(job.attempts, 8);
    assert.equal(job.max_attempts, 8);
    assert.match(job.last_error ?? '', /550/);
    assert.equal(smtp.to('nobody@fr.example').length, 0);
    const api = await client.json('GET', `/api/v1/users/${id}`);
    assert.equal(api.json().invitationEmail.status, 'failed');
    assert.equal(api.json().status, 'invited');
    page = await client.get(`/users/${id}`);
    assert.match(page.body, /data-mail-status="failed"[^>]*>Could not be sent, and Cadre has stopped trying/);
    assert.doesNotMatch(page.body, /Accepted by the mail server/);
    assert.equal(await worker.drain(), 0, 'a failed job is not run again');
  });

  test('the token is never in the job table nor in the audit log, in any form the database could show', async () => {
    assert.ok(tokens.length >= 2);
    const jobs = await db().selectFrom('job').selectAll().where('kind', '=', INVITATION_MAIL_KIND).execute();
    assert.ok(jobs.length >= 3);
    for (const job of jobs) {
      assert.deepEqual(Object.keys(JSON.parse(job.payload)).sort(), ['invitationId', 'language', 'purpose', 'sealedToken', 'userId']);
    }
    const audit = await db().selectFrom('audit_event').selectAll().execute();
    assert.ok(audit.some((e) => e.action === 'user.invited' && e.details.includes('"delivery":"mail"')));
    const everything = JSON.stringify([jobs, audit]);
    for (const token of tokens) {
      for (const form of [token, Buffer.from(token, 'base64url').toString('hex'), Buffer.from(token, 'base64url').toString('base64')]) {
        assert.ok(!everything.includes(form), 'token found in the job table or the audit log');
      }
    }
  });

  test('without SMTP the link is handed back as before, and no job is queued', async () => {
    const plain = await testApp(ctx());
    try {
      const client = new TestClient(plain);
      client.cookies = new Map(adminFra.client.cookies);
      await client.get('/users');
      const res = await client.json('POST', '/api/v1/users', { email: 'by.hand@fr.example', role: 'poc', state: 'FRA' });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().mailed, false);
      assert.match(res.json().enrolmentLink, LINK);
      const invitation = await db().selectFrom('invitation').select('id').where('user_id', '=', res.json().user.id).executeTakeFirstOrThrow();
      assert.equal(await db().selectFrom('job').select('id').where('idempotency_key', '=', invitationMailKey(invitation.id)).executeTakeFirst(), undefined);
      assert.equal((await client.json('GET', `/api/v1/users/${res.json().user.id}`)).json().invitationEmail, undefined);
    } finally {
      await plain.close();
    }
  });

  test('cadre user add queues the e-mail when SMTP is set, and --print-link prints the link instead', async () => {
    // testConfig's secret is 32 bytes of 7.
    const env = { CADRE_DATA_DIR: ctx().dataDir, CADRE_SECRET: '\x07'.repeat(32), BASE_URL: 'http://cadre.test', SMTP_URL: smtp.url, ...(ctx().databaseUrl ? { DATABASE_URL: ctx().databaseUrl } : {}) };
    let io = capture();
    assert.equal(await main(['user', 'add', '--email', 'op.invited@un.example', '--role', 'secretariat', '--lang', 'es'], io, env), 0);
    assert.match(io.text(), /queued to be e-mailed to op\.invited@un\.example/);
    assert.doesNotMatch(io.text(), /\/enrol\//);
    io = capture();
    assert.equal(await main(['user', 'add', '--email', 'op.printed@un.example', '--role', 'secretariat', '--print-link'], io, env), 0);
    assert.match(io.text(), /http:\/\/cadre\.test\/enrol\/[A-Za-z0-9_-]{43}/);
    io = capture();
    assert.equal(await main(['user', 'add', '--email', 'x@un.example', '--role', 'secretariat', '--lang', 'de'], io, env), 2);

    // The command line sealed the token under the same CADRE_SECRET as the app: any worker of the installation sends it.
    assert.equal(await worker.drain(), 1);
    const [mail] = smtp.to('op.invited@un.example');
    assert.ok(mail);
    assert.equal(mail.parsed.subject, 'Su invitación a Cadre');
    assert.ok((mail.parsed.text ?? '').includes('Invitación enviada por: el operador de esta instalación de Cadre'), mail.parsed.text);
    assert.ok((mail.parsed.text ?? '').includes('Su función: Secretaría\n'), mail.parsed.text);
  });

  test('teardown', async () => {
    await app.close();
    await smtp.close();
  });
});

eachEngine('the server runs the job worker', (ctx) => {
  test('an invitation made on a running server is e-mailed without anyone draining', async () => {
    const smtp = await startSmtpSink();
    const server = await startServer(testConfig(ctx(), { smtpUrl: smtp.url, port: 0, host: '127.0.0.1' }), { worker: { pollMs: 20 } });
    try {
      await inviteUser(server.app.cadre, OPERATOR, { email: 'poc@ke.example', role: 'poc', state: 'KEN' }, { language: 'ru' });
      const deadline = Date.now() + 10_000;
      while (smtp.to('poc@ke.example').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const [mail] = smtp.to('poc@ke.example');
      assert.ok(mail, 'the server sent the invitation');
      assert.equal(mail.parsed.subject, 'Приглашение в Cadre');
      assert.ok((mail.parsed.text ?? '').includes('Ваша роль: Контактное лицо, Кения'), mail.parsed.text);
    } finally {
      await server.stop();
      await smtp.close();
    }
    assert.equal(smtp.to('poc@ke.example').length, 1);
  });
});
