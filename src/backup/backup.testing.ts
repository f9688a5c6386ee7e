// Test support for the backup tests (not a test file itself).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { encryptContent } from '../crypto/content.ts';
import { newId, nowIso, sha256Hex } from '../auth/crypto.ts';
import { hitRateLimit, recordSignInFailure } from '../auth/rate-limit.ts';
import { createSession } from '../auth/sessions.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { seedDemo } from '../demo.ts';
import { inviteUser, OPERATOR } from '../modules/users/user.service.ts';
import { ingestDocument } from '../modules/library/ingest.service.ts';
import { nominatePoc } from '../modules/directory/poc/poc.service.ts';
import { pocBody } from '../modules/directory/poc/poc.testing.ts';
import { seed } from '../testing/seeds.ts';

/** Text that breaks naive encoders: quotes, backslash, newline, tab, NUL-free non-BMP and RTL scripts. */
export const AWKWARD_TEXT = 'Côte d’Ivoire — "dit" \\ back\nslash\ttab 🇨🇮 中文 العربية Русский ';

/**
 * Puts rows in every table of the foundation schema, through the application's own functions
 * where they exist, with values that are easy to mangle (empty strings, nulls, int4 max, Unicode).
 */
export async function seedEveryTable(database: Db, dataDir: string): Promise<void> {
  const config = loadConfig({}, { dataDir, secret: Buffer.alloc(32, 7), baseUrl: 'http://cadre.test' });
  await seedDemo(database);
  const invited = await inviteUser({ database, config }, OPERATOR, { email: 'poc.civ@example.org', role: 'poc', state: 'CIV', displayName: AWKWARD_TEXT });
  await inviteUser({ database, config }, OPERATOR, { email: 'observer@example.org', role: 'stakeholder' });
  const { db } = database;
  const user = await db.selectFrom('app_user').select('id').where('email', '=', 'poc.fra@demo.cadre.example').executeTakeFirstOrThrow();
  await createSession(db, user.id, { idleSeconds: 1800, absoluteSeconds: 43200 }, { ip: '2001:db8::1', userAgent: AWKWARD_TEXT });
  await hitRateLimit(db, 'sign-in:198.51.100.7', 10, 60);
  await recordSignInFailure(db, 'poc.fra@demo.cadre.example');
  await db.transaction().execute(async (trx) => {
    for (const [i, details] of [{ note: AWKWARD_TEXT }, { nested: { list: [1, 2.5, -3, null, true], empty: '' } }, {}].entries()) {
      await appendAuditEvent(trx, database.engine, {
        actor: { id: user.id, label: 'poc.fra@demo.cadre.example' },
        action: 'backup-test.event',
        targetType: 'user',
        targetId: invited.user.id,
        state: 'FRA',
        ip: i === 0 ? null : '192.0.2.1',
        details,
      });
    }
  });
  const now = nowIso();
  await db
    .insertInto('passkey')
    .values({ id: 'credential-id-'.padEnd(300, 'x'), user_id: user.id, public_key: 'pQECAyYgASFYIA', counter: 2147483647, transports: '["usb","nfc"]', name: AWKWARD_TEXT, created_at: now, last_used_at: null })
    .execute();
  await db.insertInto('webauthn_challenge').values({ id: newId(), challenge: 'c2lnbi1pbg', user_id: null, purpose: 'authenticate', expires_at: nowIso(300) }).execute();
  await db
    .insertInto('api_token')
    .values({ id: newId(), user_id: user.id, name: '', token_hash: sha256Hex('cadre_test'), scopes: 'states:read directory:read', created_at: now, expires_at: null, last_used_at: now, revoked_at: null })
    .execute();
  await db
    .insertInto('job')
    .values({
      id: newId(),
      kind: 'mail.send',
      payload: JSON.stringify({ to: 'poc.fra@demo.cadre.example', subject: AWKWARD_TEXT }),
      idempotency_key: `mail:${newId()}`,
      status: 'failed',
      attempts: 3,
      max_attempts: 3,
      run_at: now,
      locked_by: null,
      locked_until: null,
      last_error: 'SMTP 451 "try later"\nsecond line',
      created_at: now,
      updated_at: now,
      finished_at: now,
    })
    .execute();
  await db.insertInto('setting').values({ key: 'backup-test', value: AWKWARD_TEXT, updated_at: now }).execute();
  // The directory: an entry with a second address awaiting verification, its revision, and a consent.
  const admin = await db.selectFrom('app_user').selectAll().where('email', '=', 'admin.fra@demo.cadre.example').executeTakeFirstOrThrow();
  const { entry } = await nominatePoc(
    { database, config },
    { userId: admin.id, email: admin.email, displayName: admin.display_name, role: 'state-admin', state: 'FRA', organisation: null, via: 'session' },
    'FRA',
    pocBody({ emails: ['poc.fra@demo.cadre.example', 'cert@example.fr'], notes: AWKWARD_TEXT, availability: 'mon-fri 09:00-17:30' }),
    { delivery: 'link' },
  );
  await db.insertInto('poc_consent').values({ poc_id: entry.id, organisation_id: 'OSCE', granted_at: now, granted_by: admin.id }).execute();
  // A communication check of that entry (rows as the service writes them; the service needs SMTP).
  const campaignId = newId();
  await db.insertInto('check_campaign').values({ id: campaignId, mode: 'exercise', scope: JSON.stringify({ states: ['FRA'] }), note: AWKWARD_TEXT, created_by: null, created_at: now, deadline_at: nowIso(172800), target_count: 1, reminders: '[24]', recurrence_months: 6, next_run_at: nowIso(86400 * 180), closed_at: null }).execute();
  await db
    .insertInto('check_target')
    .values({ id: newId(), campaign_id: campaignId, poc_id: entry.id, state_iso3: 'FRA', kind: entry.kind, address: 'poc.fra@demo.cadre.example', language: 'fr', status: 'acknowledged', sent_at: now, acknowledged_at: now, channel: 'link', failure: null })
    .execute();
  await db
    .insertInto('directory_import')
    .values({ id: newId(), organisation_id: 'OSCE', file_name: 'osce-directory.csv', format: 'csv', content: `state,kind,rank,name,emails\r\nFRA,technical,primary,"${AWKWARD_TEXT.replaceAll('"', '""')}",cert@example.fr\r\n`, created_by: admin.id, created_at: now, applied_at: null })
    .execute();
  // A message caught by the demo's mail catcher (rows as the catcher writes them).
  await db
    .insertInto('caught_mail')
    .values({ id: newId(), received_at: now, mail_from: '', recipients: JSON.stringify(['poc.fra@demo.cadre.example', 'cert@example.fr']), subject: AWKWARD_TEXT, message_id: null, text: `${AWKWARD_TEXT}\nhttp://cadre.test/enrol/token`, html: `<p>${AWKWARD_TEXT}</p>`, raw_size: 2147483647 })
    .execute();
  // An exchange between France and Kenya (rows as the messages service writes them; content sealed at rest).
  const threadId = newId();
  const messageId = newId();
  await db.insertInto('message_thread').values({ id: threadId, from_state: 'FRA', template: 'request-assistance', urgency: 'critical', tlp: 'AMBER', status: 'sent', hide_recipients: 0, exercise_id: null, created_by: admin.id, created_at: now, ack_deadline_at: nowIso(7200), response_deadline_at: nowIso(86400), last_activity_at: now, message_count: 1 }).execute();
  for (const [state, role] of [['FRA', 'sender'], ['KEN', 'recipient']] as const) {
    await db.insertInto('thread_party').values({ thread_id: threadId, state_iso3: state, role, addressed: '{}', response_state: 'not-assessed', response_reason: null, own_reference: null, acknowledged_at: null, answered_at: null, alerted_at: null }).execute();
  }
  await db.insertInto('message').values({ id: messageId, thread_id: threadId, seq: 1, template: 'request-assistance', author_id: admin.id, author_state: 'FRA', tlp: 'AMBER', created_at: now, content: encryptContent(config.contentKey, JSON.stringify({ summary: AWKWARD_TEXT }), `message:${messageId}`) }).execute();
  await db.insertInto('thread_read').values({ thread_id: threadId, user_id: admin.id, seen_seq: 1, seen_at: now }).execute();
  const attachmentId = newId();
  await db.insertInto('message_attachment').values({ id: attachmentId, message_id: messageId, thread_id: threadId, file_name: 'journal «é».log', media_type: 'text/plain', size: 12, sha256: '0'.repeat(64), created_at: now, content: encryptContent(config.contentKey, Buffer.from(AWKWARD_TEXT).toString('base64'), `attachment:${attachmentId}`) }).execute();
  // An exercise with France and Kenya taking part, and one inject (rows as the exercises service writes them).
  const exerciseId = newId();
  await db.insertInto('exercise').values({ id: exerciseId, title: AWKWARD_TEXT.slice(0, 200), scenario: AWKWARD_TEXT, created_by: admin.id, created_at: now, starts_at: now, ends_at: nowIso(86400), status: 'running' }).execute();
  for (const state of ['FRA', 'KEN']) await db.insertInto('exercise_state').values({ exercise_id: exerciseId, state_iso3: state }).execute();
  await db.insertInto('exercise_inject').values({ id: newId(), exercise_id: exerciseId, at: now, to_state: 'FRA', template: 'request-assistance', note: AWKWARD_TEXT }).execute();
  // The library: an OCR'd seed fills documents, versions, paragraphs, footnotes, citations and corrections.
  await ingestDocument({ database, config }, { id: null, label: 'backup test' }, { name: 'draft-2023.txt', bytes: seed('draft2023') });
}

