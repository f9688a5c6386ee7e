import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, parseCsv, toCsv } from './csv.ts';
import { MAX_IMPORT_ROWS } from './import-result.ts';
import { arabic, chinese, french } from './poc-entries.fixture.ts';

const HEADER = CSV_COLUMNS.join(',');
const row = (cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>>) =>
  CSV_COLUMNS.map((c) => {
    const v = cells[c] ?? '';
    return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  }).join(',');
const valid = { state: 'FRA', kind: 'technical', rank: 'primary', name: 'A. Martin', emails: 'a@x.org' };

test('toCsv writes a BOM, the header, CRLF records and RFC 4180 quoting', () => {
  const text = toCsv([french, arabic, chinese]);
  assert.ok(text.startsWith(`\ufeff${HEADER}\r\n`));
  assert.ok(text.endsWith('\r\n'));
  // Read back by the library itself, not by parseCsv.
  const records = parse(text.slice(1), { relax_quotes: false }) as string[][];
  assert.equal(records.length, 4);
  const cell = (r: number, c: (typeof CSV_COLUMNS)[number]) => records[r]?.[CSV_COLUMNS.indexOf(c)];
  assert.equal(cell(1, 'notes'), french.notes);
  assert.equal(cell(1, 'emails'), 'pdc.cyber@diplomatie.gouv.fr; cyber.astreinte@diplomatie.gouv.fr');
  assert.equal(cell(1, 'phones'), '+33153595000 (office); +33612345678 (mobile)');
  assert.equal(cell(1, 'languages'), 'fr; en');
  assert.equal(cell(1, 'external_id'), french.id);
  assert.equal(cell(2, 'name'), arabic.name);
  assert.equal(cell(2, 'pgp_fingerprint'), arabic.pgpFingerprint);
  assert.equal(cell(3, 'organisation'), chinese.organisation);
  assert.ok(text.includes('"Joindre ""en priorité"" par courriel; sinon'));
});

test('cells that a spreadsheet would run as a formula are written as text', () => {
  const text = toCsv([arabic, { ...french, name: '@SUM(1+1)', title: '-2+3', phones: [{ number: '=1+2', label: 'office' }] }]);
  const records = parse(text.slice(1)) as string[][];
  const cell = (r: number, c: (typeof CSV_COLUMNS)[number]) => records[r]?.[CSV_COLUMNS.indexOf(c)];
  assert.equal(cell(1, 'notes'), `'${arabic.notes}`);
  assert.equal(cell(1, 'phones'), '+20235341000 (hotline)', 'validated E.164 numbers stay as they are');
  assert.equal(cell(2, 'name'), "'@SUM(1+1)");
  assert.equal(cell(2, 'title'), "'-2+3");
  assert.equal(cell(2, 'phones'), "'=1+2 (office)", 'a phones cell that is not E.164 is guarded too');
  const back = parseCsv(text).rows.map((r) => r.entry);
  assert.equal(back[0]?.notes, arabic.notes);
  assert.equal(back[1]?.name, '@SUM(1+1)');
  assert.equal(back[1]?.phones[0]?.number, '=1+2');
});

test('parseCsv reads ; separated files with headers in any case and counts physical lines', () => {
  const text = [
    'STATE;Kind;rank;Name;EMAILS;Phones;languages;notes;confirmed_until',
    'fra;Diplomatic;PRIMARY; Anne Roy ;"a@x.org ; b@x.org";"+33 1 53 59 50 00 (Office); +33612345678";fr;"two',
    'lines";2027-01-31',
    '',
    ';;;;;;;;',
    'DEU;technical;alternate;Jan Weber;j@x.de;;de, en;;',
  ].join('\r\n');
  const { fileErrors, rows } = parseCsv(text);
  assert.deepEqual(fileErrors, []);
  assert.deepEqual(rows.map((r) => r.line), [2, 6]);
  const [first, second] = rows;
  assert.deepEqual(first?.errors, []);
  assert.equal(first?.raw['name'], ' Anne Roy ');
  assert.deepEqual(first?.entry, {
    externalId: '',
    state: 'FRA',
    kind: 'diplomatic',
    rank: 'primary',
    name: 'Anne Roy',
    title: '',
    organisation: '',
    emails: ['a@x.org', 'b@x.org'],
    phones: [
      { number: '+33 1 53 59 50 00', label: 'office' },
      { number: '+33612345678', label: 'office' },
    ],
    languages: ['fr'],
    timeZone: '',
    availability: { always: false, hours: {} },
    pgpKey: null,
    pgpFingerprint: null,
    notes: 'two\nlines',
    confirmedUntil: '2027-01-31',
    nominationRef: '',
    nominationDate: '',
  });
  assert.deepEqual(second?.entry?.languages, ['de, en'], 'languages are left for the service to judge');
});

test('parseCsv reports each format error of a row against its column', () => {
  const text = [
    HEADER,
    row({ ...valid, kind: 'military', rank: 'deputy', name: ' ', emails: ' ; ', state: '' }),
    row({ ...valid, phones: '+33153595000 (pager)', availability: 'someday', confirmed_until: '2027-02-30' }),
    row({ ...valid, confirmed_until: '30/06/2027' }),
    `${row(valid)},extra`,
    row({ ...valid, availability: '24/7', confirmed_until: '2027-06-30T12:00:00+02:00' }),
  ].join('\n');
  const { fileErrors, rows } = parseCsv(text);
  assert.deepEqual(fileErrors, []);
  const codes = rows.map((r) => r.errors.map((e) => `${e.field}:${e.code.replace('directory.import.', '')}`).sort());
  assert.deepEqual(codes, [
    ['emails:emailRequired', 'kind:invalidKind', 'name:nameRequired', 'rank:invalidRank', 'state:stateRequired'],
    ['availability:invalidAvailability', 'confirmed_until:invalidDate', 'phones:invalidPhoneLabel'],
    ['confirmed_until:invalidDate'],
    ['row:wrongColumnCount'],
    [],
  ]);
  assert.equal(rows.filter((r) => r.entry).length, 1);
  assert.deepEqual(rows[4]?.entry?.availability, { always: true });
});

test('parseCsv refuses files it cannot take whole', () => {
  const codes = (text: string) => parseCsv(text).fileErrors.map((c) => c.replace('directory.import.', ''));
  assert.deepEqual(codes(''), ['emptyFile']);
  assert.deepEqual(codes('\ufeff\r\n'), ['emptyFile']);
  assert.deepEqual(codes(`${HEADER},fax_number\n`), ['unknownColumn']);
  assert.deepEqual(codes('state,kind,rank,name,emails,Name\n'), ['duplicateColumn']);
  assert.deepEqual(codes('state,kind,name,notes\n'), ['missingColumn']);
  assert.deepEqual(codes(`${HEADER}\n${row({ ...valid, notes: 'QQ' }).replace('QQ', '"QQ')}\n`), ['malformedCsv']);
  const big = `${HEADER}\n${row({ ...valid, notes: 'n'.repeat(5 * 1024 * 1024) })}`;
  assert.deepEqual(codes(big), ['fileTooLarge']);
  const line = row(valid);
  assert.deepEqual(codes([HEADER, ...Array<string>(MAX_IMPORT_ROWS).fill(line)].join('\n')), []);
  assert.deepEqual(codes([HEADER, ...Array<string>(MAX_IMPORT_ROWS + 1).fill(line)].join('\n')), ['tooManyRows']);
  assert.deepEqual(parseCsv(`${HEADER},fax_number\n${line},x\n`).rows, []);
});
