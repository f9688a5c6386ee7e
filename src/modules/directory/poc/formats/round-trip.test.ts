// Export then import gives back what the export carried: CSV and JSON, in several scripts, with the
// characters that CSV and JSON writers must protect (quotes, commas, semicolons, line breaks, '=').

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, toCsv } from './csv.ts';
import { toImportedEntry } from './import-result.ts';
import { parseJson, toJson } from './json.ts';
import { allEntries } from './poc-entries.fixture.ts';

test('entries → toCsv → parseCsv give back every field the CSV carries', () => {
  const { fileErrors, rows } = parseCsv(toCsv(allEntries));
  assert.deepEqual(fileErrors, []);
  assert.deepEqual(rows.map((r) => r.errors), [[], [], []]);
  // The CSV has no nomination reference or date, and of the key only its fingerprint.
  const expected = allEntries.map((e) => ({ ...toImportedEntry(e), nominationRef: '', nominationDate: '', pgpKey: null }));
  assert.deepEqual(rows.map((r) => r.entry), expected);
  assert.deepEqual(rows.map((r) => r.line), [2, 4, 5], "the French notes' line break takes a line");
});

test('entries → toJson → parseJson give back the entries, less what the directory assigns itself', () => {
  const { fileErrors, rows } = parseJson(toJson(allEntries, { exportedAt: '2026-11-25T16:00:00Z', source: 'test' }));
  assert.deepEqual(fileErrors, []);
  assert.deepEqual(rows.map((r) => r.errors), [[], [], []]);
  assert.deepEqual(rows.map((r) => r.entry), allEntries.map(toImportedEntry));
});
