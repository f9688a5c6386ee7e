import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

const HEADER = 'state,kind,rank,name,title,organisation,emails,phones,languages,time_zone,availability,notes';
const OSCE_FILE = [
  HEADER,
  'FRA,technical,alternate,Inès Martin,Analyste,ANSSI,ines.martin@cert.example.fr,+33 1 53 59 50 01 (office),fr; en,Europe/Paris,mon-fri 09:00-18:00,',
  'FRA,technical,primary,Claire Dubois,Cheffe du CERT,ANSSI,claire.dubois@cert.example.fr,+33153595000 (office),fr; en,Europe/Paris,24/7,',
  'FRA,diplomatic,primary,Marc Leroy,Premier conseiller,ANSSI,marc.leroy@diplomatie.example.fr,+33153595000 (office),fr; en,Europe/Paris,24/7,',
  'FRA,diplomatic,alternate,MARC LÉROY,Conseiller,MEAE,m.leroy@example.fr,,fr,Europe/Paris,24/7,',
  'FRA,technical,primary,Pas Valide,,,pas-une-adresse,,fr,Mars/Olympus,24/7,',
  'KEN,technical,primary,Wanjiru Kamau,,,wanjiru@ke.example,,en,Africa/Nairobi,24/7,',
].join('\r\n');

interface ReportRow {
  line: number;
  status: string;
  match: { id: string; name: string } | null;
  differences: { field: string; current: string; incoming: string }[];
  errors: { field: string; code: string; message: string }[];
}

