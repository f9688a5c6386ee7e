// The directory as a JSON document, for exchange between systems (another Cadre, a regional organisation's
// directory). The document:
//   { "format": "cadre-directory", "version": 1, "exportedAt": ISO 8601, "source": who exported it,
//     "organisation"?: the organisation whose directory it is, "entries": PocEntry[] }
// Keys come in this order and each entry's keys in the order of PocEntrySchema, so that two exports of the
// same data are byte-identical. Unknown keys in an entry are refused (a misspelt key must not vanish).

import { Type, type Static } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { formatAvailability } from '../availability.ts';
import { PHONE_LABELS, POC_KINDS, POC_RANKS, POC_STATUSES, type PocEntry } from '../types.ts';
import {
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  checkAvailability,
  checkDate,
  checkRequired,
  fileFailure,
  toImportedEntry,
  type ImportError,
  type ImportErrorCode,
  type ImportResult,
  type ImportRow,
} from './import-result.ts';

export const JSON_FORMAT = 'cadre-directory';
export const JSON_VERSION = 1;

const TimeSpanSchema = Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false });
const Spans = Type.Optional(Type.Array(TimeSpanSchema));
const AvailabilitySchema = Type.Union([
  Type.Object({ always: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object(
    {
      always: Type.Literal(false),
      hours: Type.Object(
        { mon: Spans, tue: Spans, wed: Spans, thu: Spans, fri: Spans, sat: Spans, sun: Spans },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const PocEntrySchema = Type.Object(
  {
    id: Type.String(),
    state: Type.String(),
    kind: Type.Union(POC_KINDS.map((k) => Type.Literal(k))),
    rank: Type.Union(POC_RANKS.map((r) => Type.Literal(r))),
    name: Type.String(),
    title: Type.String(),
    organisation: Type.String(),
    emails: Type.Array(Type.String()),
    phones: Type.Array(
      Type.Object({ number: Type.String(), label: Type.Union(PHONE_LABELS.map((l) => Type.Literal(l))) }, { additionalProperties: false }),
    ),
    languages: Type.Array(Type.String()),
    timeZone: Type.String(),
    availability: AvailabilitySchema,
    pgpKey: NullableString,
    pgpFingerprint: NullableString,
    pgpExpiresAt: NullableString,
    notes: Type.String(),
    status: Type.Union(POC_STATUSES.map((s) => Type.Literal(s))),
    confirmedUntil: Type.String(),
    nominationRef: Type.String(),
    nominationDate: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

const DocumentSchema = Type.Object({
  format: Type.Literal(JSON_FORMAT),
  version: Type.Literal(JSON_VERSION),
  exportedAt: Type.String(),
  source: Type.String(),
  organisation: Type.Optional(Type.String()),
  entries: Type.Array(Type.Unknown()),
});

const ENTRY_KEYS = Object.keys(PocEntrySchema.properties) as (keyof PocEntry)[];

export interface JsonExportMeta {
  organisation?: string;
  exportedAt: string;
  source: string;
}

export function toJson(entries: readonly PocEntry[], meta: JsonExportMeta): string {
  const document = {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    exportedAt: meta.exportedAt,
    source: meta.source,
    ...(meta.organisation === undefined ? {} : { organisation: meta.organisation }),
    entries: entries.map((entry) => Object.fromEntries(ENTRY_KEYS.map((key) => [key, entry[key]]))),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The codes of structural errors whose field has a more telling one. */
const FIELD_CODES: Partial<Record<string, ImportErrorCode>> = {
  kind: 'directory.import.invalidKind',
  rank: 'directory.import.invalidRank',
  availability: 'directory.import.invalidAvailability',
};

function structuralErrors(value: unknown): ImportError[] {
  const byField = new Map<string, ImportErrorCode>();
  for (const error of Value.Errors(PocEntrySchema, value)) {
    // '/phones/0/label' → 'phones.0.label'; the first error of a field is the one that tells.
    const segments = error.path.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const field = segments.join('.') || 'entry';
    if (byField.has(field)) continue;
    const code: ImportErrorCode =
      error.type === ValueErrorType.ObjectRequiredProperty
        ? 'directory.import.missingField'
        : error.type === ValueErrorType.ObjectAdditionalProperties
          ? 'directory.import.unknownField'
          : (FIELD_CODES[segments[0] ?? ''] ?? 'directory.import.invalidField');
    byField.set(field, code);
  }
  return [...byField].map(([field, code]) => ({ field, code }));
}

function rawOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function readEntry(value: unknown, index: number): ImportRow {
  const line = index + 1;
  const raw = rawOf(value);
  const errors = structuralErrors(value);
  if (errors.length > 0 || !Value.Check(PocEntrySchema, value)) return { line, raw, errors };
  const entry = toImportedEntry(value as PocEntry);
  checkRequired(entry.state, 'state', 'directory.import.stateRequired', errors);
  checkRequired(entry.name.trim(), 'name', 'directory.import.nameRequired', errors);
  checkRequired(entry.emails, 'emails', 'directory.import.emailRequired', errors);
  // The structure is right; the hours themselves (order, range) are judged by the availability reader.
  checkAvailability(formatAvailability(entry.availability), 'availability', errors);
  checkDate(entry.confirmedUntil, 'confirmedUntil', errors);
  return errors.length === 0 ? { line, raw, entry, errors } : { line, raw, errors };
}

/** Reads a cadre-directory JSON document; rows are numbered by entry (first entry = 1). */
export function parseJson(text: string): ImportResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) return fileFailure('directory.import.fileTooLarge');
  const body = text.replace(/^\ufeff/, '');
  if (body.trim() === '') return fileFailure('directory.import.emptyFile');
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return fileFailure('directory.import.malformedJson');
  }
  const envelope = document as Partial<Record<'format' | 'version', unknown>> | null;
  if (typeof envelope !== 'object' || envelope === null || envelope.format !== JSON_FORMAT || envelope.version !== JSON_VERSION) {
    return fileFailure('directory.import.unsupportedFormat');
  }
  if (!Value.Check(DocumentSchema, document)) return fileFailure('directory.import.invalidDocument');
  if (document.entries.length > MAX_IMPORT_ROWS) return fileFailure('directory.import.tooManyRows');
  return { fileErrors: [], rows: document.entries.map(readEntry) };
}

// The schema and the shared type must describe the same entry (checked by the compiler, both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<Static<typeof PocEntrySchema>, PocEntry> = true;
void schemaMatchesType;
