import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { PocTable } from '../../../db/schema.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { LANGUAGES } from '../../../web/i18n.ts';
import type { App } from '../../../web/types.ts';
import { inviteUser, OPERATOR } from '../../users/user.service.ts';

interface ParticipationJson {
  total: number;
  participating: number;
  states: { iso3: string; regionalGroup: string; participating: boolean }[];
}

/** Everything that identifies a contact; none of it may reach the public page or API. */
const SECRETS = ['Jeanne Martin', 'jeanne.martin@ssi.example.fr', 'Cheffe du CERT', 'Agence nationale de test', '+33 1 23 45 67 89', 'Wanjiru Kamau', 'w.kamau@ke-cirt.example', 'Pending Person', 'pending@example.br'];

/** The tag of the map element drawn for a State (its shape, or its dot). */
function stateMark(html: string, iso3: string): string {
  const m = new RegExp(`<(path|circle)[^>]*data-iso3="${iso3}"[^>]*>`).exec(html);
  assert.ok(m, `${iso3} is on the map`);
  return m[0];
}

function mapSvg(html: string): string {
  const m = /<svg class="pm-map"[\s\S]*?<\/svg>/.exec(html);
  assert.ok(m, 'the page has the map');
  return m[0];
}

eachEngine('participating States', (ctx) => {
  let app: App;

  async function addContact(state: string, name: string, email: string, status: PocTable['status']): Promise<void> {
    const invitation = await inviteUser(app.cadre, OPERATOR, { email, displayName: name, role: 'poc', state }, { delivery: 'link' });
    const now = new Date().toISOString();
    const id = randomUUID();
    const db = app.cadre.database.db;
    await db
      .insertInto('poc')
      .values({
        id,
        state_iso3: state,
        kind: 'technical',
        rank: 'primary',
        name,
        title: state === 'FRA' ? 'Cheffe du CERT' : 'Head of CERT',
        organisation: state === 'FRA' ? 'Agence nationale de test' : 'National CIRT',
        user_id: invitation.user.id,
        status,
        phones: JSON.stringify([{ number: '+33 1 23 45 67 89', label: 'office' }]),
        languages: JSON.stringify(['fr', 'en']),
        time_zone: 'Europe/Paris',
        availability: JSON.stringify({ always: true }),
        pgp_key: null,
        pgp_fingerprint: null,
        pgp_expires_at: null,
        notes: '',
        nomination_ref: `NV/${state}/2026/1`,
        nomination_date: '2026-11-01',
        confirmed_until: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        version: 1,
        source: 'un',
        created_at: now,
        updated_at: now,
        activated_at: status === 'active' ? now : null,
        withdrawn_at: status === 'withdrawn' ? now : null,
        reminded_at: null,
      })
      .execute();
    await db.insertInto('poc_email').values({ id: randomUUID(), poc_id: id, state_iso3: state, address: email, position: 0, verified_at: now, replaces_id: null, token_hash: null, token_expires_at: null, created_at: now, retired_at: null }).execute();
  }

  test('with no point of contact, no State takes part', async () => {
    app = await testApp(ctx());
    const res = await app.inject('/api/v1/directory/participation');
    assert.equal(res.statusCode, 200);
    const body = res.json() as ParticipationJson;
    assert.equal(body.total, 193);
    assert.equal(body.participating, 0);
    assert.equal(body.states.length, 193);
    assert.ok(body.states.every((s) => !s.participating));
    const page = await app.inject('/directory/participation?lang=en');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /0 of 193 Member States take part\./);
    assert.doesNotMatch(page.body, /data-participating="yes"/);
    assert.equal(page.body.match(/No State of this group takes part yet\./g)?.length, 5);
  });

  test('States with an active point of contact take part; pending and withdrawn entries do not count', async () => {
    await addContact('FRA', 'Jeanne Martin', 'jeanne.martin@ssi.example.fr', 'active');
    await addContact('KEN', 'Wanjiru Kamau', 'w.kamau@ke-cirt.example', 'active');
    await addContact('BRA', 'Pending Person', 'pending@example.br', 'pending');
    await addContact('JPN', 'Withdrawn Person', 'withdrawn@example.jp', 'withdrawn');
    const res = await app.inject('/api/v1/directory/participation');
    const body = res.json() as ParticipationJson;
    assert.equal(body.participating, 2);
    assert.deepEqual(body.states.filter((s) => s.participating).map((s) => s.iso3).sort(), ['FRA', 'KEN']);
    assert.deepEqual(body.states.find((s) => s.iso3 === 'KEN'), { iso3: 'KEN', regionalGroup: 'African', participating: true });
    assert.deepEqual(Object.keys(body).sort(), ['participating', 'states', 'total']);
    for (const secret of [...SECRETS, 'Withdrawn Person']) assert.ok(!res.body.includes(secret), `the JSON does not contain ${secret}`);
  });

  test('the page marks the two States on the map and lists them in French and Arabic, without a word about their contacts', async () => {
    const fr = await app.inject('/directory/participation?lang=fr');
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /<html lang="fr" dir="ltr">/);
    assert.match(stateMark(fr.body, 'FRA'), /data-participating="yes"/);
    assert.match(stateMark(fr.body, 'KEN'), /data-participating="yes"/);
    assert.match(stateMark(fr.body, 'BRA'), /data-participating="no"/);
    assert.match(stateMark(fr.body, 'TUV'), /^<circle[^>]*data-participating="no"/);
    assert.equal(fr.body.match(/data-participating="yes"/g)?.length, 2);
    assert.match(fr.body, /<title>France<\/title>/);
    assert.match(fr.body, /2 États Membres sur 193 participent\./);
    assert.match(fr.body, /1 État sur 54 participe/);
    assert.match(fr.body, /<li><abbr title="Kenya">KEN<\/abbr> Kenya<\/li>/);

    const ar = await app.inject('/directory/participation?lang=ar');
    assert.match(ar.body, /<html lang="ar" dir="rtl">/);
    assert.match(stateMark(ar.body, 'FRA'), /data-participating="yes"/);
    assert.match(stateMark(ar.body, 'KEN'), /data-participating="yes"/);
    assert.match(ar.body, /<title>فرنسا<\/title>/);
    assert.match(ar.body, /تشارك دولتان من الدول الأعضاء البالغ عددها 193/);
    assert.match(ar.body, /<abbr title="France">FRA<\/abbr> فرنسا/);

    for (const lang of LANGUAGES) {
      const page = await app.inject(`/directory/participation?lang=${lang}`);
      assert.equal(page.statusCode, 200);
      for (const secret of SECRETS) assert.ok(!page.body.includes(secret), `${lang}: the page does not contain ${secret}`);
    }
  });

  test('the page is complete without JavaScript, for anyone, and its map stays small', async (t) => {
    for (const lang of LANGUAGES) {
      const page = await app.inject(`/directory/participation?lang=${lang}`);
      assert.equal(page.statusCode, 200, 'no sign-in needed');
      const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
      assert.doesNotMatch(main, /<script|<noscript|\son[a-z]+=/, `${lang}: nothing in the page needs a script`);
      const svg = mapSvg(main);
      assert.match(svg, /role="img" aria-label="[^"]+"/);
      // All 193 Member States drawn, each with its name.
      assert.equal(svg.match(/data-iso3="[A-Z]{3}"/g)?.length ?? 0, 193 + 2, `${lang}: 193 States, Luxembourg and Cyprus twice (shape and dot)`);
      assert.equal(svg.match(/<title>/g)?.length, 195);
      const bytes = Buffer.byteLength(svg);
      t.diagnostic(`${lang}: map SVG ${Math.round(bytes / 1024)} KB`);
      assert.ok(bytes < 200_000, `${lang}: map SVG is ${bytes} bytes`);
    }
  });

  test('the API is in the OpenAPI document under the directory tag', async () => {
    const spec = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, { get?: { tags?: string[] } }> };
    assert.deepEqual(spec.paths['/api/v1/directory/participation']?.get?.tags, ['directory']);
    await app.close();
  });
});
