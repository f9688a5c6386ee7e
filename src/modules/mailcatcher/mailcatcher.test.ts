import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { currentTotp } from '../../auth/totp.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../demo.ts';
import { startServer, type RunningServer } from '../../server.ts';
import { testApp, testConfig, TestClient } from '../../testing/app.ts';
import { eachEngine } from '../../testing/engines.ts';
import { startSmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import { inviteUser, OPERATOR } from '../users/user.service.ts';
import type { App } from '../../web/types.ts';
import { insertCaughtMail, listCaughtMail } from './mailcatcher.repository.ts';

const LINK = /http:\/\/cadre\.test\/enrol\/[A-Za-z0-9_-]{43}/;

/** Signs in as a published demo account, through the sign-in form. */
async function demoClient(app: App, email: string, ip: string): Promise<TestClient> {
  const account = DEMO_ACCOUNTS.find((a) => a.email === email);
  assert.ok(account);
  const client = new TestClient(app, ip);
  await client.get('/sign-in');
  const res = await client.post('/sign-in', { email, password: DEMO_PASSWORD, code: currentTotp(account.totpSecret) });
  assert.equal(res.statusCode, 303, `${email} signs in`);
  return client;
}

/** Resolves with the first line the server at host:port says, or rejects if it cannot be reached. */
function greeting(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('data', (data) => {
      resolve(data.toString('utf8'));
      socket.destroy();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('timeout'));
    });
    socket.once('error', reject);
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

eachEngine('the demo mail catcher', (ctx) => {
  const db = () => ctx().database.db;

  test('demo without SMTP_URL: an invitation goes over SMTP to the catcher, and the Secretariat reads it, link included, on /mail', async () => {
    const server: RunningServer = await startServer(testConfig(ctx(), { demo: true, port: 0, host: '127.0.0.1' }), { worker: { pollMs: 20 } });
    try {
      const catcher = server.mailCatcher;
      assert.ok(catcher, 'a catcher runs');
      assert.equal(catcher.host, '127.0.0.1');
      assert.equal(server.app.cadre.config.smtpUrl, `smtp://127.0.0.1:${catcher.port}`, 'the app sends its mail to the catcher');
      assert.match(await greeting('127.0.0.1', catcher.port), /^220 /, 'an SMTP server answers on loopback');

      const secretariat = await demoClient(server.app, 'secretariat@demo.cadre.example', '192.0.2.10');
      await secretariat.get('/users');
      const invited = await secretariat.json('POST', '/api/v1/users', { email: 'new.poc@ke.example', role: 'poc', state: 'KEN' });
      assert.equal(invited.statusCode, 201);
      assert.equal(invited.json().mailed, true, 'with the catcher, the invitation is e-mailed rather than handed to the inviter');
      assert.equal(invited.json().enrolmentLink, undefined);

      // The running server's worker sends it; nobody drains by hand.
      const caught = await waitFor(async () => (await listCaughtMail(db())).find((m) => JSON.parse(m.recipients).includes('new.poc@ke.example')), 'the caught invitation');
      const row = await db().selectFrom('caught_mail').selectAll().where('id', '=', caught.id).executeTakeFirstOrThrow();
      assert.equal(row.mail_from, server.app.cadre.config.mailFrom.replace(/^.*<|>$/g, ''));
      assert.ok(row.message_id);
      assert.ok(row.raw_size > row.text.length);

      const list = await secretariat.get('/mail');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /data-demo-only/, 'the page says it exists only in demo mode');
      assert.match(list.body, /only in demo mode/);
      assert.ok(list.body.includes(`href="/mail/${caught.id}"`));
      assert.ok(list.body.includes('new.poc@ke.example'));
      assert.ok(list.body.includes(row.subject));
      assert.match(list.body, /<a href="\/mail"[^>]*>Caught mail<\/a>/, 'the Secretariat has the link in the navigation');

      const page = await secretariat.get(`/mail/${caught.id}`);
      assert.equal(page.statusCode, 200);
      const pre = /<pre[^>]*data-caught-text[^>]*>([\s\S]*?)<\/pre>/.exec(page.body);
      assert.ok(pre, 'the text part is shown in a <pre>');
      const link = LINK.exec(pre[1]!)?.[0];
      assert.ok(link, 'the enrolment link is in the text, as text');
      assert.ok(!page.body.includes(`href="${link}"`), 'the HTML part is never put into the page');
      assert.ok(page.body.includes(`href="/mail/${caught.id}.html"`));
      assert.ok(row.html?.includes(`href="${link}"`), 'the HTML part was kept');

      // The HTML part on its own page, sandboxed: no script, no form, no outside content, opaque origin.
      const html = await secretariat.get(`/mail/${caught.id}.html`);
      assert.equal(html.statusCode, 200);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      const csp = String(html.headers['content-security-policy']);
      assert.match(csp, /^sandbox;/);
      assert.doesNotMatch(csp, /allow-/);
      assert.match(csp, /default-src 'none'/);
      assert.equal(html.body, row.html);

      // The newcomer follows the link as the invitee would: the enrolment page opens.
      const invitee = new TestClient(server.app, '192.0.2.11');
      const enrol = await invitee.get(new URL(link).pathname);
      assert.equal(enrol.statusCode, 200);
      assert.match(enrol.body, /data-totp-secret/);

      // A State admin is refused every page of the catcher; so is anyone signed out.
      const admin = await demoClient(server.app, 'admin.ken@demo.cadre.example', '192.0.2.12');
      for (const path of ['/mail', `/mail/${caught.id}`, `/mail/${caught.id}.html`]) {
        const refused = await admin.get(path);
        assert.equal(refused.statusCode, 403, path);
        assert.ok(!refused.body.includes('new.poc@ke.example'), path);
        const anonymous = await new TestClient(server.app, '192.0.2.13').get(path);
        assert.equal(anonymous.statusCode, 303, path);
        assert.match(String(anonymous.headers.location), /^\/sign-in\?next=/);
      }
      assert.doesNotMatch((await admin.get('/users')).body, /href="\/mail"/, 'and has no link to it');

      // Loopback only: the same port on this machine's other addresses is closed.
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((i) => i && !i.internal && i.family === 'IPv4')
        .map((i) => i!.address);
      for (const address of others) {
        await assert.rejects(greeting(address, catcher.port), `nothing listens on ${address}:${catcher.port}`);
      }
    } finally {
      await server.stop();
    }
  });

  test('the catcher keeps only the newest messages', async () => {
    await db().deleteFrom('caught_mail').execute();
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) {
      await insertCaughtMail(
        db(),
        { id: `00000000-0000-4000-8000-00000000000${i}`, received_at: new Date(base + i * 1000).toISOString(), mail_from: 'a@b.example', recipients: '["x@y.example"]', subject: `message ${i}`, message_id: null, text: '', html: null, raw_size: 10 },
        3,
      );
    }
    assert.deepEqual((await listCaughtMail(db())).map((m) => m.subject), ['message 4', 'message 3', 'message 2']);
  });

  test('with SMTP_URL set, demo mode runs no catcher and mail goes to that server', async () => {
    await db().deleteFrom('caught_mail').execute();
    const smtp = await startSmtpSink();
    const server = await startServer(testConfig(ctx(), { demo: true, smtpUrl: smtp.url, port: 0, host: '127.0.0.1' }), { worker: { pollMs: 20 } });
    try {
      assert.equal(server.mailCatcher, null);
      assert.equal(server.app.cadre.config.smtpUrl, smtp.url);
      await inviteUser(server.app.cadre, OPERATOR, { email: 'relayed@ke.example', role: 'poc', state: 'KEN' });
      await waitFor(async () => smtp.to('relayed@ke.example')[0], 'the relayed invitation');
      assert.deepEqual(await listCaughtMail(db()), []);
    } finally {
      await server.stop();
      await smtp.close();
    }
  });

  test('outside demo mode there is no /mail, even for the Secretariat, and no link to it', async () => {
    const app = await testApp(ctx());
    try {
      const { client } = await enrolledClient(app, 'sec.mail@un.example', 'secretariat');
      const res = await client.get('/mail');
      assert.equal(res.statusCode, 404);
      assert.doesNotMatch((await client.get('/users')).body, /href="\/mail"/);
    } finally {
      await app.close();
    }
  });
});
