import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { makePdf } from '../../testing/pdf.ts';
import { seed, SEED_FILES } from '../../testing/seeds.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { ingestDocument } from './ingest.service.ts';

const OPERATOR = { id: null, label: 'test' };

eachEngine('document library', (ctx) => {
  let app: App;

  test('the five seeds are ingested; the same text again changes nothing', async () => {
    app = await testApp(ctx());
    for (const name of Object.keys(SEED_FILES) as (keyof typeof SEED_FILES)[]) {
      const r = await ingestDocument(app.cadre, OPERATOR, { name: SEED_FILES[name], bytes: seed(name) });
      assert.equal(r.status, 'created', name);
      assert.ok(r.parsed.paragraphs.length > 10, name);
    }
    const again = await ingestDocument(app.cadre, OPERATOR, { name: 'again.txt', bytes: seed('res7327') });
    assert.equal(again.status, 'unchanged');
    const docs = await ctx().database.db.selectFrom('document').select(['symbol', 'language']).execute();
    assert.equal(docs.length, 5);
    assert.ok(docs.some((d) => d.symbol === 'A/RES/73/27' && d.language === 'fr'));
  });

  test('a new text for the same symbol becomes version 2, version 1 kept', async () => {
    const changed = Buffer.from(`${seed('res7327').toString('utf8')}\n`.replace('Rappelant', 'Rappelant également'));
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'revised.txt', bytes: changed });
    assert.equal(r.status, 'new-version');
    assert.equal(r.version, 2);
    const versions = await ctx().database.db.selectFrom('document_version').select('version').where('document_id', '=', r.documentId).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => v.version), [1, 2]);
    const v1 = await app.inject(`/library/fr/A/RES/73/27?version=1`);
    assert.equal(v1.statusCode, 200);
    assert.doesNotMatch(v1.body, /Rappelant également/);
    const latest = await app.inject(`/library/fr/A/RES/73/27`);
    assert.match(latest.body, /Rappelant également/);
  });

  test('bad files are refused with the reason, naming nothing half-written', async () => {
    const before = await ctx().database.db.selectFrom('document_version').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: [string, Buffer, RegExp][] = [
      ['empty.txt', Buffer.alloc(0), /library\.emptyFile/],
      ['blank.txt', Buffer.from('  \n\n '), /library\.emptyFile/],
      ['image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]), /library\.binaryFile/],
      ['latin1.txt', Buffer.from('R\xe9solution', 'latin1'), /library\.notUtf8/],
      ['scan.pdf', makePdf([[]]), /library\.scannedPdf/],
      ['broken.pdf', Buffer.from('%PDF-1.4\nnot really'), /library\.unreadablePdf/],
    ];
    for (const [name, bytes, reason] of cases) {
      await assert.rejects(ingestDocument(app.cadre, OPERATOR, { name, bytes }), (e: Error) => reason.test(e.message), name);
    }
    await assert.rejects(ingestDocument(app.cadre, OPERATOR, { name: 'x.txt', bytes: Buffer.from('Texte'), symbol: 'not a symbol' }), /library\.badSymbol/);
    const after = await ctx().database.db.selectFrom('document_version').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  test('a PDF with a text layer is read; a text without structure is kept as body paragraphs with a warning', async () => {
    const pdf = makePdf([['General Assembly', 'Seventy-ninth session', 'Notes on the work of the group', 'The group met twice.']]);
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'notes.pdf', bytes: pdf, symbol: 'A/79/999' });
    assert.equal(r.symbol, 'A/79/999');
    assert.ok(r.parsed.paragraphs.length >= 1);
    const plain = await ingestDocument(app.cadre, OPERATOR, { name: 'plain.txt', bytes: Buffer.from('just some words\n\nand more words') });
    assert.ok(plain.parsed.paragraphs.every((p) => p.kind === 'body'));
    assert.ok(plain.parsed.warnings.length > 0);
  });

  test('the library page lists the documents, filtered by kind', async () => {
    const all = await app.inject('/library');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /A\/RES\/73\/27/);
    assert.match(all.body, /A\/68\/98/);
    const reports = await app.inject('/library?kind=report');
    assert.doesNotMatch(reports.body, /href="\/library\/fr\/A\/RES\/73\/27"/);
    assert.match(reports.body, /A\/68\/98/);
  });

  test('a document page: paragraphs with permalinks, footnotes beside them, citations both ways, corrections on demand', async () => {
    const page = await app.inject('/library/fr/A/RES/73/27');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="para_1__para_1-8"/);
    assert.match(page.body, /id="preamble__p_1"/);
    assert.match(page.body, /class="footnote"/);
    assert.match(page.body, /href="\/library\/fr\/A\/68\/98"/, 'a cited document held in the library is linked');
    const gge = await app.inject('/library/fr/A/68/98');
    assert.match(gge.body, /A\/RES\/73\/27/, 'cited by 73/27');
    const drafts = (await ctx().database.db.selectFrom('document').select(['id', 'symbol']).where('kind', '=', 'draft-resolution').execute());
    assert.ok(drafts.length >= 1);
    const ocr = (await app.inject(`/library/id/${drafts[0]!.id}?corrections=1`)).body;
    assert.match(ocr, /<th scope="col">Rule<\/th>/);
    assert.equal((await app.inject('/library/fr/A/RES/99/99')).statusCode, 404);
    assert.equal((await app.inject('/library/xx/A/RES/73/27')).statusCode, 400);
  });

  test('the JSON API gives the same structure', async () => {
    const list = (await app.inject('/api/v1/library/documents?language=fr')).json();
    const res = list.documents.find((d: { symbol: string }) => d.symbol === 'A/RES/73/27');
    assert.ok(res);
    const doc = (await app.inject(`/api/v1/library/documents/${res.id}`)).json();
    assert.equal(doc.version, 2);
    const norms = doc.paragraphs.filter((p: { parent: string }) => p.parent === 'para_1');
    assert.equal(norms.length, 13);
    assert.ok(doc.paragraphs.some((p: { citations: string[] }) => p.citations.includes('A/68/98')));
  });

  test('only the Secretariat adds texts; others are refused, anonymous visitors sent to sign in', async () => {
    const poc = await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    assert.equal((await poc.client.get('/library/ingest')).statusCode, 403);
    assert.equal((await new TestClient(app).get('/library/ingest')).statusCode, 303);
    const sec = await enrolledClient(app, 'library@un.example', 'secretariat');
    const form = await sec.client.get('/library/ingest');
    assert.equal(form.statusCode, 200);
    const boundary = '----cadre-test-boundary';
    const part = (headers: string, body: string | Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const payload = Buffer.concat([
      part('Content-Disposition: form-data; name="_csrf"', sec.client.csrf),
      part('Content-Disposition: form-data; name="file"; filename="plain.txt"\r\nContent-Type: text/plain', 'Une note sans structure.\n\nDeuxième alinéa de la note.'),
      part('Content-Disposition: form-data; name="file"; filename="empty.txt"\r\nContent-Type: text/plain', ''),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...sec.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const res = await app.inject({ method: 'POST', url: '/library/ingest', payload, headers });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /plain\.txt/);
    assert.match(res.body, /empty\.txt: The file is empty/);
    const noCsrf = await app.inject({ method: 'POST', url: '/library/ingest', payload: payload.toString('latin1').replace(sec.client.csrf, 'x'.repeat(64)), headers });
    assert.equal(noCsrf.statusCode, 403);
    await app.close();
  });
});

eachEngine('an empty library', (ctx) => {
  test('explains how texts are added, rather than showing an empty table', async () => {
    const app = await testApp(ctx());
    const page = await app.inject('/library?lang=fr');
    assert.match(page.body, /La bibliothèque est vide/);
    const filtered = await app.inject('/library?kind=report');
    assert.match(filtered.body, /No documents match/);
    await app.close();
  });
});
