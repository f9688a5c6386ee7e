// Four directory features, each tested end to end through the app: an OpenPGP key about to expire
// warns its owner; "reachable now" follows each entry's own hours and zone; field messages come in
// the reader's language; every directory API route is in the OpenAPI document.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { generateKey, readKey } from 'openpgp';
import { jobRegistry } from '../../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../../jobs/worker.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { startSmtpSink, type SmtpSink } from '../../../testing/smtp.ts';
import { enrolledClient } from '../../../testing/users.ts';
import { formatInstant } from '../../../web/format.ts';
import type { App } from '../../../web/types.ts';
import { sweepFreshness } from './freshness.ts';
import { pocBody, pocForm } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;
const DAY = 86_400_000;

/**
 * A language's messages read straight from the catalogue files (src/web/catalogues/xx.json, then
 * src/modules/NAME/i18n/xx.json and …/PART.xx.json), independently of the app's loader.
 */
function catalogueFiles(lang: string): Record<string, string> {
  const src = new URL('../../../', import.meta.url);
  const merged: Record<string, string> = JSON.parse(readFileSync(new URL(`web/catalogues/${lang}.json`, src), 'utf8'));
  const modules = new URL('modules/', src);
  for (const module of readdirSync(modules)) {
    const dir = new URL(`${module}/i18n/`, modules);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n === `${lang}.json` || n.endsWith(`.${lang}.json`))) {
      Object.assign(merged, JSON.parse(readFileSync(new URL(name, dir), 'utf8')));
    }
  }
  return merged;
}

/** The catalogue's message for `key` in `lang`, with its values filled in. */
function message(lang: string, key: string, values?: Record<string, string>): string {
  const source = catalogueFiles(lang)[key];
  assert.ok(source, `${key} is in the ${lang} catalogue`);
  return String(new IntlMessageFormat(source, lang).format(values));
}

/** Text as the server-side renderer writes it into HTML. */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An OpenPGP public key (curve25519, with an encryption subkey) that expires `days` from now. */
async function keyExpiringIn(days: number, email: string): Promise<{ armored: string; fingerprint: string; expiresAt: string }> {
  const { publicKey } = await generateKey({ userIDs: [{ name: 'POC', email }], keyExpirationTime: days * 86_400, format: 'armored' });
  const key = await readKey({ armoredKey: publicKey });
  const expiry = await key.getExpirationTime();
  assert.ok(expiry instanceof Date);
  return { armored: publicKey, fingerprint: key.getFingerprint().toUpperCase(), expiresAt: expiry.toISOString() };
}

