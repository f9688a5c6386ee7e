import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import type { App } from '../../web/types.ts';
import { secretariatAndPocs, type Enrolled } from './messages.testing.ts';
import { ATTACHMENT_LIMITS, checkAttachments, cleanFileName, contentDisposition } from './attachments.ts';


const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const LOG = Buffer.from('2026-11-24T09:31:02Z deny tcp 192.0.2.1:4444 -> 10.0.0.5:502 (Modbus)\n', 'utf8');
const NOTICE = { summary: 'Scanning of substations', whatHappened: 'Scans of substation gateways from one range.', occurredAt: { local: '2026-11-24T09:30', timeZone: 'Europe/Paris' }, urgency: 'routine', tlp: 'AMBER' };
const b64 = (b: Buffer) => b.toString('base64');

test('what is accepted: the content must be what the name says; sizes and counts are bounded', () => {
  const ok = checkAttachments([
    { name: 'firewall.log', bytes: LOG },
    { name: 'capture.png', bytes: PNG },
    { name: 'iocs.json', bytes: Buffer.from('{"ip":["192.0.2.1"]}') },
    { name: 'report.pdf', bytes: Buffer.from('%PDF-1.7\n…') },
  ]);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.accepted.map((a) => a.mediaType), ['text/plain', 'image/png', 'application/json', 'application/pdf']);
  const refused = checkAttachments([
    { name: 'tool.exe', bytes: Buffer.from('MZ\x90\x00') },
    { name: 'report.pdf', bytes: Buffer.from('MZ\x90\x00 not a pdf') },
    { name: 'iocs.json', bytes: Buffer.from('{ not json') },
    { name: 'notes.txt', bytes: Buffer.from([0x66, 0x00, 0x67]) },
    { name: 'empty.txt', bytes: Buffer.alloc(0) },
    { name: 'big.log', bytes: Buffer.alloc(ATTACHMENT_LIMITS.fileBytes + 1, 0x61) },
  ]);
  assert.deepEqual(refused.accepted, []);
  assert.deepEqual(
    refused.problems.map((p) => p.messageKey),
    // Six files: one too many, and the first five each refused for its own reason.
    ['messages.attachment.tooMany', 'messages.attachment.type', 'messages.attachment.content', 'messages.attachment.content', 'messages.attachment.content', 'messages.attachment.empty'],
  );
  assert.deepEqual(checkAttachments([{ name: 'big.log', bytes: Buffer.alloc(ATTACHMENT_LIMITS.fileBytes + 1, 0x61) }]).problems.map((p) => p.messageKey), ['messages.attachment.tooLarge']);
  const total = checkAttachments([1, 2, 3].map((i) => ({ name: `part${i}.log`, bytes: Buffer.alloc(4 * 1024 * 1024, 0x61) })));
  assert.deepEqual(total.problems.map((p) => p.messageKey), ['messages.attachment.totalTooLarge']);
  assert.equal(cleanFileName('../../etc/pass"wd\u0007.txt'), 'passwd.txt');
  assert.equal(contentDisposition('rapport d’incident.pdf'), `attachment; filename="rapport d_incident.pdf"; filename*=UTF-8''rapport%20d%E2%80%99incident.pdf`);
});

