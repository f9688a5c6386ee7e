// What an uploaded directory would do, row by row, before anything is written: each row is new, the
// same person as an entry already here (unchanged, or differing field by field), a possible match by
// name alone, or refused with field-level messages.

import type { DirectoryImportTable, PocTable } from '../../../db/schema.ts';
import { InvalidFields } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { findUserByEmail } from '../../users/user.repository.ts';
import { listStates } from '../state.repository.ts';
import { formatAvailability } from './availability.ts';
import { parseCsv } from './formats/csv.ts';
import type { ImportedEntry } from './formats/import-result.ts';
import { parseJson } from './formats/json.ts';
import { membersOf, openEntriesOf, type OpenEntry } from './import.repository.ts';
import { validatePocInput, type PocInput, type ValidPoc } from './poc.input.ts';
import type { Availability, Phone } from './types.ts';

export const ROW_STATUSES = ['new', 'unchanged', 'conflict', 'possible', 'error'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** The fields compared between a row and the entry it matches (the exchange shape's contact fields). */
export const COMPARED_FIELDS = ['kind', 'rank', 'name', 'title', 'organisation', 'emails', 'phones', 'languages', 'timeZone', 'availability', 'notes', 'pgpKey'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface RowProblem {
  field: string;
  messageKey: string;
  values?: Record<string, string | number> | undefined;
}

export interface Difference {
  field: ComparedField;
  current: string;
  incoming: string;
}

export interface ReportRow {
  line: number;
  status: RowStatus;
  state: string;
  name: string;
  /** The entry the row is the same person as (by address), or may be (by name alone). */
  match: { id: string; name: string } | null;
  differences: Difference[];
  errors: RowProblem[];
  /** The checked entry, for rows without errors. */
  valid: ValidPoc | null;
}

export interface ImportReport {
  import: DirectoryImportTable;
  fileErrors: RowProblem[];
  rows: ReportRow[];
  counts: Record<RowStatus, number>;
}

/** The nomination reference an imported entry cites: where it came from. */
export function importReference(imp: Pick<DirectoryImportTable, 'organisation_id' | 'file_name'>): string {
  return `import:${imp.organisation_id}:${imp.file_name}`.slice(0, 200);
}

/** Names compared without case, accents or extra spaces ('Inès  MARTIN' = 'ines martin'). */
export function nameKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function inputOf(entry: ImportedEntry, reference: string, today: string): PocInput {
  return {
    kind: entry.kind,
    rank: entry.rank,
    name: entry.name,
    title: entry.title,
    organisation: entry.organisation,
    emails: entry.emails,
    phones: entry.phones,
    languages: entry.languages,
    timeZone: entry.timeZone,
    availability: entry.availability,
    pgpKey: entry.pgpKey,
    notes: entry.notes,
    nominationRef: reference,
    nominationDate: today,
  };
}

const phonesText = (phones: Phone[]) => phones.map((p) => `${p.number} (${p.label})`).join('; ');

/** The compared fields as text, for an entry here and for a checked row. */
function fieldsOfRow(row: PocTable, emails: string[]): Record<ComparedField, string> {
  return {
    kind: row.kind,
    rank: row.rank,
    name: row.name,
    title: row.title,
    organisation: row.organisation,
    emails: emails.join('; '),
    phones: phonesText(JSON.parse(row.phones) as Phone[]),
    languages: (JSON.parse(row.languages) as string[]).join('; '),
    timeZone: row.time_zone,
    availability: formatAvailability(JSON.parse(row.availability) as Availability),
    notes: row.notes,
    pgpKey: row.pgp_fingerprint ?? '',
  };
}

function fieldsOfValid(v: ValidPoc): Record<ComparedField, string> {
  return {
    kind: v.kind,
    rank: v.rank,
    name: v.name,
    title: v.title,
    organisation: v.organisation,
    emails: v.emails.join('; '),
    phones: phonesText(v.phones),
    languages: v.languages.join('; '),
    timeZone: v.timeZone,
    availability: formatAvailability(v.availability),
    notes: v.notes,
    pgpKey: v.pgp?.fingerprint ?? '',
  };
}

export function differencesOf(existing: OpenEntry, valid: ValidPoc): Difference[] {
  const current = fieldsOfRow(existing.row, existing.emails);
  const incoming = fieldsOfValid(valid);
  // A row without a key says nothing of the entry's key (a CSV carries none): the entry keeps its own.
  const compared = valid.pgp ? COMPARED_FIELDS : COMPARED_FIELDS.filter((f) => f !== 'pgpKey');
  return compared.filter((f) => current[f] !== incoming[f]).map((field) => ({ field, current: current[field], incoming: incoming[field] }));
}

function parse(imp: DirectoryImportTable) {
  return imp.format === 'csv' ? parseCsv(imp.content) : parseJson(imp.content);
}

/**
 * Reads the stored file and judges every row against the directory as it stands: the same field
 * checks as a nomination (the row's State's phone conventions), membership of the organisation, and
 * matching against the State's entries that are not withdrawn (same address: the same person; same
 * name only: a possible match for the Secretariat to confirm).
 */
export async function buildReport(cadre: Cadre, imp: DirectoryImportTable): Promise<ImportReport> {
  const db = cadre.database.db;
  const parsed = parse(imp);
  const counts = Object.fromEntries(ROW_STATUSES.map((s) => [s, 0])) as Record<RowStatus, number>;
  if (parsed.fileErrors.length > 0) return { import: imp, fileErrors: parsed.fileErrors.map((code) => ({ field: 'file', messageKey: code })), rows: [], counts };

  const now = cadreNow(cadre);
  const today = now.toISOString().slice(0, 10);
  const reference = importReference(imp);
  const [states, members] = await Promise.all([listStates(db), membersOf(db, imp.organisation_id)]);
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  const named = [...new Set(parsed.rows.flatMap((r) => (r.entry ? [r.entry.state] : [])))];
  const existing = await openEntriesOf(db, named.filter((s) => byIso.has(s)));
  const seen = new Map<string, number>();
  const rows: ReportRow[] = [];

  for (const parsedRow of parsed.rows) {
    const entry = parsedRow.entry;
    const base = { line: parsedRow.line, state: entry?.state ?? parsedRow.raw.state ?? '', name: entry?.name ?? parsedRow.raw.name ?? '', match: null, differences: [], valid: null };
    const refuse = (errors: RowProblem[]): ReportRow => ({ ...base, status: 'error', errors });
    if (!entry) {
      rows.push(refuse(parsedRow.errors.map((e) => ({ field: e.field, messageKey: e.code }))));
      continue;
    }
    const state = byIso.get(entry.state);
    if (!state) {
      rows.push(refuse([{ field: 'state', messageKey: 'directory.unknownState', values: { state: entry.state } }]));
      continue;
    }
    if (!members.has(state.iso3)) {
      rows.push(refuse([{ field: 'state', messageKey: 'directory.import.notMember', values: { state: state.iso3, organisation: imp.organisation_id } }]));
      continue;
    }
    let valid: ValidPoc;
    try {
      valid = await validatePocInput(inputOf(entry, reference, today), state.iso2, now);
    } catch (error) {
      if (!(error instanceof InvalidFields)) throw error;
      rows.push(refuse(error.fields.map((f) => ({ field: f.field, messageKey: f.messageKey, values: f.values }))));
      continue;
    }
    if (valid.pgp && entry.pgpFingerprint && entry.pgpFingerprint.replace(/\s+/g, '').toUpperCase() !== valid.pgp.fingerprint) {
      rows.push(refuse([{ field: 'pgpFingerprint', messageKey: 'directory.import.fingerprintMismatch', values: { fingerprint: valid.pgp.fingerprint } }]));
      continue;
    }
    const repeated = valid.emails.find((a) => seen.has(`${state.iso3} ${a}`));
    if (repeated) {
      rows.push(refuse([{ field: 'emails', messageKey: 'directory.import.duplicateInFile', values: { value: repeated, line: seen.get(`${state.iso3} ${repeated}`)! } }]));
      continue;
    }
    for (const a of valid.emails) seen.set(`${state.iso3} ${a}`, parsedRow.line);
    const mine = existing.filter((e) => e.row.state_iso3 === state.iso3);
    const sameAddress = mine.find((e) => e.emails.some((a) => valid.emails.includes(a)));
    if (!sameAddress) {
      // A new entry's primary address becomes (or is) a POC account of the same State: one address, one State.
      const holder = await findUserByEmail(db, valid.emails[0]!);
      if (holder && (holder.state_iso3 !== state.iso3 || (holder.role !== 'poc' && holder.role !== 'state-admin') || holder.status === 'disabled')) {
        rows.push(refuse([{ field: 'emails', messageKey: 'directory.emailOtherAccount', values: { value: valid.emails[0]! } }]));
        continue;
      }
    }
    const match = sameAddress ?? mine.find((e) => nameKey(e.row.name) === nameKey(valid.name));
    const differences = match ? differencesOf(match, valid) : [];
    const status: RowStatus = !match ? 'new' : !sameAddress ? 'possible' : differences.length ? 'conflict' : 'unchanged';
    rows.push({ ...base, name: valid.name, status, match: match ? { id: match.row.id, name: match.row.name } : null, differences, errors: [], valid });
  }
  for (const r of rows) counts[r.status] += 1;
  return { import: imp, fileErrors: [], rows, counts };
}

/** A row of an organisation's own upload as the organisation sees it: its line and its own problems. */
export interface SubmittedRow {
  line: number;
  state: string;
  name: string;
  errors: RowProblem[];
}

/** An upload as the organisation that sent it sees it, while the Secretariat reviews it. */
export interface Submission {
  import: Omit<DirectoryImportTable, 'content'>;
  fileErrors: RowProblem[];
  rows: SubmittedRow[];
}

// Problems that come from the directory the rows are matched against, not from the file: the
// organisation does not learn from them that an address already has an account elsewhere.
const MATCHING_PROBLEMS = new Set(['directory.emailOtherAccount']);

/**
 * What an organisation learns of its own upload: the problems of its file (format, fields, States
 * that are not its members), never what the upload was matched against (entries, accounts).
 */
export function submissionOf(report: ImportReport): Submission {
  const { content: _content, ...imp } = report.import;
  return {
    import: imp,
    fileErrors: report.fileErrors,
    rows: report.rows.map((r) => ({ line: r.line, state: r.state, name: r.name, errors: r.errors.filter((e) => !MATCHING_PROBLEMS.has(e.messageKey)) })),
  };
}
