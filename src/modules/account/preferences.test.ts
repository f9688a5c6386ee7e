import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';
import { up as pocTimeZones } from '../../db/migrations/2026120704_poc_time_zones.ts';

eachEngine('account preferences: language and time zone', (ctx) => {
  let app: App;
  test('setup', async () => {
    app = await testApp(ctx());
  });

  test('dates read in UTC until a time zone is chosen, then in that zone; the choice is audited', async () => {
    const { client, user } = await enrolledClient(app, 'tz@example.org', 'poc', 'IND');
    let page = await client.get('/account');
    assert.match(page.body, /<select id="timeZone" name="timeZone"/);
    assert.match(page.body, /<option value="Asia\/Kolkata">Asia\/Kolkata \(UTC\+05:30\)<\/option>/);
    assert.match(page.body, /\bUTC<\/td>/, 'the session table reads in UTC');
    const res = await client.post('/account/preferences', { language: '', timeZone: 'Asia/Kolkata' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?done=preferences#preferences');
    page = await client.get('/account?done=preferences');
    assert.match(page.body, /Your preferences are saved/);
    assert.match(page.body, /<option value="Asia\/Kolkata" selected>/);
    assert.match(page.body, /GMT\+5:30<\/td>/, 'the session table reads in Kolkata time');
    const stored = await app.cadre.database.db.selectFrom('app_user').select(['time_zone', 'locale']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { time_zone: 'Asia/Kolkata', locale: null });
    const events = await listAuditEvents(app.cadre.database.db, { action: 'account.preferences-changed', limit: 5 });
    assert.ok(events.some((e) => e.target_id === user.id && e.details.includes('Asia/Kolkata')));
  });

  test('a saved language is used wherever the request names none, and e-mails follow it', async () => {
    const { client, user } = await enrolledClient(app, 'langue@example.org', 'poc', 'SEN');
    await client.get('/account');
    await client.post('/account/preferences', { language: 'fr', timeZone: 'Africa/Dakar' });
    client.cookies.delete('cadre_lang');
    const page = await client.get('/account', { 'accept-language': 'en-GB,en;q=0.9' });
    assert.match(page.body, /<html lang="fr"/);
    assert.match(page.body, /Langue et fuseau horaire/);
    assert.match(page.body, /<dt>État<\/dt><dd>Sénégal<\/dd>/, 'the State by its name, in the page’s language');
    // A language named in the address still wins for that request.
    assert.match((await client.get('/account?lang=es')).body, /<html lang="es"/);
    const stored = await app.cadre.database.db.selectFrom('app_user').select('locale').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(stored.locale, 'fr');
    // Back to "as my browser asks": the browser's language again.
    await client.post('/account/preferences', { language: '', timeZone: '' });
    client.cookies.delete('cadre_lang');
    assert.match((await client.get('/account', { 'accept-language': 'ru' })).body, /<html lang="ru"/);
  });

  test('a point of contact without a time zone of its own reads dates in its entry’s; the migration gives it to earlier ones', async () => {
    const { client, user } = await enrolledClient(app, 'cert@ke.example', 'poc', 'KEN');
    const admin = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    await admin.client.get('/directory');
    const res = await admin.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['cert@ke.example'], kind: 'technical', name: 'KE-CERT', timeZone: 'Africa/Nairobi' }));
    assert.equal(res.statusCode, 201, res.body);
    const zone = async () => (await app.cadre.database.db.selectFrom('app_user').select('time_zone').where('id', '=', user.id).executeTakeFirstOrThrow()).time_zone;
    assert.equal(res.json().entry.status, 'active');
    assert.equal(await zone(), 'Africa/Nairobi');
    assert.match((await client.get('/account')).body, /<option value="Africa\/Nairobi" selected>/);
    await app.cadre.database.db.updateTable('app_user').set({ time_zone: null }).where('id', '=', user.id).execute();
    await pocTimeZones(app.cadre.database.db as never);
    assert.equal(await zone(), 'Africa/Nairobi');
  });

  test('an unknown language or time zone is refused field by field, in the user’s language, and nothing is saved', async () => {
    const { client, user } = await enrolledClient(app, 'faux@example.org', 'poc', 'FRA');
    await client.get('/account');
    const res = await client.post('/account/preferences?lang=fr', { language: 'xx', timeZone: 'Mars/Olympus_Mons' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="language-error"[^>]*>Choisissez l’une des six langues/);
    assert.match(res.body, /id="timeZone-error"[^>]*>«\u00a0Mars\/Olympus_Mons\u00a0» n’est pas un fuseau horaire connu de Cadre/);
    const tooLong = await client.post('/account/preferences', { language: 'en', timeZone: 'x'.repeat(100) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /id="timeZone-error"/);
    const stored = await app.cadre.database.db.selectFrom('app_user').select(['time_zone', 'locale']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { time_zone: null, locale: null });
  });

  test('without the CSRF token, or signed out, nothing is saved', async () => {
    const { client, user } = await enrolledClient(app, 'csrf@example.org', 'poc', 'KEN');
    await client.get('/account');
    const forged = await client.post('/account/preferences', { language: 'ar', timeZone: 'UTC' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    const anonymous = await new TestClient(app).post('/account/preferences', { language: 'ar', timeZone: 'UTC' });
    assert.ok([303, 403].includes(anonymous.statusCode));
    const stored = await app.cadre.database.db.selectFrom('app_user').select('locale').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(stored.locale, null);
  });
});
