// What the CSV and JSON readers hand to the directory service: one result per file, one row per entry,
// and the format-level checks both readers share. Validity of e-mail addresses, phone numbers, time
// zones and languages is not judged here: the service checks those with the contact validators.

import { parseAvailability } from '../availability.ts';
import { POC_KINDS, POC_RANKS, type Availability, type PocEntry, type PocKind, type PocRank } from '../types.ts';

/** Message keys of import errors (file-level and row-level); the translations live in the i18n catalogues. */
export const IMPORT_ERROR_CODES = [
  'directory.import.fileTooLarge', // The file is larger than 5 MB.
  'directory.import.tooManyRows', // The file holds more than 20,000 entries.
  'directory.import.emptyFile', // The file holds no header row (CSV) or no document (JSON).
  'directory.import.malformedCsv', // The CSV cannot be read (e.g. a quote is never closed).
  'directory.import.unknownColumn', // The header names a column that is not one of CSV_COLUMNS.
  'directory.import.duplicateColumn', // The header names the same column twice.
  'directory.import.missingColumn', // A required column (state, kind, rank, name, emails) is absent.
  'directory.import.malformedJson', // The text is not valid JSON.
  'directory.import.unsupportedFormat', // The JSON is not a cadre-directory document of version 1.
  'directory.import.invalidDocument', // The JSON document's envelope (exportedAt, source, entries…) is malformed.
  'directory.import.wrongColumnCount', // The row has more or fewer cells than the header.
  'directory.import.missingField', // A required field of the JSON entry is absent.
  'directory.import.unknownField', // The JSON entry has a field the format does not define.
  'directory.import.invalidField', // The JSON entry's field has the wrong type or shape.
  'directory.import.stateRequired', // The State code is empty.
  'directory.import.invalidKind', // The kind is neither "diplomatic" nor "technical".
  'directory.import.invalidRank', // The rank is neither "primary" nor "alternate".
  'directory.import.nameRequired', // The name is empty.
  'directory.import.emailRequired', // No e-mail address is given.
  'directory.import.invalidPhoneLabel', // A phone's label is not office, mobile, hotline or fax.
  'directory.import.invalidAvailability', // The availability text cannot be read (e.g. "mon-fri 09:00-17:00").
  'directory.import.invalidDate', // The confirmed-until value is not a date (YYYY-MM-DD or ISO 8601 date-time).
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** Largest file accepted, in bytes of UTF-8. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Largest number of entries (data rows) accepted in one file. */
export const MAX_IMPORT_ROWS = 20_000;

/**
 * An entry as a file brings it: no id, status or update time (the directory assigns those), its key
 * when the file carries one (JSON does; a CSV has only the fingerprint: pgpKey null), not the key's
 * expiry (read again from the key), and the id the sender's system gives it. Text the file does not
 * carry is '' (a CSV has no nomination reference or date; an empty confirmed_until cell is '').
 */
export type ImportedEntry = Omit<PocEntry, 'id' | 'status' | 'updatedAt' | 'pgpExpiresAt'> & {
  externalId: string;
};

export interface ImportError {
  /** The column (CSV) or the property path (JSON, e.g. 'phones.0.label') the error is about. */
  field: string;
  code: ImportErrorCode;
}

export interface ImportRow {
  /** CSV: the physical line where the record starts (header = 1). JSON: index of the entry + 1. */
  line: number;
  /** The cells as read (CSV), or the entry's top-level values as text (JSON). */
  raw: Record<string, string>;
  /** Present when the row has no error. */
  entry?: ImportedEntry;
  errors: ImportError[];
}

export interface ImportResult {
  /** File-level error codes; when non-empty, rows is empty and nothing may be imported. */
  fileErrors: ImportErrorCode[];
  rows: ImportRow[];
}

export function fileFailure(...codes: ImportErrorCode[]): ImportResult {
  return { fileErrors: [...new Set(codes)], rows: [] };
}

/** The import projection of a stored entry (what an export followed by an import should give back). */
export function toImportedEntry(entry: PocEntry): ImportedEntry {
  const { id, status: _status, updatedAt: _updatedAt, pgpExpiresAt: _pgpExpiresAt, ...rest } = entry;
  return { externalId: id, ...rest };
}

export function checkKind(value: string, field: string, errors: ImportError[]): PocKind {
  const kind = POC_KINDS.find((k) => k === value.toLowerCase());
  if (!kind) errors.push({ field, code: 'directory.import.invalidKind' });
  return kind ?? 'diplomatic';
}

export function checkRank(value: string, field: string, errors: ImportError[]): PocRank {
  const rank = POC_RANKS.find((r) => r === value.toLowerCase());
  if (!rank) errors.push({ field, code: 'directory.import.invalidRank' });
  return rank ?? 'primary';
}

export function checkRequired(value: string | readonly string[], field: string, code: ImportErrorCode, errors: ImportError[]): void {
  if (value.length === 0) errors.push({ field, code });
}

/** Reads the compact availability text; an empty text means no hours declared (not round the clock). */
export function checkAvailability(text: string, field: string, errors: ImportError[]): Availability {
  if (text === '') return { always: false, hours: {} };
  const parsed = parseAvailability(text);
  if (parsed.ok) return parsed.value;
  errors.push({ field, code: 'directory.import.invalidAvailability' });
  return { always: false, hours: {} };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Accepts '' (not given), a calendar date or an ISO 8601 date-time with a zone; keeps the text as given. */
export function checkDate(text: string, field: string, errors: ImportError[]): string {
  if (text === '') return '';
  const ok = DATE.test(text)
    ? isCalendarDate(text)
    : DATE_TIME.test(text) && isCalendarDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));
  if (!ok) errors.push({ field, code: 'directory.import.invalidDate' });
  return text;
}