eachEngine('directory: a POC is warned 30 days before their OpenPGP key expires', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let worker: Worker;
  let adminFra: Enrolled;
  let soon: { armored: string; fingerprint: string; expiresAt: string };
  let later: { armored: string; fingerprint: string; expiresAt: string };
  let soonId = '';
  let laterId = '';
  const t0 = new Date();

  after(async () => {
    if (app) delete app.cadre.clock;
    await smtp?.close();
  });

  test('setup: two active entries, one key expiring in 20 days, one in 60, mail through a real SMTP server', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    await enrolledClient(app, 'soon@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'later@fr.example', 'poc', 'FRA');
    soon = await keyExpiringIn(20, 'soon@fr.example');
    later = await keyExpiringIn(60, 'later@fr.example');
    await adminFra.client.get('/directory');
    const a = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['soon@fr.example'], name: 'Sophie Bientôt', pgpKey: soon.armored }));
    assert.equal(a.statusCode, 201, a.body);
    assert.equal(a.json().entry.status, 'active');
    soonId = a.json().entry.id;
    const b = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ kind: 'diplomatic', emails: ['later@fr.example'], name: 'Louis Plutard', pgpKey: later.armored }));
    assert.equal(b.statusCode, 201, b.body);
    assert.equal(b.json().entry.status, 'active');
    laterId = b.json().entry.id;
    await worker.drain();
  });

  test('the sweep mails the owner of the key expiring in 20 days once, and not the one expiring in 60', async () => {
    const before = smtp.messages.length;
    app.cadre.clock = () => t0;
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 0, pgp: 1 });
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 0, pgp: 0 }, 'a second sweep sends nothing new');
    await worker.drain();
    const sent = smtp.messages.slice(before);
    assert.equal(sent.length, 1, 'exactly one warning');
    const [mail] = sent;
    assert.deepEqual(mail!.recipients, ['soon@fr.example']);
    assert.equal(mail!.parsed.subject, message('en', 'mail.directory.pgp.subject'));
    assert.match(mail!.parsed.text ?? '', new RegExp(`http://cadre\\.test/directory/entries/${soonId}/edit`));
    assert.equal(smtp.to('later@fr.example').length, 0, 'no warning for a key 60 days from expiry');
  });

  test('the entry page shows the fingerprint, the expiry date and, within 30 days, a warning', async () => {
    const banner = `<p class="notice notice-warn" role="note">${html(message('en', 'directory.pgpExpiresSoon'))}</p>`;
    const grouped = (fp: string) => fp.match(/.{4}/g)!.join(' ');
    const page = await adminFra.client.get(`/directory/entries/${soonId}?lang=en`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`<code class="mono fingerprint">${grouped(soon.fingerprint)}</code>`), 'fingerprint in groups of four');
    assert.ok(page.body.includes(html(message('en', 'directory.pgpExpires', { date: formatInstant(soon.expiresAt, 'en', 'UTC') }))), 'expiry date');
    assert.ok(page.body.includes(banner), 'the warning banner');
    const calm = await adminFra.client.get(`/directory/entries/${laterId}?lang=en`);
    assert.ok(calm.body.includes(`<code class="mono fingerprint">${grouped(later.fingerprint)}</code>`));
    assert.ok(calm.body.includes(html(message('en', 'directory.pgpExpires', { date: formatInstant(later.expiresAt, 'en', 'UTC') }))));
    assert.ok(!calm.body.includes(banner), 'no banner 60 days before expiry');
  });

  test('35 days on, the other key comes within 30 days: its owner alone is warned, and its page too', async () => {
    const before = smtp.messages.length;
    app.cadre.clock = () => new Date(t0.getTime() + 35 * DAY);
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 0, pgp: 1 });
    await worker.drain();
    const sent = smtp.messages.slice(before);
    assert.deepEqual(sent.map((m) => m.recipients), [['later@fr.example']], 'the first key’s warning is not sent again');
    const page = await adminFra.client.get(`/directory/entries/${laterId}?lang=en`);
    assert.ok(page.body.includes(html(message('en', 'directory.pgpExpiresSoon'))));
    delete app.cadre.clock;
  });
});

