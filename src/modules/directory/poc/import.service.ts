import type { Transaction } from 'kysely';
import { appendAuditEvent } from '../../../audit/audit.repository.ts';
import { newId } from '../../../auth/crypto.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import type { Database, DirectoryImportTable, PocTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { confirmedUntil, readDirectorySettings } from './directory.settings.ts';
import { buildReport, submissionOf, type ImportReport, type ReportRow, type RowStatus, type Submission } from './import.report.ts';
import { claimImport, findImport, findOrganisation, insertImport, listImports, type ImportSummary } from './import.repository.ts';
import { pocPolicy } from './poc.policy.ts';
import * as repo from './poc.repository.ts';
import { accountFor, pocColumns, record, storeNewEntry, type WriteOptions } from './poc.service.ts';
import { addressRow, issueVerification } from './address.service.ts';
import { enqueueDirectoryMail } from './directory.jobs.ts';

export const IMPORT_FORMATS = ['csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportUpload {
  organisation: string;
  fileName: string;
  format: ImportFormat;
  content: string;
}

const countsOf = (report: ImportReport) => ({ rows: report.rows.length, ...report.counts, fileErrors: report.fileErrors.length });

/**
 * A regional organisation's directory is uploaded, by the Secretariat or by the organisation itself
 * (its own directory only): the file is kept as uploaded and judged row by row; nothing reaches
 * the directory until the Secretariat confirms.
 */
export async function previewImport(cadre: Cadre, actor: Principal, upload: ImportUpload, options: WriteOptions = {}): Promise<ImportReport> {
  authorize('poc', pocPolicy, actor, 'submit');
  const db = cadre.database.db;
  const own = actor.role === 'regional-org' ? actor.organisation : null;
  const named = upload.organisation.trim().toUpperCase() || (own ?? '');
  if (own !== null && named !== own) throw new CadreError(403, 'directory.import.ownOrganisationOnly', { organisation: own }, 'organisation');
  const organisation = await findOrganisation(db, named);
  if (!organisation) throw new CadreError(400, 'directory.import.unknownOrganisation', { organisation: upload.organisation }, 'organisation');
  const fileName = upload.fileName.trim().replace(/[\r\n]/g, ' ').slice(0, 200) || `directory.${upload.format}`;
  const row: DirectoryImportTable = {
    id: newId(),
    organisation_id: organisation.id,
    file_name: fileName,
    format: upload.format,
    content: upload.content,
    created_by: actor.userId,
    created_at: cadreNow(cadre).toISOString(),
    applied_at: null,
  };
  const report = await buildReport(cadre, row);
  await db.transaction().execute(async (trx) => {
    await insertImport(trx, row);
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'directory.import.previewed',
      targetType: 'directory_import',
      targetId: row.id,
      ip: options.ip ?? null,
      details: { organisation: row.organisation_id, file: row.file_name, format: row.format, ...countsOf(report) },
    });
    if (own !== null) {
      // The organisation's upload waits for the Secretariat: each of its people is told where to review it.
      const reviewers = await trx.selectFrom('app_user').select(['id', 'locale']).where('role', '=', 'secretariat').where('status', '=', 'active').execute();
      for (const r of reviewers) await enqueueDirectoryMail(trx, cadre, { kind: 'submitted', userId: r.id, importId: row.id, language: r.locale }, `submitted:${row.id}:${r.id}`);
    }
  });
  return report;
}

/** A stored upload judged against the directory as it stands now: for the Secretariat. */
export async function readImport(cadre: Cadre, actor: Principal, id: string): Promise<ImportReport> {
  authorize('poc', pocPolicy, actor, 'import');
  const row = await findImport(cadre.database.db, id);
  if (!row) throw new CadreError(404, 'directory.import.notFound');
  return buildReport(cadre, row);
}

/** An organisation's own upload as it may see it (another organisation's answers as if absent). */
export async function readSubmission(cadre: Cadre, actor: Principal, id: string): Promise<Submission> {
  authorize('poc', pocPolicy, actor, 'submit');
  const row = await findImport(cadre.database.db, id);
  if (!row || row.organisation_id !== actor.organisation) throw new CadreError(404, 'directory.import.notFound');
  return submissionOf(await buildReport(cadre, row));
}

/** How many uploads the lists show. */
export const IMPORT_LIST_SIZE = 50;

/** The latest uploads: every organisation's for the Secretariat, its own for an organisation. */
export async function listUploads(cadre: Cadre, actor: Principal): Promise<ImportSummary[]> {
  authorize('poc', pocPolicy, actor, 'submit');
  const own = actor.role === 'regional-org' ? actor.organisation : null;
  if (actor.role === 'regional-org' && !own) return [];
  return listImports(cadre.database.db, own, IMPORT_LIST_SIZE);
}

