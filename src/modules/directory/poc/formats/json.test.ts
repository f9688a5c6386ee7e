import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PocEntry } from '../types.ts';
import { MAX_IMPORT_ROWS } from './import-result.ts';
import { parseJson, toJson } from './json.ts';
import { chinese, french } from './poc-entries.fixture.ts';

const meta = { exportedAt: '2026-11-25T16:00:00Z', source: 'cadre.example.org' };
const doc = (entries: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'cadre-directory', version: 1, ...meta, ...extra, entries });
const short = (code: string) => code.replace('directory.import.', '');

test('toJson writes the documented envelope, keys in a fixed order', () => {
  const text = toJson([french], { ...meta, organisation: 'OSCE' });
  const parsed = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['format', 'version', 'exportedAt', 'source', 'organisation', 'entries']);
  assert.deepEqual(parsed['entries'], [french]);
  assert.equal('organisation' in (JSON.parse(toJson([], meta)) as object), false);
  // The same entry built in another key order, with a key outside the format, exports to the same bytes.
  const reordered = Object.fromEntries(Object.entries({ ...french, internal: 1 }).reverse()) as unknown as PocEntry;
  assert.equal(toJson([reordered], meta), toJson([french], meta));
});

test('parseJson refuses what is not a cadre-directory document', () => {
  const codes = (text: string) => parseJson(text).fileErrors.map(short);
  assert.deepEqual(codes(' '), ['emptyFile']);
  assert.deepEqual(codes('{"format":'), ['malformedJson']);
  assert.deepEqual(codes('[]'), ['unsupportedFormat']);
  assert.deepEqual(codes(JSON.stringify({ format: 'cadre-directory', version: 2, entries: [] })), ['unsupportedFormat']);
  assert.deepEqual(codes(JSON.stringify({ format: 'cadre-directory', version: 1, entries: [] })), ['invalidDocument']);
  const envelope = { format: 'cadre-directory', version: 1, ...meta, entries: [] };
  assert.deepEqual(codes(JSON.stringify({ ...envelope, entries: {} })), ['invalidDocument']);
  assert.deepEqual(codes(JSON.stringify({ ...envelope, exportedAt: 5 })), ['invalidDocument']);
  assert.deepEqual(codes(`\ufeff${doc([])}`), []);
  assert.deepEqual(codes(doc(Array<number>(MAX_IMPORT_ROWS + 1).fill(0))), ['tooManyRows']);
  assert.deepEqual(codes(doc([{ notes: 'n'.repeat(5 * 1024 * 1024) }])), ['fileTooLarge']);
});

test('parseJson maps each entry error to its field', () => {
  const { name: _name, ...withoutName } = french;
  const entries: unknown[] = [
    withoutName,
    { ...french, fax: '+33100000000', kind: 'military', phones: [{ number: '+33153595000', label: 'pager' }] },
    { ...french, emails: [], name: '  ', confirmedUntil: 'soon', state: '' },
    { ...french, availability: { always: false, hours: { mon: [{ from: '17:00', to: '09:00' }] } } },
    { ...french, availability: { always: 'yes' }, rank: 1 },
    'not an entry',
    chinese,
  ];
  const { fileErrors, rows } = parseJson(doc(entries));
  assert.deepEqual(fileErrors, []);
  assert.deepEqual(rows.map((r) => r.line), [1, 2, 3, 4, 5, 6, 7]);
  const codes = rows.map((r) => r.errors.map((e) => `${e.field}:${short(e.code)}`).sort());
  assert.deepEqual(codes, [
    ['name:missingField'],
    ['fax:unknownField', 'kind:invalidKind', 'phones.0.label:invalidField'],
    ['confirmedUntil:invalidDate', 'emails:emailRequired', 'name:nameRequired', 'state:stateRequired'],
    ['availability:invalidAvailability'],
    ['availability:invalidAvailability', 'rank:invalidRank'],
    ['entry:invalidField'],
    [],
  ]);
  assert.equal(rows[1]?.raw['fax'], '+33100000000');
  assert.equal(rows[1]?.raw['phones'], '[{"number":"+33153595000","label":"pager"}]');
  assert.equal(rows.filter((r) => r.entry).length, 1);
  assert.equal(rows[6]?.entry?.externalId, chinese.id);
  assert.equal(rows[6]?.entry?.pgpFingerprint, chinese.pgpFingerprint);
  assert.equal(rows[6]?.entry?.pgpKey, chinese.pgpKey, 'the key travels with its entry');
  assert.equal('pgpExpiresAt' in (rows[6]?.entry ?? {}), false, 'its expiry is read again from the key');
});
