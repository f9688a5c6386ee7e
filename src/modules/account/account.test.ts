import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { currentTotp, totpAt } from '../../auth/totp.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient, TEST_PASSWORD } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { inviteUser, OPERATOR } from '../users/user.service.ts';

eachEngine('enrolment, sign-in and sessions', (ctx) => {
  let app: App;
  test('setup', async () => {
    app = await testApp(ctx(), { sessionIdleSeconds: 3600 });
  });

  test('an invited user enrols once: password, TOTP, recovery codes, signed in', async () => {
    const { client, recoveryCodes, enrolPath, user } = await enrolledClient(app, 'enrol@example.org', 'poc', 'FRA');
    assert.equal(recoveryCodes.length, 10);
    const account = await client.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /enrol@example\.org/);
    // The stored invitation is a hash, never the token.
    const token = enrolPath.split('/').pop()!;
    const rows = await ctx().database.db.selectFrom('invitation').selectAll().where('user_id', '=', user.id).execute();
    assert.ok(rows.every((r) => r.token_hash !== token && r.token_hash.length === 64));
    // The link is single-use: a second visit is refused with a clear page and an audit event.
    const again = await new TestClient(app).get(enrolPath);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /already been used/);
    const refusals = await listAuditEvents(ctx().database.db, { action: 'user.enrolment.refused', limit: 5 });
    assert.ok(refusals.some((e) => e.target_id === user.id && e.details.includes('used')));
  });

  test('an expired invitation is refused', async () => {
    const inv = await inviteUser(app.cadre, OPERATOR, { email: 'late@example.org', role: 'poc', state: 'KEN' }, { delivery: 'link' });
    await ctx().database.db.updateTable('invitation').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', inv.user.id).execute();
    const res = await new TestClient(app).get(new URL(inv.link).pathname);
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /expired/);
  });

  test('enrolment refuses a short password and a wrong code, field by field, and keeps the link usable', async () => {
    const inv = await inviteUser(app.cadre, OPERATOR, { email: 'careful@example.org', role: 'poc', state: 'KEN' }, { delivery: 'link' });
    const path = new URL(inv.link).pathname;
    const client = new TestClient(app);
    const page = await client.get(path);
    const secret = /data-totp-secret[^>]*>([A-Z2-7]+)</.exec(page.body)![1]!;
    let res = await client.post(path, { password: 'short', confirm: 'short', code: currentTotp(secret) });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="password-error"[^>]*>Choose a password of at least 12 characters/);
    res = await client.post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD, code: '000000' === currentTotp(secret) ? '111111' : '000000' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="code-error"/);
    res = await client.post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD, code: currentTotp(secret) });
    assert.equal(res.statusCode, 200);
  });

  test('sign-in with password and TOTP; a wrong code gets its own message and an audit event', async () => {
    const { secret } = await enrolledClient(app, 'signin@example.org', 'state-admin', 'KEN');
    const client = new TestClient(app);
    await client.get('/sign-in');
    const wrong = currentTotp(secret) === '123456' ? '654321' : '123456';
    let res = await client.post('/sign-in', { email: 'signin@example.org', password: TEST_PASSWORD, code: wrong });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /verification code is wrong/);
    const failed = await listAuditEvents(ctx().database.db, { action: 'auth.sign-in.failed', limit: 5 });
    assert.ok(failed.some((e) => e.details.includes('wrong-totp')));
    assert.ok(failed.every((e) => !e.details.includes(TEST_PASSWORD) && !e.details.includes(wrong)), 'no secret in the log');

    // The enrolment spent the current code; a clock one step ahead gives the next one.
    res = await client.post('/sign-in', { email: 'SIGNIN@example.org', password: TEST_PASSWORD, code: totpAt(secret, 1), next: '/account' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    assert.equal((await client.get('/account')).statusCode, 200);
  });

  test('a TOTP code is accepted once: replaying it is refused', async () => {
    const { secret } = await enrolledClient(app, 'replay@example.org', 'poc', 'KEN');
    const first = new TestClient(app);
    await first.get('/sign-in');
    const code = totpAt(secret, 1);
    assert.equal((await first.post('/sign-in', { email: 'replay@example.org', password: TEST_PASSWORD, code })).statusCode, 303);
    const replay = new TestClient(app);
    await replay.get('/sign-in');
    const res = await replay.post('/sign-in', { email: 'replay@example.org', password: TEST_PASSWORD, code });
    assert.equal(res.statusCode, 401);
    const older = await replay.post('/sign-in', { email: 'replay@example.org', password: TEST_PASSWORD, code: currentTotp(secret) });
    assert.equal(older.statusCode, 401, 'nor an earlier step once a later one was used');
    const failed = await listAuditEvents(ctx().database.db, { action: 'auth.sign-in.failed', limit: 5 });
    assert.ok(failed.some((e) => e.details.includes('reused-totp')));
  });

  test('the session is rotated at sign-in and an open redirect is refused', async () => {
    const { secret, recoveryCodes } = await enrolledClient(app, 'rotate@example.org', 'poc', 'KEN');
    const client = new TestClient(app);
    await client.get('/sign-in');
    await client.post('/sign-in', { email: 'rotate@example.org', password: TEST_PASSWORD, code: totpAt(secret, 1) });
    const first = client.cookies.get('cadre_session');
    await client.get('/account'); // a page whose forms carry the signed-in CSRF token
    const res = await client.post('/sign-in', { email: 'rotate@example.org', password: TEST_PASSWORD, code: recoveryCodes[0]!, next: '//evil.example/' });
    assert.equal(res.headers.location, '/');
    const second = client.cookies.get('cadre_session');
    assert.ok(first && second && first !== second);
    const old = new TestClient(app);
    old.cookies.set('cadre_session', first!);
    assert.equal((await old.get('/account')).statusCode, 303, 'the old session no longer works');
  });

  test('a recovery code works once', async () => {
    const { recoveryCodes } = await enrolledClient(app, 'recover@example.org', 'poc', 'KEN');
    const client = new TestClient(app);
    await client.get('/sign-in');
    let res = await client.post('/sign-in', { email: 'recover@example.org', password: TEST_PASSWORD, code: recoveryCodes[0]!.toUpperCase() });
    assert.equal(res.statusCode, 303);
    const other = new TestClient(app);
    await other.get('/sign-in');
    res = await other.post('/sign-in', { email: 'recover@example.org', password: TEST_PASSWORD, code: recoveryCodes[0]! });
    assert.equal(res.statusCode, 401);
  });

  test('repeated failures grow a delay, even for the right password', async () => {
    await enrolledClient(app, 'locked@example.org', 'poc', 'KEN');
    const client = new TestClient(app, '10.9.9.9');
    await client.get('/sign-in');
    let res;
    for (let i = 0; i < 5; i++) res = await client.post('/sign-in', { email: 'locked@example.org', password: 'wrong password!', code: '123456' });
    assert.equal(res!.statusCode, 429);
    assert.match(res!.body, /Too many failed attempts/);
    assert.ok(Number(res!.headers['retry-after']) >= 1);
    res = await client.post('/sign-in', { email: 'locked@example.org', password: TEST_PASSWORD, code: '123456' });
    assert.equal(res.statusCode, 429, 'locked even with the right password');
  });

  test('an expired session gets a clear message, an audit event and a redirect to sign in', async () => {
    const { client, user } = await enrolledClient(app, 'idle@example.org', 'poc', 'KEN');
    await ctx().database.db.updateTable('session').set({ last_seen_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', user.id).execute();
    const res = await client.get('/account');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /expired=1/);
    const page = await client.get(String(res.headers.location));
    assert.match(page.body, /Your session has expired/);
    const expired = await listAuditEvents(ctx().database.db, { action: 'auth.session-expired', limit: 5 });
    assert.ok(expired.some((e) => e.target_id === user.id));
    const api = await client.json('GET', '/api/v1/users');
    assert.equal(api.statusCode, 401);
  });

  test('sign out everywhere ends every session of the user', async () => {
    const { client, secret } = await enrolledClient(app, 'everywhere@example.org', 'poc', 'KEN');
    const second = new TestClient(app);
    await second.get('/sign-in');
    await second.post('/sign-in', { email: 'everywhere@example.org', password: TEST_PASSWORD, code: totpAt(secret, 1) });
    assert.equal((await second.get('/account')).statusCode, 200);
    await client.get('/account');
    const res = await client.post('/account/sign-out-everywhere', {});
    assert.equal(res.statusCode, 303);
    assert.equal((await second.get('/account')).statusCode, 303);
    const { n } = (await sql<{ n: number }>`select count(*) as n from session s join app_user u on u.id = s.user_id where u.email = 'everywhere@example.org'`.execute(ctx().database.db)).rows[0]!;
    assert.equal(Number(n), 0);
  });

  test('teardown', async () => {
    await app.close();
  });
});