export interface ApplyChoice {
  /** Lines of conflicting or possibly matching rows whose values replace the entry's. */
  acceptConflicts: readonly number[];
  /** The Secretariat confirmed importing the good rows of a file that has rows in error. */
  goodRowsOnly: boolean;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  invitations: { email: string; mailed: boolean; link?: string | undefined }[];
}

/**
 * Applies a previewed import in one transaction: new rows become entries (source: the organisation,
 * pending until their POC enrols, invited like a nomination); matched rows are left alone unless
 * ticked, when the organisation's values replace the entry's. A failure anywhere writes nothing.
 */
export async function applyImport(cadre: Cadre, actor: Principal, id: string, choice: ApplyChoice, options: WriteOptions = {}): Promise<ImportCounts> {
  authorize('poc', pocPolicy, actor, 'import');
  const db = cadre.database.db;
  const imp = await findImport(db, id);
  if (!imp) throw new CadreError(404, 'directory.import.notFound');
  if (imp.applied_at) throw new CadreError(409, 'directory.import.alreadyApplied');
  const report = await buildReport(cadre, imp);
  if (report.fileErrors.length > 0) throw new CadreError(400, 'directory.import.fileRefused');
  const good = report.rows.filter((r) => r.status !== 'error').length;
  if (report.counts.error > 0 && !choice.goodRowsOnly) throw new CadreError(400, 'directory.import.confirmGoodRows', { count: good }, 'goodRowsOnly');
  const accepted = new Set(choice.acceptConflicts);
  const settings = await readDirectorySettings(db);
  const now = cadreNow(cadre);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    if (!(await claimImport(trx, imp.id, at))) throw new CadreError(409, 'directory.import.alreadyApplied');
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: report.counts.unchanged, skipped: 0, errors: report.counts.error, invitations: [] };
    for (const row of report.rows) {
      if (row.status === 'new') {
        const invitation = await createEntry(trx, cadre, actor, imp, row, confirmedUntil(now, settings.confirmMonths), at, options);
        if (invitation) counts.invitations.push(invitation);
        counts.created += 1;
      } else if ((row.status === 'conflict' || row.status === 'possible') && accepted.has(row.line)) {
        await takeValues(trx, cadre, actor, row, at, options);
        counts.updated += 1;
      } else if (row.status === 'conflict' || row.status === 'possible') counts.skipped += 1;
    }
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'directory.import.applied',
      targetType: 'directory_import',
      targetId: imp.id,
      ip: options.ip ?? null,
      details: { organisation: imp.organisation_id, file: imp.file_name, created: counts.created, updated: counts.updated, unchanged: counts.unchanged, skipped: counts.skipped, errors: counts.errors },
    });
    return counts;
  });
}

/** A new entry as a nomination makes it, its provenance the organisation; the POC is invited to enrol. */
async function createEntry(trx: Transaction<Database>, cadre: Cadre, actor: Principal, imp: DirectoryImportTable, row: ReportRow, until: string, at: string, options: WriteOptions) {
  const valid = row.valid!;
  const { user, invitation } = await accountFor(trx, cadre, actor, row.state, valid, options);
  const { entry } = await storeNewEntry(trx, cadre, { state: row.state, valid, user, confirmedUntil: until, source: imp.organisation_id, at, language: options.language });
  await record(trx, cadre, actor, entry, 'imported', at, options);
  return invitation ? { email: valid.emails[0]!, mailed: invitation.mailed, ...(invitation.mailed ? {} : { link: invitation.link }) } : null;
}

/**
 * The organisation's values replace the entry's. Its addresses stay; an address the entry lacks is
 * added, used once verified (as when a State's admin adds one).
 */
async function takeValues(trx: Transaction<Database>, cadre: Cadre, actor: Principal, row: ReportRow, at: string, options: WriteOptions) {
  const valid = row.valid!;
  const current = await repo.findPoc(trx, row.match!.id);
  if (!current || current.status === 'withdrawn') throw new CadreError(409, 'directory.changedMeanwhile');
  // A row without a key (a CSV carries none) leaves the entry's own key as it is.
  const { pgp_key, pgp_fingerprint, pgp_expires_at, ...rest } = pocColumns(valid);
  const fields = valid.pgp ? { ...rest, pgp_key, pgp_fingerprint, pgp_expires_at } : rest;
  const entry: PocTable = { ...current, ...fields, version: current.version + 1, updated_at: at };
  await repo.updatePocRow(trx, current.id, { ...fields, version: entry.version, updated_at: at });
  const open = await repo.openEmails(trx, current.id);
  let position = open.reduce((max, e) => Math.max(max, e.position), -1);
  for (const address of valid.emails) {
    if (open.some((e) => e.address === address)) continue;
    const added = addressRow(entry, address, ++position, null);
    await repo.insertEmail(trx, added);
    await issueVerification(trx, cadre, added, options.language);
  }
  await record(trx, cadre, actor, entry, 'importUpdated', at, options);
}

export type { RowStatus };