eachEngine('points of contact: importing a regional organisation’s directory', (ctx) => {
  let app: App;
  let secretariat: Enrolled;
  let adminFra: Enrolled;
  let marcId = '';
  let importId = '';

  const countPocs = async () => Number((await app.cadre.database.db.selectFrom('poc').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const upload = (client: Enrolled, content: string, organisation = 'OSCE', fileName = 'osce-2026-11.csv') =>
    client.client.json('POST', '/api/v1/directory/imports', { organisation, format: 'csv', content, fileName });

  test('setup: two active French entries', async () => {
    app = await testApp(ctx());
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    await enrolledClient(app, 'claire.dubois@cert.example.fr', 'poc', 'FRA');
    await enrolledClient(app, 'marc.leroy@diplomatie.example.fr', 'poc', 'FRA');
    await adminFra.client.get('/directory');
    assert.equal((await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody())).statusCode, 201);
    const marc = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ name: 'Marc Leroy', kind: 'diplomatic', title: 'Conseiller', emails: ['marc.leroy@diplomatie.example.fr'] }));
    assert.equal(marc.statusCode, 201);
    marcId = marc.json().entry.id;
    await secretariat.client.get('/directory');
  });

  test('only the Secretariat imports', async () => {
    assert.equal((await upload(adminFra, OSCE_FILE)).statusCode, 403);
    assert.equal((await adminFra.client.get('/directory/imports')).statusCode, 403);
  });

  test('the preview reports every row (new, unchanged, differences, possible match, errors) and writes no entry', async () => {
    const res = await upload(secretariat, OSCE_FILE);
    assert.equal(res.statusCode, 201, res.body);
    const report = res.json() as { id: string; counts: Record<string, number>; rows: ReportRow[] };
    importId = report.id;
    assert.deepEqual(report.rows.map((r) => [r.line, r.status]), [[2, 'new'], [3, 'unchanged'], [4, 'conflict'], [5, 'possible'], [6, 'error'], [7, 'error']]);
    assert.deepEqual(report.counts, { new: 1, unchanged: 1, conflict: 1, possible: 1, error: 2 });
    const conflict = report.rows[2]!;
    assert.equal(conflict.match?.id, marcId);
    assert.deepEqual(conflict.differences, [{ field: 'title', current: 'Conseiller', incoming: 'Premier conseiller' }]);
    assert.equal(report.rows[3]!.match?.id, marcId, 'same name without accents or case');
    assert.deepEqual(report.rows[4]!.errors.map((e) => e.field).sort(), ['emails', 'timeZone']);
    assert.deepEqual(report.rows[5]!.errors.map((e) => e.code), ['directory.import.notMember']);
    assert.match(report.rows[5]!.errors[0]!.message, /KEN is not a member of OSCE/);
    assert.equal(await countPocs(), 2, 'nothing written before the confirmation');
    const stored = await app.cadre.database.db.selectFrom('directory_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
    assert.equal(stored.content, OSCE_FILE);
    assert.equal(stored.applied_at, null);
    const events = await listAuditEvents(app.cadre.database.db, { action: 'directory.import.previewed', limit: 10 });
    assert.equal(events.length, 1);
    assert.match(events[0]!.details, /"error":2/);
  });

  test('the preview page shows the differences field by field, and the errors in the user’s language', async () => {
    const page = await secretariat.client.get(`/directory/imports/${importId}?lang=fr`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-line="4" data-status="conflict"/);
    assert.match(page.body, /data-field="title"[^]*?Conseiller[^]*?Premier conseiller/);
    assert.match(page.body, /name="accept_4"/);
    assert.match(page.body, /name="accept_5"/);
    assert.doesNotMatch(page.body, /name="accept_3"/);
    assert.match(page.body, /n’est pas une adresse électronique/);
    assert.match(page.body, /KEN n’est pas membre de l’organisation OSCE/);
    assert.match(page.body, /name="goodRowsOnly"/);
    assert.match(page.body, /Importer les 4 lignes correctes/);
    const refused = await secretariat.client.post(`/directory/imports/${importId}/apply?lang=fr`, { accept_4: 'on' });
    assert.equal(refused.statusCode, 400, 'a file with rows in error needs the explicit confirmation');
    assert.match(refused.body, /Des lignes sont en erreur/);
    assert.equal(await countPocs(), 2);
  });

  test('applying imports the good rows only: the new entry with its provenance, the ticked conflict; the rest untouched', async () => {
    const res = await secretariat.client.json('POST', `/api/v1/directory/imports/${importId}/apply`, { acceptConflicts: [4], goodRowsOnly: true });
    assert.equal(res.statusCode, 200, res.body);
    const counts = res.json();
    assert.deepEqual({ ...counts, invitations: counts.invitations.length }, { created: 1, updated: 1, unchanged: 1, skipped: 1, errors: 2, invitations: 1 });
    assert.match(counts.invitations[0].link, /\/enrol\//);
    const db = app.cadre.database.db;
    const ines = await db.selectFrom('poc').selectAll().where('name', '=', 'Inès Martin').executeTakeFirstOrThrow();
    assert.equal(ines.source, 'OSCE');
    assert.equal(ines.status, 'pending');
    assert.equal(ines.nomination_ref, 'import:OSCE:osce-2026-11.csv');
    assert.deepEqual(JSON.parse(ines.phones), [{ number: '+33153595001', label: 'office' }]);
    const revisions = await db.selectFrom('poc_revision').select('change').where('poc_id', '=', ines.id).execute();
    assert.deepEqual(revisions.map((r) => r.change), ['imported']);
    const marc = await db.selectFrom('poc').selectAll().where('id', '=', marcId).executeTakeFirstOrThrow();
    assert.equal(marc.title, 'Premier conseiller');
    assert.equal(await countPocs(), 3, 'the possible match (not ticked) and the rows in error are not imported');
    assert.equal((await db.selectFrom('poc').select('id').where('name', 'in', ['Pas Valide', 'Wanjiru Kamau', 'MARC LÉROY']).execute()).length, 0);
    const applied = await listAuditEvents(db, { action: 'directory.import.applied', limit: 10 });
    assert.equal(applied.length, 1);
    assert.match(applied[0]!.details, /"created":1/);
    const again = await secretariat.client.json('POST', `/api/v1/directory/imports/${importId}/apply`, { goodRowsOnly: true });
    assert.equal(again.statusCode, 409, 'an import is applied once');
  });

  test('the page flow: multipart upload, preview, confirmation', async () => {
    await secretariat.client.get('/directory/imports');
    const boundary = '----cadre-import-boundary';
    const part = (headers: string, body: string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const file = [HEADER, 'FRA,technical,alternate,Léa Roux,,CERT-FR,lea.roux@cert.example.fr,,fr,Europe/Paris,24/7,'].join('\r\n');
    const payload = Buffer.concat([
      part('Content-Disposition: form-data; name="_csrf"', secretariat.client.csrf),
      part('Content-Disposition: form-data; name="organisation"', 'OSCE'),
      part('Content-Disposition: form-data; name="file"; filename="osce.csv"\r\nContent-Type: text/csv', file),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...secretariat.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const res = await app.inject({ method: 'POST', url: '/directory/imports', payload, headers });
    assert.equal(res.statusCode, 303, res.body);
    const preview = await secretariat.client.get(res.headers.location as string);
    assert.match(preview.body, /data-status="new"/);
    assert.doesNotMatch(preview.body, /name="goodRowsOnly"/);
    const done = await secretariat.client.post(`${res.headers.location as string}/apply`, {});
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /data-applied/);
    assert.equal(await countPocs(), 4);
  });

  test('all or nothing: a row failing during the confirmation leaves nothing written', async () => {
    const db = app.cadre.database.db;
    const file = [
      HEADER,
      'FRA,technical,alternate,Hugo Petit,,CERT-FR,hugo.petit@cert.example.fr,,fr,Europe/Paris,24/7,',
      'FRA,technical,alternate,Nina Blanc,,CERT-FR,nina.blanc@cert.example.fr,,fr,Europe/Paris,24/7,',
    ].join('\r\n');
    const res = await upload(secretariat, file);
    assert.equal(res.statusCode, 201);
    const id = res.json().id as string;
    const before = await countPocs();
    // The database refuses the second entry: the first, its account and invitation must go with it.
    if (app.cadre.database.engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_nina BEFORE INSERT ON poc WHEN NEW.name = 'Nina Blanc' BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION refuse_nina() RETURNS trigger AS $$ BEGIN IF NEW.name = 'Nina Blanc' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER refuse_nina BEFORE INSERT ON poc FOR EACH ROW EXECUTE FUNCTION refuse_nina()`.execute(db);
    }
    const failed = await secretariat.client.json('POST', `/api/v1/directory/imports/${id}/apply`, {});
    assert.equal(failed.statusCode, 500);
    assert.equal(await countPocs(), before, 'Hugo Petit was not written either');
    assert.equal((await db.selectFrom('app_user').select('id').where('email', '=', 'hugo.petit@cert.example.fr').execute()).length, 0, 'nor his account');
    assert.equal((await db.selectFrom('directory_import').select('applied_at').where('id', '=', id).executeTakeFirstOrThrow()).applied_at, null);
    await sql`DROP TRIGGER refuse_nina${sql.raw(app.cadre.database.engine === 'postgres' ? ' ON poc' : '')}`.execute(db);
    const retried = await secretariat.client.json('POST', `/api/v1/directory/imports/${id}/apply`, {});
    assert.equal(retried.statusCode, 200, 'once the cause is gone, the same import applies');
    assert.equal(retried.json().created, 2);
  });
});