/** The next instant after now (1 to 8 days on) that falls on `weekday` (0 = Sunday) at `hour`:00 UTC. */
function nextUtc(weekday: number, hour: number): Date {
  const d = new Date(Date.now() + DAY);
  while (d.getUTCDay() !== weekday) d.setTime(d.getTime() + DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

eachEngine('directory: "reachable now" follows each entry’s hours in its own time zone', (ctx) => {
  let app: App;
  let adminJpn: Enrolled;
  let jpnId = '';
  // Tokyo is UTC+9 all year: Wednesday 02:00 UTC is 11:00 there, 12:00 UTC is 21:00, Saturday 02:00 UTC is Saturday 11:00.
  const inside = nextUtc(3, 2);
  const evening = nextUtc(3, 12);
  const weekend = nextUtc(6, 2);
  const OFFICE = 'Haruto Sato';
  const ALWAYS = 'Claire Dubois';

  after(() => {
    if (app) delete app.cadre.clock;
  });

  test('setup: a Tokyo entry reachable Mon–Fri 09:00–17:00 and a 24/7 one', async () => {
    app = await testApp(ctx());
    adminJpn = await enrolledClient(app, 'admin@jp.example', 'state-admin', 'JPN');
    const adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    await enrolledClient(app, 'poc@jp.example', 'poc', 'JPN');
    await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    await adminJpn.client.get('/directory');
    const jp = await adminJpn.client.json(
      'POST',
      '/api/v1/directory/entries',
      pocBody({ emails: ['poc@jp.example'], name: OFFICE, organisation: 'JPCERT/CC', phones: [{ number: '+81 3 6271 7850', label: 'office' }], languages: ['ja', 'en'], timeZone: 'Asia/Tokyo', availability: 'mon-fri 09:00-17:00', nominationRef: 'JP/NV/1' }),
    );
    assert.equal(jp.statusCode, 201, jp.body);
    assert.equal(jp.json().entry.status, 'active');
    jpnId = jp.json().entry.id;
    await adminFra.client.get('/directory');
    const fr = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@fr.example'], name: ALWAYS }));
    assert.equal(fr.statusCode, 201, fr.body);
    assert.equal(fr.json().entry.status, 'active');
  });

  const api = async (q: string) => {
    const res = await adminJpn.client.json('GET', `/api/v1/directory/entries?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().entries as { name: string }[]).map((e) => e.name).sort();
  };
  const page = async (q: string) => {
    const res = await adminJpn.client.get(`/directory?lang=en&${q}`);
    assert.equal(res.statusCode, 200);
    return [OFFICE, ALWAYS].filter((name) => res.body.includes(name)).sort();
  };

  test('outside Tokyo office hours, reachable=1 gives the 24/7 entry only (API and search page)', async () => {
    for (const instant of [evening, weekend]) {
      app.cadre.clock = () => instant;
      assert.deepEqual(await api(''), [ALWAYS, OFFICE].sort(), 'both without the filter');
      assert.deepEqual(await page(''), [ALWAYS, OFFICE].sort(), 'both without the filter');
      assert.deepEqual(await api('reachable=1'), [ALWAYS], instant.toISOString());
      assert.deepEqual(await page('reachable=1'), [ALWAYS], instant.toISOString());
      const one = (await adminJpn.client.json('GET', `/api/v1/directory/entries/${jpnId}`)).json();
      assert.equal(one.reachableNow, false);
    }
    delete app.cadre.clock;
  });

  test('within Tokyo office hours, reachable=1 gives both', async () => {
    app.cadre.clock = () => inside;
    assert.deepEqual(await api('reachable=1'), [ALWAYS, OFFICE].sort());
    assert.deepEqual(await page('reachable=1'), [ALWAYS, OFFICE].sort());
    assert.equal((await adminJpn.client.json('GET', `/api/v1/directory/entries/${jpnId}`)).json().reachableNow, true);
    delete app.cadre.clock;
  });

  test('the State page badges the entry "reachable now" or "outside their hours" by its own clock', async () => {
    const reachable = `<span class="badge badge-ok">${html(message('en', 'directory.reachable'))}</span>`;
    const outside = `<span class="badge">${html(message('en', 'directory.notReachable'))}</span>`;
    const statePage = async (iso3: string) => (await adminJpn.client.get(`/directory/states/${iso3}?lang=en`)).body;
    app.cadre.clock = () => evening;
    let body = await statePage('JPN');
    assert.match(body, new RegExp(OFFICE));
    assert.ok(body.includes(outside) && !body.includes(reachable), 'after hours in Tokyo');
    assert.ok((await statePage('FRA')).includes(reachable), 'a 24/7 entry is reachable at any hour');
    app.cadre.clock = () => inside;
    body = await statePage('JPN');
    assert.ok(body.includes(reachable) && !body.includes(outside), 'office hours in Tokyo');
    app.cadre.clock = () => weekend;
    body = await statePage('JPN');
    assert.ok(body.includes(outside) && !body.includes(reachable), 'Saturday in Tokyo');
    delete app.cadre.clock;
  });
});

eachEngine('directory: field-level messages in the user’s language', (ctx) => {
  let app: App;
  let adminFra: Enrolled;
  // Each invalid field, the message key the catalogue has for it, and the values it shows.
  const cases = [
    { field: 'timeZone', key: 'directory.invalidTimeZone', values: undefined },
    { field: 'languages', key: 'directory.unknownLanguage', values: { value: 'qq' } },
    { field: 'phones', key: 'directory.invalidPhone', values: { value: '+33 12' } },
    { field: 'emails', key: 'directory.invalidEmail', values: { value: 'pas-une-adresse' } },
    { field: 'pgpKey', key: 'directory.pgp.notAKey', values: undefined },
  ] as const;
  const badForm = pocForm({ emails: 'pas-une-adresse', phone_0: '+33 12', timeZone: 'Mars/Olympus', lang_fr: '', lang_en: '', otherLanguages: 'qq', pgpKey: 'not a key' });

  test('setup', async () => {
    app = await testApp(ctx());
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
  });

  for (const lang of ['ru', 'ar'] as const) {
    test(`the nomination form in ${lang}: each bad field has the ${lang} catalogue’s message beside it`, async () => {
      const form = await adminFra.client.get(`/directory/nominate?lang=${lang}`);
      assert.equal(form.statusCode, 200);
      const res = await adminFra.client.post(`/directory/entries?lang=${lang}`, badForm);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"`));
      for (const c of cases) {
        const expected = message(lang, c.key, c.values);
        assert.notEqual(expected, message('en', c.key, c.values), `${c.key} is translated into ${lang}`);
        assert.ok(res.body.includes(`<p id="${c.field}-error" class="error-message">${html(expected)}</p>`), `${lang} ${c.field}: ${expected}`);
      }
      const count = await app.cadre.database.db.selectFrom('poc').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0, 'nothing written');
    });
  }

  test('the API names the same fields, with the messages in French for Accept-Language: fr', async () => {
    adminFra.client.cookies.delete('cadre_lang'); // the language the pages above remembered
    await adminFra.client.get('/directory');
    const res = await adminFra.client.json(
      'POST',
      '/api/v1/directory/entries',
      pocBody({ emails: ['pas-une-adresse'], phones: [{ number: '+33 12', label: 'office' }], languages: ['qq'], timeZone: 'Mars/Olympus', pgpKey: 'not a key' }),
      { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' },
    );
    assert.equal(res.statusCode, 400, res.body);
    const errors = res.json().errors as { field: string; message: string }[];
    assert.deepEqual(errors.map((e) => e.field).sort(), cases.map((c) => c.field).sort());
    for (const c of cases) {
      assert.equal(errors.find((e) => e.field === c.field)?.message, message('fr', c.key, c.values), c.field);
      assert.notEqual(message('fr', c.key, c.values), message('en', c.key, c.values));
    }
  });
});

eachEngine('directory: the OpenAPI document describes every directory API route', (ctx) => {
  test('each registered /api/v1/directory route is in the document, tagged "directory", with a summary', async () => {
    const app = await testApp(ctx());
    const routes = app.routeTable.filter((r) => r.url.startsWith('/api/v1/directory') && r.method !== 'HEAD');
    assert.ok(routes.length >= 10, `routes found: ${routes.length}`);
    const res = await app.inject('/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { paths: Record<string, Record<string, { tags?: string[]; summary?: string }>> };
    const missing: string[] = [];
    for (const r of routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op) missing.push(`${r.method} ${r.url}: not in the document`);
      else if (!op.tags?.includes('directory')) missing.push(`${r.method} ${r.url}: tags ${JSON.stringify(op.tags)}`);
      else if (typeof op.summary !== 'string' || op.summary.trim() === '') missing.push(`${r.method} ${r.url}: no summary`);
    }
    assert.deepEqual(missing, []);
  });
});
