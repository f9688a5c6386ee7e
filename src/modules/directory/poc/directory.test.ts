import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { currentTotp } from '../../../auth/totp.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp, TestClient } from '../../../testing/app.ts';
import { enrolledClient, TEST_PASSWORD } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody, pocForm } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

/** Follows an enrolment link the way the invited POC would, and returns their signed-in client. */
async function enrolThroughLink(app: App, link: string): Promise<TestClient> {
  const client = new TestClient(app);
  const path = new URL(link).pathname;
  const page = await client.get(path);
  const secret = /data-totp-secret[^>]*>([A-Z2-7]+)</.exec(page.body)?.[1];
  assert.ok(secret, 'the enrolment page shows a secret');
  const done = await client.post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD, code: currentTotp(secret) });
  assert.equal(done.statusCode, 200);
  return client;
}

eachEngine('points of contact: nomination, enrolment, confidentiality', (ctx) => {
  let app: App;
  let secretariat: Enrolled;
  let adminFra: Enrolled;
  let adminKen: Enrolled;
  let pocKen: Enrolled;
  let stakeholder: Enrolled;
  let entryId = '';
  let pocFra: TestClient;

  test('setup', async () => {
    app = await testApp(ctx());
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    pocKen = await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    stakeholder = await enrolledClient(app, 'ngo@example.org', 'stakeholder');
  });

  test('a State admin nominates through the form; without SMTP the enrolment link is shown once', async () => {
    const form = await adminFra.client.get('/directory/nominate');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="nominationRef"/);
    const res = await adminFra.client.post('/directory/entries', pocForm());
    assert.equal(res.statusCode, 201);
    const link = /data-enrolment-link[^>]*>([^<]+)</.exec(res.body)?.[1]?.trim();
    assert.ok(link?.includes('/enrol/'));
    entryId = /href="\/directory\/entries\/([0-9a-f-]{36})"/.exec(res.body)![1]!;
    const entry = await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`);
    assert.equal(entry.statusCode, 200);
    assert.equal(entry.json().status, 'pending');
    assert.deepEqual(entry.json().phones, [{ number: '+33153595000', label: 'office' }]);
    assert.equal(entry.json().emails.length, 0, 'the address counts once the POC has proved it');
    const events = await listAuditEvents(app.cadre.database.db, { action: 'poc.nominated', limit: 500 });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.state_iso3, 'FRA');
    assert.match(events[0]!.details, /NV\/2026\/123/);

    pocFra = await enrolThroughLink(app, link!);
    const active = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.equal(active.status, 'active');
    assert.deepEqual(active.emails, ['claire.dubois@cert.example.fr']);
    const history = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}/history`)).json();
    assert.deepEqual(history.revisions.map((r: { change: string }) => r.change), ['activated', 'nominated']);
  });

  test('bad input: a field-level message for each field, in the user’s language, and nothing written', async () => {
    const res = await adminFra.client.post(
      '/directory/entries?lang=fr',
      pocForm({ emails: 'pas-une-adresse', phone_0: '+33 12', timeZone: 'Mars/Olympus', lang_fr: '', lang_en: '', otherLanguages: 'qq', nominationDate: '2026-02-30' }),
    );
    assert.equal(res.statusCode, 400);
    for (const id of ['emails-error', 'phones-error', 'timeZone-error', 'languages-error', 'nominationDate-error']) assert.match(res.body, new RegExp(`id="${id}"`), id);
    assert.match(res.body, /n’est pas une adresse électronique/);
    assert.match(res.body, /n’est pas un numéro de téléphone valide/);
    const api = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['x@y.example'], timeZone: 'Nowhere/City', pgpKey: 'not a key' }));
    assert.equal(api.statusCode, 400);
    assert.deepEqual(api.json().errors.map((e: { field: string }) => e.field).sort(), ['pgpKey', 'timeZone']);
    const count = await app.cadre.database.db.selectFrom('poc').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test('a duplicate (same State, same address) is refused with a pointer to the existing entry', async () => {
    const res = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ kind: 'diplomatic' }));
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().related, `/directory/entries/${entryId}`);
    const page = await adminFra.client.post('/directory/entries', pocForm({ kind: 'diplomatic' }));
    assert.equal(page.statusCode, 409);
    assert.match(page.body, new RegExp(`href="/directory/entries/${entryId}"`));
  });

  test('reciprocity: a State with no active POC sees who takes part, not the contacts', async () => {
    assert.equal((await pocKen.client.get(`/directory/entries/${entryId}`)).statusCode, 404);
    assert.equal((await pocKen.client.json('GET', `/api/v1/directory/entries/${entryId}`)).statusCode, 404);
    const list = await pocKen.client.get('/directory');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /Claire Dubois/);
    assert.match(list.body, /notice-warn/);
    const state = (await pocKen.client.json('GET', '/api/v1/directory/states/FRA')).json();
    assert.equal(state.participates, true);
    assert.deepEqual(state.entries, []);
  });

  test('once its own POC is active, another State reads the contact, and the view is audited', async () => {
    await adminKen.client.get('/directory');
    const nominated = await adminKen.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@ke.example'], name: 'Wanjiru Kamau', timeZone: 'Africa/Nairobi', nominationRef: 'KE/NV/9' }));
    assert.equal(nominated.statusCode, 201);
    assert.equal(nominated.json().entry.status, 'active', 'the address already belongs to an enrolled POC of Kenya');
    assert.equal(nominated.json().invitation, null);
    const page = await pocKen.client.get(`/directory/entries/${entryId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /claire\.dubois@cert\.example\.fr/);
    assert.match(page.body, /\+33153595000/);
    assert.doesNotMatch(page.body, /NV\/2026\/123.*activated/s, 'the history is for the entry’s own State');
    const views = await listAuditEvents(app.cadre.database.db, { action: 'poc.viewed', limit: 500 });
    assert.ok(views.some((v) => v.target_id === entryId && v.actor_label === 'poc@ke.example' && v.state_iso3 === 'FRA'));
    const ownViews = views.filter((v) => v.actor_label === 'admin@fr.example');
    assert.equal(ownViews.length, 0, 'a State reading its own entries is not a view by another State');
  });

  test('the public, stakeholders and regional organisations without consent see no contact', async () => {
    const anon = new TestClient(app);
    const page = await anon.get(`/directory/entries/${entryId}`);
    assert.equal(page.statusCode, 303);
    assert.equal((await anon.get('/api/v1/directory/entries', { accept: 'application/json' })).statusCode, 401);
    assert.equal((await stakeholder.client.get('/directory')).statusCode, 403);
    assert.equal((await stakeholder.client.json('GET', `/api/v1/directory/entries/${entryId}`)).statusCode, 403);
    const participation = await anon.get('/directory/participation');
    assert.equal(participation.statusCode, 200);
    assert.doesNotMatch(participation.body, /Claire|claire|Wanjiru/);
  });

  test('search filters: kind, language, group, text, reachable now', async () => {
    const search = async (q: string) => ((await pocKen.client.json('GET', `/api/v1/directory/entries?${q}`)).json().entries as { name: string }[]).map((e) => e.name).sort();
    assert.deepEqual(await search(''), ['Claire Dubois', 'Wanjiru Kamau']);
    assert.deepEqual(await search('group=WEOG'), ['Claire Dubois']);
    assert.deepEqual(await search('q=kamau'), ['Wanjiru Kamau']);
    assert.deepEqual(await search('language=es'), []);
    assert.deepEqual(await search('kind=diplomatic'), []);
    assert.deepEqual(await search('reachable=1'), ['Claire Dubois', 'Wanjiru Kamau']);
    assert.deepEqual(await search('organisation=OSCE'), ['Claire Dubois']);
    const page = await pocKen.client.get('/directory?q=dubois&lang=ar');
    assert.match(page.body, /dir="rtl"/);
    assert.match(page.body, /Claire Dubois/);
  });

  test('an update keeps the old address in use until the new one is verified', async () => {
    const edit = await adminFra.client.get(`/directory/entries/${entryId}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="claire\.dubois@cert\.example\.fr"/);
    const res = await adminFra.client.post(`/directory/entries/${entryId}`, pocForm({ emails: 'c.dubois@cert.example.fr', title: 'Directrice', nominationRef: 'NV/2026/200' }));
    assert.equal(res.statusCode, 200, 'without SMTP the page hands over the verification link');
    assert.match(res.body, /data-verification-link[^>]*>http:\/\/cadre\.test\/directory\/verify\//);
    const entry = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.equal(entry.title, 'Directrice');
    assert.deepEqual(entry.emails, ['claire.dubois@cert.example.fr']);
    const page = await adminFra.client.get(`/directory/entries/${entryId}`);
    assert.match(page.body, /c\.dubois@cert\.example\.fr/);
    const api = await adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}`, pocBody({ emails: ['c.dubois@cert.example.fr', 'cert-fr@cert.example.fr'], title: 'Directrice', nominationRef: 'NV/2026/201' }));
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().verificationLinks.length, 1, 'the API hands over the new address’s link too');
    assert.deepEqual(api.json().emails, ['claire.dubois@cert.example.fr']);
    await adminKen.client.get(`/directory/entries/${entryId}`);
    assert.equal((await adminKen.client.post(`/directory/entries/${entryId}`, pocForm())).statusCode, 403, 'another State reads it but cannot change it');
  });

  test('confirming moves "confirmed until"; with the clock past it the entry is lapsed', async () => {
    const before = (await pocFra.json('GET', `/api/v1/directory/entries/${entryId}`)).json().confirmedUntil as string;
    app.cadre.clock = () => new Date(Date.parse(before) + 86_400_000);
    const lapsed = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.equal(lapsed.lapsed, true);
    const overview = (await secretariat.client.json('GET', '/api/v1/directory/overview')).json();
    assert.equal(overview.states.find((s: { state: string }) => s.state === 'FRA').lapsed, 1);
    await pocFra.get(`/directory/entries/${entryId}`);
    const confirm = await pocFra.post(`/directory/entries/${entryId}/confirm`, {});
    assert.equal(confirm.statusCode, 303);
    const after = (await pocFra.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.equal(after.lapsed, false);
    assert.ok(Date.parse(after.confirmedUntil) > Date.parse(before) + 150 * 86_400_000);
    assert.equal((await pocKen.client.json('POST', `/api/v1/directory/entries/${entryId}/confirm`)).statusCode, 403, 'another State reads it but cannot confirm it');
    delete app.cadre.clock;
  });

  test('a State page follows each change to an entry, the clock and the reader’s language (its cards are kept between changes)', async () => {
    const statePage = async (query = '?lang=en') => (await pocKen.client.get(`/directory/states/FRA${query}`)).body;
    const first = await statePage();
    assert.match(first, /Directrice/);
    assert.doesNotMatch(first, /Confirmation lapsed/);
    assert.equal(await statePage(), first, 'unchanged, the same page');
    const put = await adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}`, pocBody({ emails: ['claire.dubois@cert.example.fr'], title: 'Directrice générale', nominationRef: 'NV/2026/202' }));
    assert.equal(put.statusCode, 200);
    assert.match(await statePage(), /Directrice générale/);
    const until = (await pocKen.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json().confirmedUntil as string;
    app.cadre.clock = () => new Date(Date.parse(until) + 86_400_000);
    assert.match(await statePage(), /Confirmation lapsed/);
    delete app.cadre.clock;
    assert.doesNotMatch(await statePage(), /Confirmation lapsed/);
    assert.match(await statePage('?lang=fr'), /Titulaire/);
    assert.match(await statePage('?lang=en'), /Primary/);
  });

  test('the search page marks an entry lapsed at the very instant it lapses, the same minute or not (its rows are kept in between)', async () => {
    const searchPage = async () => (await pocKen.client.get('/directory?q=dubois&lang=en')).body;
    const lapsedBadge = /<span class="badge badge-warn">Confirmation lapsed<\/span>/;
    const until = Date.parse((await pocKen.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json().confirmedUntil as string);
    app.cadre.clock = () => new Date(until - 1);
    const before = await searchPage();
    assert.match(before, /Claire Dubois/);
    assert.doesNotMatch(before, lapsedBadge);
    assert.equal(await searchPage(), before, 'unchanged, the same page');
    app.cadre.clock = () => new Date(until + 1);
    assert.match(await searchPage(), lapsedBadge);
    app.cadre.clock = () => new Date(until - 1);
    assert.doesNotMatch(await searchPage(), lapsedBadge, 'a clock set back is followed too');
    app.cadre.clock = () => new Date(until + 86_400_000);
    assert.match(await searchPage(), lapsedBadge, 'a day later');
    delete app.cadre.clock;
  });

  test('the Secretariat oversees every State but nominates nobody', async () => {
    const page = await secretariat.client.get('/directory/overview?show=none');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /data-state="FRA"/);
    assert.match(page.body, /data-state="BRA"/);
    assert.equal((await secretariat.client.get('/directory/nominate')).statusCode, 403);
    assert.equal((await secretariat.client.json('GET', `/api/v1/directory/entries/${entryId}`)).statusCode, 200);
    assert.equal((await adminFra.client.get('/directory/overview')).statusCode, 403);
  });

  test('exports: CSV, JSON and vCard of what the reader may see, audited for other States', async () => {
    const csv = await pocKen.client.get('/directory/export.csv?state=FRA');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /Claire Dubois/);
    const json = JSON.parse((await pocKen.client.get('/directory/export.json')).body);
    assert.equal(json.format, 'cadre-directory');
    assert.equal(json.entries.length, 2);
    const vcf = await pocKen.client.get(`/directory/entries/${entryId}/vcard`);
    assert.match(vcf.body, /^BEGIN:VCARD\r\nVERSION:4\.0/);
    const print = await pocKen.client.get('/directory/print');
    assert.match(print.body, /claire\.dubois@cert\.example\.fr/);
    const events = await listAuditEvents(app.cadre.database.db, { action: 'poc.viewed', limit: 500 });
    assert.ok(events.some((e) => /export\.csv/.test(e.details)));
    assert.equal((await stakeholder.client.get('/directory/export.csv')).statusCode, 403);
  });

  test('withdrawal: the entry leaves the directory, the POC account is disabled, the history stays', async () => {
    const res = await adminFra.client.json('POST', `/api/v1/directory/entries/${entryId}/withdraw`, { nominationRef: 'NV/2026/300', nominationDate: '2026-11-24' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'withdrawn');
    assert.equal((await pocKen.client.get(`/directory/entries/${entryId}`)).statusCode, 404);
    assert.equal((await pocFra.get('/directory')).statusCode, 303, 'the withdrawn POC is signed out');
    const history = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}/history`)).json();
    assert.equal(history.revisions[0].change, 'withdrawn');
    const participation = (await new TestClient(app).get('/api/v1/directory/participation')).json();
    assert.equal(participation.participating, 1);
  });
});