/**
 * Every table's rows, found independently of the code under test (plain introspection, every
 * table but Kysely's), each table's rows sorted by their values so engines' orders do not matter.
 */
export async function tableContents(database: Db): Promise<Record<string, Record<string, unknown>[]>> {
  const contents: Record<string, Record<string, unknown>[]> = {};
  // The search index and the directory's stamp are derived (never backed up): see DERIVED in backup.repository.ts.
  const tables = (await database.db.introspection.getTables()).filter((t) => !t.isView && !/^(paragraph_(search|fts)|directory_stamp$)/.test(t.name)).map((t) => t.name).sort();
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(table)}`.execute(database.db);
    const key = (r: Record<string, unknown>) => JSON.stringify(Object.keys(r).sort().map((k) => r[k]));
    contents[table] = rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  return contents;
}

/**
 * Rewrites a backup's lines (decompressed, without newlines). With `reseal`, the trailer's counts
 * and checksum are recomputed, as a careful forger or a buggy writer would: the content is then
 * "valid" and only the database can refuse it.
 */
export function rewriteBackup(from: string, to: string, edit: (lines: string[]) => string[], reseal = false): void {
  const lines = gunzipSync(readFileSync(from)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let edited = edit(lines);
  if (reseal) {
    const body = edited.filter((l) => !l.startsWith('{"end":'));
    const rows: Record<string, number> = {};
    let table = '';
    for (const l of body) {
      if (l.startsWith('{"table":')) rows[(table = (JSON.parse(l) as { table: string }).table)] = 0;
      else if (l.startsWith('[')) rows[table]!++;
    }
    const sha256 = createHash('sha256').update(body.map((l) => `${l}\n`).join(''), 'utf8').digest('hex');
    edited = [...body, JSON.stringify({ end: 'cadre-backup', rows, sha256 })];
  }
  writeFileSync(to, gzipSync(edited.map((l) => `${l}\n`).join('')));
}
