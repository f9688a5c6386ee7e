import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { preparedListQuery, preparedQuery } from '../../../db/prepared.ts';
import { directoryView, type DirectoryView } from './directory.memo.ts';
import type { Database, PocEmailTable, PocRevisionTable, PocTable } from '../../../db/schema.ts';
import type { PocKind, PocStatus } from './types.ts';

type Db = Kysely<Database>;

export function insertPoc(db: Db, row: PocTable) {
  return db.insertInto('poc').values(row).execute();
}

export function updatePocRow(db: Db, id: string, patch: Partial<PocTable>) {
  return db.updateTable('poc').set(patch).where('id', '=', id).execute();
}

export function findPoc(db: Db, id: string): Promise<PocTable | undefined> {
  return db.selectFrom('poc').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PocFilter {
  states?: readonly string[] | undefined;
  group?: string | undefined;
  organisation?: string | undefined;
  kind?: PocKind | undefined;
  language?: string | undefined;
  statuses?: readonly PocStatus[] | undefined;
  /** Words looked for in name, title and organisation (case-insensitive). */
  text?: string | undefined;
  /** Only entries that consented to be shared with each of these regional organisations. */
  sharedWith?: readonly string[] | undefined;
  /** Entries confirmed until before this instant (lapsed). */
  lapsedBefore?: string | undefined;
  /**
   * What a State's reader may see, said in SQL so that counts and pages are right: its own State's
   * entries, and other States' active ones only when `others` (the policy still checks each row).
   */
  visibleTo?: { ownState: string | null; others: boolean } | undefined;
}

/**
 * The status, as the filters compare it. It is never null: the coalesce only keeps SQLite from
 * reaching the entries of a status through poc_confirmed_idx and then sorting every one of them,
 * rather than reading them in the listing's order off poc_listing_idx.
 */
const status = sql<PocStatus>`coalesce(poc.status, '')`;

function filtered(db: Db, filter: PocFilter) {
  let q = db.selectFrom('poc');
  if (filter.states) q = q.where('poc.state_iso3', 'in', filter.states.length ? [...filter.states] : ['---']);
  if (filter.group) q = q.where('poc.state_iso3', 'in', db.selectFrom('state').select('iso3').where('regional_group', '=', filter.group));
  if (filter.organisation) {
    q = q.where('poc.state_iso3', 'in', db.selectFrom('regional_membership').select('state_iso3').where('organisation_id', '=', filter.organisation).where('status', '!=', 'former'));
  }
  if (filter.kind) q = q.where('poc.kind', '=', filter.kind);
  if (filter.language) q = q.where('poc.languages', 'like', `%"${filter.language}"%`);
  if (filter.statuses) q = filter.statuses.length ? q.where(status, 'in', [...filter.statuses]) : q.where(sql<boolean>`1 = 0`);
  for (const organisation of filter.sharedWith ?? []) q = q.where('poc.id', 'in', db.selectFrom('poc_consent').select('poc_id').where('organisation_id', '=', organisation));
  if (filter.lapsedBefore) q = q.where('poc.confirmed_until', '<', filter.lapsedBefore);
  const visible = filter.visibleTo;
  if (visible) {
    const own = visible.ownState ?? '---';
    q = visible.others ? q.where((eb) => eb.or([eb('poc.state_iso3', '=', own), eb(status, '=', 'active')])) : q.where('poc.state_iso3', '=', own);
  }
  // SQLite's like already ignores the case of ASCII letters, the only ones its lower() folds:
  // there, lower() would change no answer and cost a copy of three values per entry.
  const folded = db.getExecutor().adapter instanceof PostgresAdapter ? (column: string) => sql`lower(${sql.ref(column)})` : (column: string) => sql.ref(column);
  for (const word of (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = `%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(folded('poc.name'), 'like', sql`${like} escape '\\'`),
        eb(folded('poc.title'), 'like', sql`${like} escape '\\'`),
        eb(folded('poc.organisation'), 'like', sql`${like} escape '\\'`),
      ]),
    );
  }
  return q;
}

const ORDER = ['poc.state_iso3', 'poc.kind', 'poc.rank desc', 'poc.name', 'poc.id'] as const;

/** Entries matching the filter, by State, kind (diplomatic first), rank (primary first), name. */
export function listPocs(db: Db, filter: PocFilter): Promise<PocTable[]> {
  return filtered(db, filter).selectAll('poc').orderBy(sql.raw(ORDER.join(', '))).execute();
}

/** A State's entries, withdrawn ones included (its page shows them), in the order of listPocs. */
const selectStatePocs = preparedQuery(
  (db, state: string) => db.selectFrom('poc').selectAll('poc').where('poc.state_iso3', '=', state).where(sql<boolean>`${status} in ('pending', 'active', 'withdrawn')`).orderBy(sql.raw(ORDER.join(', '))),
  [''],
);
export function listStatePocs(db: Db, state: string): Promise<PocTable[]> {
  return selectStatePocs(db, state);
}

/** What a list of entries shows of each, and what the policy and the badges look at: no contact details. */
const LISTING_COLUMNS = [
  'poc.id',
  'poc.state_iso3',
  'poc.kind',
  'poc.rank',
  'poc.name',
  'poc.title',
  'poc.organisation',
  'poc.user_id',
  'poc.status',
  'poc.languages',
  'poc.time_zone',
  'poc.availability',
  'poc.confirmed_until',
  'poc.check_grade',
  'poc.check_verified_at',
] as const;
export type PocListingRow = Pick<
  PocTable,
  'id' | 'state_iso3' | 'kind' | 'rank' | 'name' | 'title' | 'organisation' | 'user_id' | 'status' | 'languages' | 'time_zone' | 'availability' | 'confirmed_until' | 'check_grade' | 'check_verified_at'
>;

/** The listing of the entries matching the filter, in the order of listPocs. */
export function listListing(db: Db, filter: PocFilter): Promise<PocListingRow[]> {
  return filtered(db, filter).select(LISTING_COLUMNS).orderBy(sql.raw(ORDER.join(', '))).execute();
}

/**
 * One page of the listing of the entries matching the filter, and how many match in all. The page
 * is read in order off poc_listing_idx, which stops once it is full; the matches are counted only
 * when the page does not already tell how many there are (full, or past the last).
 */
export async function pageListing(db: Db, filter: PocFilter, page: { limit: number; offset: number }): Promise<{ rows: PocListingRow[]; total: number }> {
  const matching = filtered(db, filter);
  const rows = await matching.select(LISTING_COLUMNS).orderBy(sql.raw(ORDER.join(', '))).limit(page.limit).offset(page.offset).execute();
  if (rows.length > 0 && rows.length < page.limit) return { rows, total: page.offset + rows.length };
  if (rows.length === 0 && page.offset === 0) return { rows, total: 0 };
  const count = await matching.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

const selectVerifiedEmails = preparedListQuery((db, pocIds) =>
  db
    .selectFrom('poc_email')
    .select(['poc_id', 'address'])
    .where('poc_id', 'in', [...pocIds])
    .where('verified_at', 'is not', null)
    .where('retired_at', 'is', null)
    .orderBy('poc_id')
    .orderBy('position'),
);

/** The addresses of these entries that are in use (verified, not retired), in order, by entry. */
export async function verifiedEmails(db: Db, pocIds: readonly string[]): Promise<Map<string, string[]>> {
  return byPoc(pocIds.length ? await selectVerifiedEmails(db, pocIds) : [], (r) => r.address);
}

/** Rows grouped by their entry, each group in the rows' order. */
function byPoc<Row extends { poc_id: string }>(rows: readonly Row[], value: (row: Row) => string): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const r of rows) {
    const list = grouped.get(r.poc_id);
    if (list) list.push(value(r));
    else grouped.set(r.poc_id, [value(r)]);
  }
  return grouped;
}

/** Every address row of one entry that is not retired, verified or waiting, in order. */
export function openEmails(db: Db, pocId: string): Promise<PocEmailTable[]> {
  return db.selectFrom('poc_email').selectAll().where('poc_id', '=', pocId).where('retired_at', 'is', null).orderBy('position').execute();
}

export function insertEmail(db: Db, row: PocEmailTable) {
  return db.insertInto('poc_email').values(row).execute();
}

export function updateEmail(db: Db, id: string, patch: Partial<PocEmailTable>) {
  return db.updateTable('poc_email').set(patch).where('id', '=', id).execute();
}

/** The entry of this State, not withdrawn, that already holds this address (a duplicate nomination). */
export function findHolderOfAddress(db: Db, state: string, address: string, exceptPocId?: string) {
  let q = db
    .selectFrom('poc_email')
    .innerJoin('poc', 'poc.id', 'poc_email.poc_id')
    .select(['poc.id', 'poc.name'])
    .where('poc_email.state_iso3', '=', state)
    .where('poc_email.address', '=', address)
    .where('poc_email.retired_at', 'is', null)
    .where('poc.status', '!=', 'withdrawn');
  if (exceptPocId) q = q.where('poc.id', '!=', exceptPocId);
  return q.executeTakeFirst();
}

export function insertRevision(db: Db, row: PocRevisionTable) {
  return db.insertInto('poc_revision').values(row).execute();
}

export function listRevisions(db: Db, pocId: string): Promise<PocRevisionTable[]> {
  return db.selectFrom('poc_revision').selectAll().where('poc_id', '=', pocId).orderBy('version', 'desc').execute();
}

/** A change to one of a State's entries, with the entry's name as the entry now stands. */
export type StateRevisionRow = PocRevisionTable & { name: string; kind: PocKind };

/** The latest changes to a State's entries (withdrawn ones included), newest first. */
export function listStateRevisions(db: Db, state: string, limit: number): Promise<StateRevisionRow[]> {
  return db
    .selectFrom('poc_revision')
    .innerJoin('poc', 'poc.id', 'poc_revision.poc_id')
    .selectAll('poc_revision')
    .select(['poc.name', 'poc.kind'])
    .where('poc.state_iso3', '=', state)
    .orderBy('poc_revision.time', 'desc')
    .orderBy('poc_revision.poc_id')
    .orderBy('poc_revision.version', 'desc')
    .limit(limit)
    .execute();
}

const selectConsents = preparedListQuery((db, pocIds) => db.selectFrom('poc_consent').select(['poc_id', 'organisation_id']).where('poc_id', 'in', [...pocIds]).orderBy('organisation_id'));

/** The regional organisations each entry consents to share with. */
export async function consentsOf(db: Db, pocIds: readonly string[]): Promise<Map<string, string[]>> {
  return byPoc(pocIds.length ? await selectConsents(db, pocIds) : [], (r) => r.organisation_id);
}

/** States with at least one active entry: the States that take part. */
export async function participatingStates(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('poc').select('state_iso3').distinct().where('status', '=', 'active').execute();
  return new Set(rows.map((r) => r.state_iso3));
}

const selectActiveEntry = preparedQuery((db, state: string) => db.selectFrom('poc').select('id').where('state_iso3', '=', state).where(sql<boolean>`status = 'active'`).limit(sql.lit(1)), ['']);

/** Whether the State has an active entry: whether it takes part (in `view`, when the caller holds one). */
export async function stateParticipates(db: Db, state: string, view?: DirectoryView): Promise<boolean> {
  return (view ?? (await directoryView(db))).read(`participates:${state}`, async () => (await selectActiveEntry(db, state)).length > 0);
}

/** The pending entries of an account that just proved control of its address. */
export function pendingEntriesOf(db: Db, userId: string) {
  return db.selectFrom('poc').selectAll().where('user_id', '=', userId).where('status', '=', 'pending').execute();
}

export interface StateCounts {
  state_iso3: string;
  pending: number;
  active: number;
  lapsed: number;
  withdrawn: number;
  oldest_confirmed_until: string | null;
}

/** Entries per State and status, lapsed counted apart (active whose confirmation ran out before `now`). */
export async function countsByState(db: Db, now: string): Promise<StateCounts[]> {
  const rows = await db
    .selectFrom('poc')
    .select((eb) => [
      'state_iso3',
      eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'active').then(1).else(0).end()).as('active'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'active'), eb('confirmed_until', '<', now)])).then(1).else(0).end()).as('lapsed'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'withdrawn').then(1).else(0).end()).as('withdrawn'),
      eb.fn.min<string>(eb.case().when('status', '=', 'active').then(eb.ref('confirmed_until')).else(null).end()).as('oldest_confirmed_until'),
    ])
    .groupBy('state_iso3')
    .execute();
  return rows.map((r) => ({ ...r, pending: Number(r.pending), active: Number(r.active), lapsed: Number(r.lapsed), withdrawn: Number(r.withdrawn) }));
}
