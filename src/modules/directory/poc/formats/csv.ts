// The directory as CSV, for spreadsheets: export (UTF-8 with BOM, CRLF, RFC 4180 quoting) and import.

import { CsvError, parse } from 'csv-parse/sync';
import { formatAvailability } from '../availability.ts';
import { PHONE_LABELS, type Phone, type PocEntry } from '../types.ts';
import {
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  checkAvailability,
  checkDate,
  checkKind,
  checkRank,
  checkRequired,
  fileFailure,
  type ImportError,
  type ImportErrorCode,
  type ImportResult,
  type ImportRow,
} from './import-result.ts';

/**
 * The columns, in export order. Multi-value cells separate values with '; ':
 * emails 'a@x.org; b@x.org' (the first is the primary address), phones '+33153595000 (office); +33612345678 (mobile)'
 * (E.164 number, label in brackets: office, mobile, hotline, fax), languages 'fr; en' (ISO 639-1).
 * availability is the compact text ('24/7', 'mon-fri 09:00-17:00; sat 10:00-12:00') in the POC's time_zone (IANA).
 * confirmed_until is an ISO 8601 date-time (or a date on import); external_id is the sender's id of the entry.
 */
export const CSV_COLUMNS = [
  'external_id',
  'state',
  'kind',
  'rank',
  'name',
  'title',
  'organisation',
  'emails',
  'phones',
  'languages',
  'time_zone',
  'availability',
  'pgp_fingerprint',
  'notes',
  'confirmed_until',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['state', 'kind', 'rank', 'name', 'emails'];

const BOM = '\ufeff';
const LIST_SEPARATOR = '; ';
const FORMULA_START = /^[=+\-@\t\r]/;
/** A phones cell made only of validated E.164 numbers and known labels. */
const SAFE_PHONES = new RegExp(`^\\+\\d{1,15} \\((${PHONE_LABELS.join('|')})\\)(; \\+\\d{1,15} \\((${PHONE_LABELS.join('|')})\\))*$`);

/**
 * Spreadsheet formula injection (a cell read as '=HYPERLINK(…)'): a cell starting with = + - @ TAB or CR gets a
 * leading apostrophe, which spreadsheets show as text and parseCsv takes off again. The phones cell is the
 * exception when it is made only of E.164 numbers and known labels ('+33153595000 (office)'): it then cannot
 * hold a function call, a spreadsheet reads it at worst as a number, and people copying numbers get them
 * without a stray apostrophe. Any other phones cell is guarded like the rest.
 */
function guardFormula(column: CsvColumn, value: string): string {
  if (!FORMULA_START.test(value)) return value;
  if (column === 'phones' && SAFE_PHONES.test(value)) return value;
  return `'${value}`;
}

function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** RFC 4180 quoting; ';' is quoted too so the file still reads where ';' is the list separator. */
function quote(value: string): string {
  return /[",;\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function formatPhones(phones: readonly Phone[]): string {
  return phones.map((p) => `${p.number} (${p.label})`).join(LIST_SEPARATOR);
}

function cellsOf(entry: PocEntry): Record<CsvColumn, string> {
  return {
    external_id: entry.id,
    state: entry.state,
    kind: entry.kind,
    rank: entry.rank,
    name: entry.name,
    title: entry.title,
    organisation: entry.organisation,
    emails: entry.emails.join(LIST_SEPARATOR),
    phones: formatPhones(entry.phones),
    languages: entry.languages.join(LIST_SEPARATOR),
    time_zone: entry.timeZone,
    availability: formatAvailability(entry.availability),
    pgp_fingerprint: entry.pgpFingerprint ?? '',
    notes: entry.notes,
    confirmed_until: entry.confirmedUntil,
  };
}

/** The entries as a CSV file: BOM (so Excel reads UTF-8), header row, CRLF after every record. */
export function toCsv(entries: readonly PocEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    const cells = cellsOf(entry);
    lines.push(CSV_COLUMNS.map((column) => quote(guardFormula(column, cells[column]))).join(','));
  }
  return BOM + lines.map((line) => `${line}\r\n`).join('');
}

function splitList(cell: string): string[] {
  return cell.split(';').map((part) => part.trim()).filter((part) => part !== '');
}

function parsePhones(cell: string, errors: ImportError[]): Phone[] {
  return splitList(cell).map((part) => {
    const labelled = /^(.*?)\s*\(([^()]*)\)$/.exec(part);
    const number = labelled ? (labelled[1] ?? '') : part;
    const givenLabel = (labelled?.[2] ?? 'office').trim().toLowerCase();
    const label = PHONE_LABELS.find((l) => l === givenLabel);
    if (!label) errors.push({ field: 'phones', code: 'directory.import.invalidPhoneLabel' });
    return { number, label: label ?? 'office' };
  });
}

function readRow(line: number, header: CsvColumn[], record: string[]): ImportRow {
  const raw: Record<string, string> = {};
  header.forEach((column, i) => (raw[column] = record[i] ?? ''));
  const errors: ImportError[] = [];
  if (record.length !== header.length) errors.push({ field: 'row', code: 'directory.import.wrongColumnCount' });
  const cell = (column: CsvColumn): string => unguardFormula(raw[column] ?? '').trim();

  const state = cell('state').toUpperCase();
  checkRequired(state, 'state', 'directory.import.stateRequired', errors);
  const name = cell('name');
  checkRequired(name, 'name', 'directory.import.nameRequired', errors);
  const emails = splitList(cell('emails'));
  checkRequired(emails, 'emails', 'directory.import.emailRequired', errors);
  const fingerprint = cell('pgp_fingerprint').replace(/\s+/g, '').toUpperCase();
  const entry = {
    externalId: cell('external_id'),
    state,
    kind: checkKind(cell('kind'), 'kind', errors),
    rank: checkRank(cell('rank'), 'rank', errors),
    name,
    title: cell('title'),
    organisation: cell('organisation'),
    emails,
    phones: parsePhones(cell('phones'), errors),
    languages: splitList(cell('languages')),
    timeZone: cell('time_zone'),
    availability: checkAvailability(cell('availability'), 'availability', errors),
    pgpKey: null,
    pgpFingerprint: fingerprint === '' ? null : fingerprint,
    notes: cell('notes'),
    confirmedUntil: checkDate(cell('confirmed_until'), 'confirmed_until', errors),
    nominationRef: '',
    nominationDate: '',
  };
  return errors.length === 0 ? { line, raw, entry, errors } : { line, raw, errors };
}

function readHeader(record: readonly string[]): { header: CsvColumn[]; errors: ImportErrorCode[] } {
  const names = record.map((name) => name.trim().toLowerCase());
  const header = names.filter((name): name is CsvColumn => (CSV_COLUMNS as readonly string[]).includes(name));
  const errors: ImportErrorCode[] = [];
  if (header.length !== names.length) errors.push('directory.import.unknownColumn');
  if (new Set(header).size !== header.length) errors.push('directory.import.duplicateColumn');
  if (REQUIRED_CSV_COLUMNS.some((column) => !header.includes(column))) errors.push('directory.import.missingColumn');
  return { header, errors };
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads a CSV file (',' or ';' separated, as the header row shows; header names in any case; BOM optional).
 * File-level problems leave no rows; otherwise every data row comes back with its entry or its errors.
 */
export function parseCsv(text: string): ImportResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) return fileFailure('directory.import.fileTooLarge');
  // One line break in values and between records, so line numbers count what an editor shows.
  const body = (text.startsWith(BOM) ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const headerLine = body.slice(0, body.indexOf('\n') === -1 ? undefined : body.indexOf('\n'));
  if (headerLine.trim() === '') return fileFailure('directory.import.emptyFile');
  const count = (c: string) => headerLine.split(c).length;
  const delimiter = count(';') > count(',') ? ';' : ',';

  let records: ParsedRecord[];
  try {
    const options = { delimiter, record_delimiter: '\n', info: true, relax_column_count: true, skip_empty_lines: true };
    // With `info`, records come as { record, info }: the library's typing does not follow the option.
    records = parse(body, options) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) return fileFailure('directory.import.malformedCsv');
    throw error;
  }
  const [first, ...data] = records;
  if (!first) return fileFailure('directory.import.emptyFile');
  const { header, errors } = readHeader(first.record);
  if (errors.length > 0) return fileFailure(...errors);
  const filled = data.filter(({ record }) => record.some((cell) => cell.trim() !== ''));
  if (filled.length > MAX_IMPORT_ROWS) return fileFailure('directory.import.tooManyRows');

  const rows = filled.map(({ record, info }) => {
    // csv-parse reports the line where the record ends; line breaks inside its cells give where it starts.
    const breaks = record.reduce((n, cell) => n + cell.split('\n').length - 1, 0);
    return readRow(info.lines - breaks, header, record);
  });
  return { fileErrors: [], rows };
}
