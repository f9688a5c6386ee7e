import type { Kysely } from 'kysely';
import type { Database, DirectoryImportTable, PocTable } from '../../../db/schema.ts';

type Db = Kysely<Database>;

export function insertImport(db: Db, row: DirectoryImportTable) {
  return db.insertInto('directory_import').values(row).execute();
}

export function findImport(db: Db, id: string): Promise<DirectoryImportTable | undefined> {
  return db.selectFrom('directory_import').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the import applied unless it already was; false when another confirmation came first. */
export async function claimImport(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('directory_import').set({ applied_at: at }).where('id', '=', id).where('applied_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An upload as lists show it: who uploaded it, and whether it was applied. */
export type ImportSummary = Omit<DirectoryImportTable, 'content'> & { created_by_label: string | null; created_by_role: string | null };

/** The latest uploads, newest first; of one organisation when given. */
export function listImports(db: Db, organisation: string | null, limit: number): Promise<ImportSummary[]> {
  let q = db
    .selectFrom('directory_import')
    .leftJoin('app_user', 'app_user.id', 'directory_import.created_by')
    .select([
      'directory_import.id',
      'directory_import.organisation_id',
      'directory_import.file_name',
      'directory_import.format',
      'directory_import.created_by',
      'directory_import.created_at',
      'directory_import.applied_at',
      'app_user.email as created_by_label',
      'app_user.role as created_by_role',
    ]);
  if (organisation) q = q.where('directory_import.organisation_id', '=', organisation);
  return q.orderBy('directory_import.created_at', 'desc').orderBy('directory_import.id').limit(limit).execute();
}

export function findOrganisation(db: Db, id: string) {
  return db.selectFrom('regional_organisation').select(['id', 'name_en']).where('id', '=', id).executeTakeFirst();
}

/** States belonging to the organisation (member or associate). */
export async function membersOf(db: Db, organisation: string): Promise<Set<string>> {
  const rows = await db.selectFrom('regional_membership').select('state_iso3').where('organisation_id', '=', organisation).where('status', 'in', ['member', 'associate']).execute();
  return new Set(rows.map((r) => r.state_iso3));
}

export interface OpenEntry {
  row: PocTable;
  /** Every address of the entry that is not retired (verified or awaiting verification), in order. */
  emails: string[];
}

/** The entries of these States that are not withdrawn, with their addresses: what an import is matched against. */
export async function openEntriesOf(db: Db, states: readonly string[]): Promise<OpenEntry[]> {
  if (states.length === 0) return [];
  const rows = await db.selectFrom('poc').selectAll().where('state_iso3', 'in', [...states]).where('status', '!=', 'withdrawn').orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const emails = await db
    .selectFrom('poc_email')
    .select(['poc_id', 'address'])
    .where('poc_id', 'in', rows.map((r) => r.id))
    .where('retired_at', 'is', null)
    .orderBy('poc_id')
    .orderBy('position')
    .execute();
  const byPoc = new Map<string, string[]>();
  for (const e of emails) byPoc.set(e.poc_id, [...(byPoc.get(e.poc_id) ?? []), e.address]);
  return rows.map((row) => ({ row, emails: byPoc.get(row.id) ?? [] }));
}
