import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { sha256Hex } from '../../auth/crypto.ts';
import { currentTotp } from '../../auth/totp.ts';
import { SoftAuthenticator } from '../../testing/authenticator.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient, TEST_PASSWORD } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';

const ORIGIN = 'http://cadre.test'; // testConfig's BASE_URL: RP ID cadre.test

eachEngine('passkeys', (ctx) => {
  let app: App;
  test('setup', async () => {
    app = await testApp(ctx(), { sessionIdleSeconds: 3600 });
  });

  const db = () => ctx().database.db;
  const details = (e: { details: string }) => JSON.parse(e.details) as Record<string, unknown>;

  /** The account page's registration, as passkeys.js drives it. */
  async function addPasskey(client: TestClient, name = 'Work laptop', authenticator = new SoftAuthenticator(ORIGIN)) {
    await client.get('/account');
    const options = await client.json('POST', '/account/passkeys/options', {});
    assert.equal(options.statusCode, 200, options.body);
    const res = await client.json('POST', '/account/passkeys', { name, response: authenticator.register(options.json()) });
    return { res, authenticator };
  }

  async function registeredPasskey(client: TestClient, name?: string) {
    const { res, authenticator } = await addPasskey(client, name);
    assert.equal(res.statusCode, 201, res.body);
    return authenticator;
  }

  /** The sign-in page's passkey button: options, the authenticator's answer, the verification. */
  async function passkeySignIn(client: TestClient, authenticator: SoftAuthenticator, opts: Parameters<SoftAuthenticator['assert']>[1] = {}) {
    await client.get('/sign-in');
    const options = await client.json('POST', '/sign-in/passkey/options', {});
    assert.equal(options.statusCode, 200, options.body);
    const body = { response: authenticator.assert(options.json(), opts), next: '/account' };
    return { res: await client.json('POST', '/sign-in/passkey', body), body };
  }

  const lastFailure = async (userId: string | null) => {
    const events = await listAuditEvents(db(), { action: 'auth.sign-in.failed', limit: 50 });
    return events.find((e) => e.target_id === userId && details(e).method === 'passkey');
  };

  test('full ceremony: a passkey is registered, listed, then signs in alone and reaches /account', async () => {
    const { client, user } = await enrolledClient(app, 'pk.owner@example.org', 'poc', 'FRA', '10.1.0.1');
    const authenticator = await registeredPasskey(client, 'Work laptop');

    const stored = await db().selectFrom('passkey').selectAll().where('id', '=', authenticator.id).executeTakeFirstOrThrow();
    assert.equal(stored.user_id, user.id);
    assert.equal(stored.name, 'Work laptop');
    assert.equal(stored.counter, 0);
    assert.equal(stored.transports, '["internal"]');
    assert.equal(stored.last_used_at, null);
    const registered = await listAuditEvents(db(), { action: 'passkey.registered', targetId: user.id, limit: 5 });
    assert.equal(registered.length, 1);
    assert.equal(details(registered[0]!).credentialId, authenticator.id);

    const account = await client.get('/account');
    assert.match(account.body, /<td>Work laptop<\/td>/);
    assert.ok(account.body.includes(`action="/account/passkeys/${authenticator.id}/delete"`));
    assert.match(account.body, /<script src="\/static\/passkeys\.js" type="module"><\/script>/);

    const browser = new TestClient(app, '10.1.0.2');
    const { res } = await passkeySignIn(browser, authenticator);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { redirect: '/account' });
    assert.ok(browser.cookies.get('cadre_session'), 'a session cookie is set');
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /pk\.owner@example\.org/);

    const signIns = await listAuditEvents(db(), { action: 'auth.sign-in', targetId: user.id, limit: 5 });
    assert.equal(details(signIns[0]!).method, 'passkey');
    const used = await db().selectFrom('passkey').selectAll().where('id', '=', authenticator.id).executeTakeFirstOrThrow();
    assert.equal(used.counter, 1);
    assert.ok(used.last_used_at);
    assert.equal(await db().selectFrom('webauthn_challenge').select('id').where('user_id', '=', user.id).executeTakeFirst(), undefined, 'the registration challenge is spent');
  });

  test('signing in with a passkey rotates the session, as password sign-in does', async () => {
    const { client } = await enrolledClient(app, 'pk.rotate@example.org', 'poc', 'KEN', '10.2.0.1');
    const authenticator = await registeredPasskey(client);
    const before = client.cookies.get('cadre_session')!;
    const { res } = await passkeySignIn(client, authenticator);
    assert.equal(res.statusCode, 200, res.body);
    assert.notEqual(client.cookies.get('cadre_session'), before);
    const stale = new TestClient(app, '10.2.0.2');
    stale.cookies.set('cadre_session', before);
    assert.equal((await stale.get('/account')).statusCode, 303, 'the previous session ended');
  });

  test('a challenge is good once: replayed, expired and registration challenges are refused and audited', async () => {
    const { client, user } = await enrolledClient(app, 'pk.replay@example.org', 'poc', 'FRA', '10.3.0.1');
    const authenticator = await registeredPasskey(client);
    const browser = new TestClient(app, '10.3.0.2');
    const { res, body } = await passkeySignIn(browser, authenticator);
    assert.equal(res.statusCode, 200, res.body);

    const attacker = new TestClient(app, '10.3.0.3');
    await attacker.get('/sign-in');
    const replay = await attacker.json('POST', '/sign-in/passkey', body);
    assert.equal(replay.statusCode, 401);
    assert.match(replay.json().detail, /passkey was not accepted/);
    assert.equal(details((await lastFailure(user.id))!).reason, 'unknown-challenge');

    // Expired: the row is still there but past its five minutes.
    const late = new TestClient(app, '10.3.0.4');
    await late.get('/sign-in');
    const options = (await late.json('POST', '/sign-in/passkey/options', {})).json() as { challenge: string; rpId: string };
    await db().updateTable('webauthn_challenge').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', sha256Hex(options.challenge)).execute();
    const expired = await late.json('POST', '/sign-in/passkey', { response: authenticator.assert(options) });
    assert.equal(expired.statusCode, 401);
    assert.equal(details((await lastFailure(user.id))!).reason, 'expired-challenge');
    assert.equal(await db().selectFrom('webauthn_challenge').select('id').where('id', '=', sha256Hex(options.challenge)).executeTakeFirst(), undefined);

    // A registration challenge is not a sign-in challenge.
    await client.get('/account');
    const reg = (await client.json('POST', '/account/passkeys/options', {})).json() as { challenge: string; rp: { id: string } };
    const crossed = await late.json('POST', '/sign-in/passkey', { response: authenticator.assert({ challenge: reg.challenge, rpId: reg.rp.id }) });
    assert.equal(crossed.statusCode, 401);
    assert.equal(details((await lastFailure(user.id))!).reason, 'unknown-challenge');
  });

  test('a signature from another key, another origin or without user verification is refused and audited', async () => {
    const { client, user } = await enrolledClient(app, 'pk.forged@example.org', 'state-admin', 'FRA', '10.4.0.1');
    const authenticator = await registeredPasskey(client);
    const before = await db().selectFrom('passkey').selectAll().where('id', '=', authenticator.id).executeTakeFirstOrThrow();

    const forger = new TestClient(app, '10.4.0.2');
    const { res } = await passkeySignIn(forger, authenticator.impostor());
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(forger.cookies.get('cadre_session'), undefined);
    const failure = (await lastFailure(user.id))!;
    assert.equal(failure.actor_id, user.id);
    assert.equal(failure.state_iso3, 'FRA');
    assert.equal(details(failure).reason, 'bad-signature');

    const phished = await passkeySignIn(forger, authenticator, { origin: 'https://cadre.example.net' });
    assert.equal(phished.res.statusCode, 401);
    assert.equal(details((await lastFailure(user.id))!).reason, 'invalid-response');

    const unverified = await passkeySignIn(forger, authenticator, { flags: { up: true, uv: false } });
    assert.equal(unverified.res.statusCode, 401);

    const after = await db().selectFrom('passkey').selectAll().where('id', '=', authenticator.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, before, 'a refused assertion changes nothing');
  });

  test('passkey failures grow the same delay as passwords, on the same account key', async () => {
    const { client, secret } = await enrolledClient(app, 'pk.locked@example.org', 'poc', 'KEN', '10.5.0.1');
    const authenticator = await registeredPasskey(client);
    const forger = new TestClient(app, '10.5.0.2');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await passkeySignIn(forger, authenticator.impostor())).res.statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    const owner = new TestClient(app, '10.5.0.3');
    const locked = await passkeySignIn(owner, authenticator);
    assert.equal(locked.res.statusCode, 429, 'even the right passkey waits');
    assert.ok(Number(locked.res.headers['retry-after']) >= 1);
    await owner.get('/sign-in');
    const password = await owner.post('/sign-in', { email: 'pk.locked@example.org', password: TEST_PASSWORD, code: currentTotp(secret) });
    assert.equal(password.statusCode, 429, 'one lock for both methods');
  });

  test('a disabled or unknown account cannot sign in with a passkey', async () => {
    const { client, user } = await enrolledClient(app, 'pk.disabled@example.org', 'poc', 'FRA', '10.6.0.1');
    const authenticator = await registeredPasskey(client);
    await db().updateTable('app_user').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    const { res } = await passkeySignIn(new TestClient(app, '10.6.0.2'), authenticator);
    assert.equal(res.statusCode, 401);
    assert.equal(details((await lastFailure(user.id))!).reason, 'account-disabled');

    const stranger = await passkeySignIn(new TestClient(app, '10.6.0.3'), new SoftAuthenticator(ORIGIN));
    assert.equal(stranger.res.statusCode, 401);
    const anonymous = (await lastFailure(null))!;
    assert.equal(anonymous.actor_label, 'anonymous');
    assert.equal(details(anonymous).reason, 'unknown-credential');
  });

  test("only the owner deletes a passkey: another State's user, and another user of the same State, are refused", async () => {
    const { client: owner, user } = await enrolledClient(app, 'pk.fra@example.org', 'poc', 'FRA', '10.7.0.1');
    const authenticator = await registeredPasskey(owner, 'Security key');
    const path = `/account/passkeys/${authenticator.id}/delete`;

    const { client: kenya, user: kenyan } = await enrolledClient(app, 'pk.ken.admin@example.org', 'state-admin', 'KEN', '10.7.0.2');
    await kenya.get('/account');
    const refused = await kenya.post(path, {});
    assert.equal(refused.statusCode, 403);
    const denied = await listAuditEvents(db(), { action: 'access.denied', actorId: kenyan.id, limit: 5 });
    assert.equal(denied.length, 1);
    assert.equal(details(denied[0]!).policy, 'passkey:delete');

    const { client: colleague } = await enrolledClient(app, 'pk.fra.admin@example.org', 'state-admin', 'FRA', '10.7.0.3');
    await colleague.get('/account');
    assert.equal((await colleague.post(path, {})).statusCode, 403);
    assert.doesNotMatch((await kenya.get('/account')).body, /Security key/, "nobody else's page lists it");
    assert.ok(await db().selectFrom('passkey').select('id').where('id', '=', authenticator.id).executeTakeFirst(), 'still there');

    await owner.get('/account');
    assert.equal((await owner.post('/account/passkeys/AAAAAAAAAAAAAAAAAAAAAA/delete', {})).statusCode, 404);
    assert.equal((await owner.post(path, {}, { csrf: false })).statusCode, 403, 'the form needs its CSRF token');
    const deleted = await owner.post(path, {});
    assert.equal(deleted.statusCode, 303);
    assert.equal(deleted.headers.location, '/account?done=passkey-deleted#passkeys');
    assert.equal(await db().selectFrom('passkey').select('id').where('id', '=', authenticator.id).executeTakeFirst(), undefined);
    const audit = await listAuditEvents(db(), { action: 'passkey.deleted', targetId: user.id, limit: 5 });
    assert.equal(audit.length, 1);
    assert.match((await owner.get('/account?done=passkey-deleted')).body, /Passkey deleted/);

    const gone = await passkeySignIn(new TestClient(app, '10.7.0.4'), authenticator);
    assert.equal(gone.res.statusCode, 401, 'a deleted passkey signs in no more');
  });

  test('registration: refused anonymously and without the CSRF header; bound to its user; once per authenticator', async () => {
    const registerChallenges = async () => (await db().selectFrom('webauthn_challenge').select('id').where('purpose', '=', 'register').execute()).length;
    const before = await registerChallenges();
    const anonymous = new TestClient(app, '10.8.0.1');
    await anonymous.get('/sign-in');
    const options = await anonymous.json('POST', '/account/passkeys/options', {});
    assert.equal(options.statusCode, 303);
    assert.match(String(options.headers.location), /^\/sign-in\?next=/);
    const forged = new SoftAuthenticator(ORIGIN).register({ challenge: 'AAAA', rp: { id: 'cadre.test' }, user: { id: 'AAAA' } });
    const register = await anonymous.json('POST', '/account/passkeys', { name: 'Mine now', response: forged });
    assert.equal(register.statusCode, 303);
    assert.equal(await registerChallenges(), before, 'no challenge issued');

    const { client: alice, user: aliceUser } = await enrolledClient(app, 'pk.alice@example.org', 'poc', 'FRA', '10.8.0.2');
    await alice.get('/account');
    const noCsrf = await alice.json('POST', '/account/passkeys/options', {}, { 'x-csrf-token': '' });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().type, '/problems/csrf');

    // Bob answers a challenge that was issued to Alice: refused, and nothing is stored.
    const { client: bob } = await enrolledClient(app, 'pk.bob@example.org', 'poc', 'KEN', '10.8.0.3');
    const aliceOptions = (await alice.json('POST', '/account/passkeys/options', {})).json();
    await bob.get('/account');
    const stolen = await bob.json('POST', '/account/passkeys', { name: 'Stolen', response: new SoftAuthenticator(ORIGIN).register(aliceOptions) });
    assert.equal(stolen.statusCode, 400);
    assert.match(stolen.json().detail, /could not be verified/);
    assert.equal((await db().selectFrom('passkey').select('id').where('name', '=', 'Stolen').execute()).length, 0);
    const refusal = await listAuditEvents(db(), { action: 'passkey.registration.refused', limit: 5 });
    assert.equal(details(refusal[0]!).reason, 'challenge-of-another-user');

    // A name is required; the same authenticator cannot be registered twice.
    const unnamed = await addPasskey(alice, '');
    assert.equal(unnamed.res.statusCode, 400);
    const first = await registeredPasskey(alice, 'Phone');
    const again = await addPasskey(alice, 'Phone again', first);
    assert.equal(again.res.statusCode, 409);
    assert.match(again.res.json().detail, /already registered/);
    const excluded = (await alice.json('POST', '/account/passkeys/options', {})).json() as { excludeCredentials: { id: string }[] };
    assert.deepEqual(
      excluded.excludeCredentials.map((c) => c.id),
      [first.id],
      'the browser is told which authenticator already holds one',
    );
    const rows = await db().selectFrom('passkey').select('id').where('user_id', '=', aliceUser.id).execute();
    assert.equal(rows.length, 1);
  });

  test('the sign-in page offers passkeys only through passkeys.js, which is served', async () => {
    const page = await new TestClient(app, '10.9.0.1').get('/sign-in');
    assert.match(page.body, /<div id="passkey-sign-in" class="passkey-box" hidden>/);
    assert.match(page.body, /data-error-cancelled="[^"]+"/);
    assert.doesNotMatch(page.body, /<script>|<script type="module">|style="/);
    const script = await app.inject('/static/passkeys.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.match(script.body, /PublicKeyCredential/);
  });

  test('teardown', async () => {
    await app.close();
  });
});