eachEngine('files attached to POC-to-POC messages', (ctx) => {
  let app: App;
  let secretariat: Enrolled;
  let pocFra: Enrolled;
  let pocKen: Enrolled;
  let pocBra: Enrolled;
  let threadId = '';
  let files: { id: string; name: string; mediaType: string; size: number; href: string }[] = [];

  test('setup: active POCs in France, Kenya and Brazil', async () => {
    app = await testApp(ctx());
    const people = await secretariatAndPocs(app, { FRA: 'cert@fr.example', KEN: 'cert@ke.example', BRA: 'cert@br.example' });
    ({ secretariat } = people);
    ({ FRA: pocFra, KEN: pocKen, BRA: pocBra } = people.pocs);
  });

  test('a refused file refuses the whole message, with every reason, and nothing is stored', async () => {
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'incident-notification', fields: NOTICE, to: ['KEN'], attachments: [{ name: 'tool.exe', contentBase64: b64(Buffer.from('MZ')) }, { name: 'fake.png', contentBase64: b64(LOG) }] });
    assert.equal(res.statusCode, 400);
    const errors = res.json().errors as { field: string; message: string }[];
    assert.deepEqual(errors.map((e) => e.field), ['attachments', 'attachments']);
    assert.match(errors[0]!.message, /tool\.exe/);
    const counted = async (table: 'message_thread' | 'message_attachment') => Number((await app.cadre.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await counted('message_thread'), 0);
    assert.equal(await counted('message_attachment'), 0);
  });

  test('France sends two files with its notification; they are stored encrypted', async () => {
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'incident-notification', fields: NOTICE, to: ['KEN'], attachments: [{ name: 'firewall.log', contentBase64: b64(LOG) }, { name: 'écran.png', contentBase64: b64(PNG) }] });
    assert.equal(res.statusCode, 201, res.body);
    threadId = res.json().id;
    const rows = await app.cadre.database.db.selectFrom('message_attachment').selectAll().where('thread_id', '=', threadId).execute();
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.match(r.content, /^c1\./);
      assert.ok(!r.content.includes(b64(LOG)) && !r.content.includes('192.0.2.1'));
    }
  });

  test('Kenya lists and downloads them; Brazil, the Secretariat and the public get nothing', async () => {
    const thread = (await pocKen.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    files = thread.messages[0].attachments;
    assert.deepEqual(files.map((f) => [f.name, f.mediaType, f.size]), [['firewall.log', 'text/plain', LOG.length], ['écran.png', 'image/png', PNG.length]]);
    const log = await pocKen.client.get(files[0]!.href);
    assert.equal(log.statusCode, 200);
    assert.equal(log.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(log.headers['content-disposition'], `attachment; filename="firewall.log"; filename*=UTF-8''firewall.log`);
    assert.equal(log.headers['x-content-type-options'], 'nosniff');
    assert.match(String(log.headers['content-security-policy']), /sandbox/);
    assert.equal(log.body, LOG.toString('utf8'));
    const png = await pocKen.client.get(`/messages/${threadId}/attachments/${files[1]!.id}`);
    assert.deepEqual(png.rawPayload, PNG);
    const page = await pocKen.client.get(`/messages/${threadId}`);
    assert.match(page.body, new RegExp(`<li data-attachment="${files[0]!.id}"><a href="/messages/${threadId}/attachments/${files[0]!.id}" download="firewall.log">firewall.log</a>`));
    for (const path of [files[0]!.href, `/messages/${threadId}/attachments/${files[0]!.id}`]) {
      assert.equal((await pocBra.client.get(path)).statusCode, 404, `Brazil: ${path}`);
      assert.equal((await secretariat.client.get(path)).statusCode, 403, `Secretariat (which knows the thread exists, never its content): ${path}`);
    }
    assert.equal((await new TestClient(app).json('GET', files[0]!.href)).statusCode, 401);
    const secView = (await secretariat.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.equal(secView.messages[0].attachments, undefined, 'metadata only: not even the names');
    assert.doesNotMatch((await secretariat.client.get(`/messages/${threadId}`)).body, /firewall\.log|data-attachment/);
    // Another thread's id with this file: no such file.
    assert.equal((await pocKen.client.get(`/messages/${threadId}/attachments/${threadId}`)).statusCode, 404);
  });

  test('with hidden co-recipients, a recipient’s file reaches the sender, never the other recipient', async () => {
    await pocFra.client.get('/messages');
    const opened = await pocFra.client.json('POST', '/api/v1/messages', { template: 'incident-notification', fields: NOTICE, to: ['KEN', 'BRA'], hideRecipients: true });
    assert.equal(opened.statusCode, 201, opened.body);
    const id = opened.json().id;
    await pocBra.client.get('/messages');
    const answered = await pocBra.client.json('POST', `/api/v1/messages/${id}/replies`, { template: 'acknowledgement', fields: { reference: 'BR-1', tlp: 'AMBER' }, attachments: [{ name: 'br.log', contentBase64: b64(LOG) }] });
    assert.equal(answered.statusCode, 201, answered.body);
    const file = (await app.cadre.database.db.selectFrom('message_attachment').select('id').where('thread_id', '=', id).executeTakeFirstOrThrow()).id;
    assert.equal((await pocFra.client.get(`/messages/${id}/attachments/${file}`)).statusCode, 200);
    assert.equal((await pocKen.client.get(`/messages/${id}/attachments/${file}`)).statusCode, 404);
    assert.doesNotMatch((await pocKen.client.get(`/messages/${id}`)).body, /br\.log/);
  });

  test('the reply form posts files as multipart/form-data; a refused one comes back on its field, and the form asks for the files again', async () => {
    const form = await pocKen.client.get(`/messages/${threadId}/reply?template=response`);
    assert.match(form.body, /<form method="post" action="\/messages\/[^"]+\/reply" [^>]*enctype="multipart\/form-data"/);
    assert.match(form.body, /<input type="file" id="attachments" name="attachments" multiple accept="\.txt,\.log,/);
    const post = (file: { name: string; type: string; bytes: Buffer }) => {
      const boundary = 'cadre-test-boundary';
      const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const body = Buffer.concat([
        Buffer.from(part('_csrf', pocKen.client.csrf) + part('template', 'response') + part('answer', 'We blocked the range; our capture is attached.') + part('tlp', 'AMBER')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
        file.bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({ method: 'POST', url: `/messages/${threadId}/reply`, payload: body, headers: { cookie: [...pocKen.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    };
    const bad = await post({ name: 'macro.docm', type: 'application/octet-stream', bytes: Buffer.from('PK\x03\x04') });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="attachments-error"[^>]*>“macro\.docm” is not a type Cadre accepts/);
    assert.match(bad.body, /After an error, choose the files again/);
    assert.match(bad.body, /We blocked the range/, 'what was typed is kept');
    const good = await post({ name: 'blocklist.csv', type: 'text/csv', bytes: Buffer.from('ip,action\n192.0.2.1,blocked\n') });
    assert.equal(good.statusCode, 303, good.body);
    const thread = (await pocFra.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.deepEqual(thread.messages[1].attachments.map((f: { name: string }) => f.name), ['blocklist.csv']);
    assert.equal(thread.messages[1].fields.answer, 'We blocked the range; our capture is attached.');
  });
});
