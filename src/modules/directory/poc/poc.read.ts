import { recordAuditEvent } from '../../../audit/audit.repository.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import type { PocRevisionTable, PocTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { isReachable } from './availability.ts';
import { directoryView, type DirectoryView } from './directory.memo.ts';
import { readDirectorySettings } from './directory.settings.ts';
import { toPocEntry } from './poc.entry.ts';
import { pocPolicy, type PocAction, type PocSubject } from './poc.policy.ts';
import * as repo from './poc.repository.ts';
import type { Availability, PocEntry, PocKind, PocStatus } from './types.ts';

/** An entry as a reader gets it: the exchange shape plus what lists show beside it. */
export interface ReadEntry extends PocEntry {
  lapsed: boolean;
  reachableNow: boolean;
  sharedWith: string[];
  /** The result of its communication checks (verified, overdue, suspect, invalid), null before any. */
  checkGrade: PocTable['check_grade'];
  /** When a person last acknowledged a check. */
  checkVerifiedAt: string | null;
}

/** Does the reader's own State take part (has an active entry, or reciprocity is off)? Read in `view` when the caller holds one. */
export async function readerParticipates(cadre: Cadre, principal: Principal | null, view?: DirectoryView): Promise<boolean> {
  if (!principal) return false;
  if (principal.role === 'secretariat') return true;
  if (!principal.state) return false;
  const settings = await readDirectorySettings(cadre.database.db);
  return !settings.reciprocity || (await repo.stateParticipates(cadre.database.db, principal.state, view));
}

function subject(row: Pick<PocTable, 'state_iso3' | 'user_id' | 'status'>, sharedWith: string[], participates: boolean): PocSubject {
  return { state_iso3: row.state_iso3, user_id: row.user_id, status: row.status, shared_with: sharedWith, viewer_participates: participates };
}

// Entries share a few availabilities ('24/7', office hours) and language lists: a list of entries
// parses each stored text once per process (the parsed values are frozen, as they are shared).
const parsedTexts = new Map<string, unknown>();
function parsedOnce<T>(text: string): T {
  let value = parsedTexts.get(text);
  if (value === undefined) {
    value = deepFreeze(JSON.parse(text));
    if (parsedTexts.size >= 5000) parsedTexts.clear();
    parsedTexts.set(text, value);
  }
  return value as T;
}
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

const lapsedAt = (r: Pick<PocTable, 'status' | 'confirmed_until'>, now: Date): boolean => r.status === 'active' && Date.parse(r.confirmed_until) < now.getTime();
const reachableAt = (r: Pick<PocTable, 'status' | 'availability' | 'time_zone'>, now: Date): boolean =>
  r.status === 'active' && isReachable(parsedOnce<Availability>(r.availability), r.time_zone, now);

/** What an entry shows beside its row: the organisations it is shared with, its addresses in use. */
interface EntryDetails {
  consents: Map<string, string[]>;
  emails: Map<string, string[]>;
}

async function detailsOf(cadre: Cadre, rows: readonly PocTable[]): Promise<EntryDetails> {
  const ids = rows.map((r) => r.id);
  const [consents, emails] = await Promise.all([repo.consentsOf(cadre.database.db, ids), repo.verifiedEmails(cadre.database.db, ids)]);
  return { consents, emails };
}

/** What a caller of readable already knows, so that it is not read or worked out again. */
interface Known {
  /** What readerParticipates answers for this principal. */
  participates?: boolean;
  /** The rows' details. */
  details?: EntryDetails;
  /** Each row in the exchange shape (toPocEntry with its addresses in use), in the order of the rows. */
  shapes?: readonly PocEntry[];
}

async function readable(cadre: Cadre, principal: Principal, rows: readonly PocTable[], action: PocAction, known: Known = {}): Promise<ReadEntry[]> {
  const [viewerParticipates, { consents, emails }] = await Promise.all([known.participates ?? readerParticipates(cadre, principal), known.details ?? detailsOf(cadre, rows)]);
  const now = cadreNow(cadre);
  const entries: ReadEntry[] = [];
  rows.forEach((r, i) => {
    const sharedWith = consents.get(r.id) ?? [];
    if (!pocPolicy(principal, action, subject(r, sharedWith, viewerParticipates))) return;
    const entry: ReadEntry = {
      ...(known.shapes?.[i] ?? toPocEntry(r, emails.get(r.id) ?? [])),
      lapsed: lapsedAt(r, now),
      reachableNow: reachableAt(r, now),
      sharedWith,
      checkGrade: r.check_grade,
      checkVerifiedAt: r.check_verified_at,
    };
    Object.defineProperty(entry, SOURCE, { value: r });
    entries.push(entry);
  });
  return entries;
}

const SOURCE = Symbol('source row');

/**
 * The stored row an entry was read from. A row kept by directoryRead is one object for as long as
 * the directory's stamp stands, read together with the entry's addresses and consents, so a view
 * may key what it renders of the entry on it (with the reader's language and zone, and the badges
 * that follow the clock); any other row is a new object on every read.
 */
export function sourceRow(entry: ReadEntry): PocTable | undefined {
  return (entry as ReadEntry & { [SOURCE]?: PocTable })[SOURCE];
}

/** An entry as the directory's search page lists it: who, of which State and kind, and its badges. No contact details. */
export type ListedEntry = Pick<ReadEntry, 'id' | 'state' | 'kind' | 'rank' | 'name' | 'title' | 'organisation' | 'languages' | 'status' | 'lapsed' | 'reachableNow' | 'checkGrade' | 'checkVerifiedAt'>;

/** Rows of a listing and the organisations each is shared with, as directoryRead keeps them. */
interface Listing {
  rows: readonly repo.PocListingRow[];
  consents: Map<string, string[]>;
}

async function withConsents(cadre: Cadre, rows: readonly repo.PocListingRow[]): Promise<Listing> {
  return { rows, consents: await repo.consentsOf(cadre.database.db, rows.map((r) => r.id)) };
}

/** The rows of a listing the policy lets this principal list, as the page shows them. */
function listable(cadre: Cadre, principal: Principal, { rows, consents }: Listing, participates: boolean): ListedEntry[] {
  const now = cadreNow(cadre);
  const entries: ListedEntry[] = [];
  for (const r of rows) {
    if (pocPolicy(principal, 'list', subject(r, consents.get(r.id) ?? [], participates))) entries.push(listedEntry(r, now));
  }
  return entries;
}

/** A listed entry as worked out at one minute of the clock, with the instant its row lapses. */
interface Listed {
  minute: number;
  confirmedUntil: number;
  entry: ListedEntry;
}
const listedRows = new WeakMap<repo.PocListingRow, Listed>();

/**
 * A row as the search page lists it. A row kept by directoryRead (frozen, one object while the
 * directory's stamp stands) is worked out once per minute of the clock and shared (frozen): within
 * a minute, reachability does not change (it is read to the minute), and the lapsed badge is
 * checked again on every call.
 */
function listedEntry(r: repo.PocListingRow, now: Date): ListedEntry {
  const minute = Math.floor(now.getTime() / 60_000);
  const kept = Object.isFrozen(r) ? listedRows.get(r) : undefined;
  if (kept && kept.minute === minute && (r.status === 'active' && kept.confirmedUntil < now.getTime()) === kept.entry.lapsed) return kept.entry;
  const entry: ListedEntry = {
    id: r.id,
    state: r.state_iso3,
    kind: r.kind,
    rank: r.rank,
    name: r.name,
    title: r.title,
    organisation: r.organisation,
    languages: parsedOnce<string[]>(r.languages),
    status: r.status,
    lapsed: lapsedAt(r, now),
    reachableNow: reachableAt(r, now),
    checkGrade: r.check_grade,
    checkVerifiedAt: r.check_verified_at,
  };
  if (Object.isFrozen(r)) listedRows.set(r, { minute, confirmedUntil: Date.parse(r.confirmed_until), entry: Object.freeze(entry) });
  return entry;
}

export interface DirectoryQuery {
  state?: string | undefined;
  group?: string | undefined;
  organisation?: string | undefined;
  /** Only entries whose State consented to share them with this regional organisation. */
  sharedWith?: string | undefined;
  kind?: PocKind | undefined;
  language?: string | undefined;
  status?: PocStatus | 'lapsed' | undefined;
  q?: string | undefined;
  reachableNow?: boolean | undefined;
}

export interface DirectoryPage {
  entries: ReadEntry[];
  /** How many entries match. */
  total: number;
}

export const DIRECTORY_PAGE_SIZE = 50;

/**
 * What the reader may see, said in SQL (so that counts and pages are right): other States' entries
 * show only when active and the reader's State takes part; a regional organisation sees what was
 * shared with it. The policy still answers for every row.
 */
function directoryFilter(cadre: Cadre, principal: Principal, query: DirectoryQuery, participates: boolean): repo.PocFilter {
  const org = principal.role === 'regional-org';
  let statuses: PocStatus[] = query.status === 'lapsed' ? ['active'] : query.status ? [query.status] : ['pending', 'active'];
  if (org) statuses = statuses.filter((status) => status === 'active');
  return {
    states: query.state ? [query.state.toUpperCase()] : undefined,
    group: query.group,
    organisation: query.organisation?.toUpperCase(),
    kind: query.kind,
    language: query.language?.toLowerCase(),
    statuses,
    lapsedBefore: query.status === 'lapsed' ? cadreNow(cadre).toISOString() : undefined,
    text: query.q,
    // A regional organisation's client reads only what was shared with it, and may narrow that further.
    sharedWith: [...new Set([...(org ? [principal.organisation ?? '---'] : []), ...(query.sharedWith ? [query.sharedWith.toUpperCase()] : [])])],
    visibleTo: principal.role === 'secretariat' || org ? undefined : { ownState: principal.state, others: participates },
  };
}

/** Every entry this reader may see that matches the query, whole (contact details included): for the API and the exports. */
export async function searchDirectory(cadre: Cadre, principal: Principal, query: DirectoryQuery): Promise<DirectoryPage> {
  authorize('poc', pocPolicy, principal, 'list');
  const participates = await readerParticipates(cadre, principal);
  const rows = await repo.listPocs(cadre.database.db, directoryFilter(cadre, principal, query, participates));
  let entries = await readable(cadre, principal, rows, 'list', { participates });
  if (query.reachableNow) entries = entries.filter((e) => e.reachableNow);
  return { entries, total: entries.length };
}

export interface DirectoryListing {
  /** One page of the entries that match, as the search page lists them. */
  entries: ListedEntry[];
  /** How many entries match, over every page. */
  total: number;
  /** Whether the reader's State takes part (readerParticipates). */
  participates: boolean;
}

/**
 * One page of the entries this reader may see that match the query, as the search page lists
 * them: the same entries, in the same order, as searchDirectory, without reading contact details.
 */
export async function listDirectory(cadre: Cadre, principal: Principal, query: DirectoryQuery, page: number): Promise<DirectoryListing> {
  authorize('poc', pocPolicy, principal, 'list');
  const db = cadre.database.db;
  const view = await directoryView(db);
  const participates = await readerParticipates(cadre, principal, view);
  const filter = directoryFilter(cadre, principal, query, participates);
  // A "lapsed" filter names this instant: its answer would never be asked for again, only crowd out the others.
  const key = JSON.stringify(filter);
  const kept = <T>(name: string, read: () => Promise<T>): Promise<T> => (filter.lapsedBefore ? read() : view.read(`${name}:${key}`, read));
  if (query.reachableNow) {
    // Reachability is read on each entry's own clock: filtered here, then paged.
    const listing = await kept('listing', async () => withConsents(cadre, await repo.listListing(db, filter)));
    const reachable = listable(cadre, principal, listing, participates).filter((e) => e.reachableNow);
    return { entries: reachable.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE), total: reachable.length, participates };
  }
  const { total, ...listing } = await kept(`page:${page}`, async () => {
    const found = await repo.pageListing(db, filter, { limit: DIRECTORY_PAGE_SIZE, offset: (page - 1) * DIRECTORY_PAGE_SIZE });
    return { total: found.total, ...(await withConsents(cadre, found.rows)) };
  });
  return { entries: listable(cadre, principal, listing, participates), total, participates };
}

/**
 * One entry. An entry the reader may not see answers like one that does not exist (its existence
 * is itself confidential), after the refusal is recorded. Another State's reader is recorded too.
 */
export async function readEntry(cadre: Cadre, principal: Principal, id: string, ip: string | null, via: 'page' | 'api'): Promise<ReadEntry> {
  const row = await repo.findPoc(cadre.database.db, id);
  const [entry] = row ? await readable(cadre, principal, [row], 'view') : [];
  if (!row || !entry) {
    if (row) await refusal(cadre, principal, row, ip);
    throw new CadreError(404, 'directory.notFound');
  }
  await recordViews(cadre, principal, [entry], ip, via);
  return entry;
}

export interface StateEntries {
  /** The State's entries this reader may see (none for a reader whose State does not take part). */
  entries: ReadEntry[];
  /** Whether the State takes part (has an active entry), read off the same rows. */
  participates: boolean;
}

/** A State's entries as this reader may see them, and whether the State takes part. */
export async function readStateEntries(cadre: Cadre, principal: Principal, state: string, ip: string | null, via: 'page' | 'api'): Promise<StateEntries> {
  authorize('poc', pocPolicy, principal, 'list');
  const view = await directoryView(cadre.database.db);
  // Kept with the rows: each in the exchange shape (its stored lists parsed), shared by every reader.
  const { rows, details, shapes } = await view.read(`state:${state}`, async () => {
    const rows = await repo.listStatePocs(cadre.database.db, state);
    const details = await detailsOf(cadre, rows);
    return { rows, details, shapes: rows.map((r) => deepFreeze(toPocEntry(r, details.emails.get(r.id) ?? []))) };
  });
  const entries = await readable(cadre, principal, rows, 'view', { details, shapes, participates: await readerParticipates(cadre, principal, view) });
  await recordViews(cadre, principal, entries, ip, via);
  return { entries, participates: rows.some((r) => r.status === 'active') };
}

/**
 * The history of an entry, newest first: for its own State and the Secretariat. Its revisions hold
 * the entry's contact details as they stood: when they are handed out whole (`via`), a reader
 * outside the entry's State is recorded as for any view of them.
 */
export async function readHistory(cadre: Cadre, principal: Principal, id: string, ip: string | null = null, via?: string): Promise<PocRevisionTable[]> {
  const row = await repo.findPoc(cadre.database.db, id);
  if (!row) throw new CadreError(404, 'directory.notFound');
  if (!pocPolicy(principal, 'history', subject(row, [], true))) {
    // Visible but not its history (another State's entry): refused; not visible: as if absent.
    const [visible] = await readable(cadre, principal, [row], 'view');
    await refusal(cadre, principal, row, ip, 'poc:history');
    throw visible ? new CadreError(403, 'error.forbidden') : new CadreError(404, 'directory.notFound');
  }
  const revisions = await repo.listRevisions(cadre.database.db, id);
  if (via) await recordViews(cadre, principal, [{ id: row.id, state: row.state_iso3 }], ip, via);
  return revisions;
}

/** How many of a State's latest changes its page and the API show; each entry's own history is whole. */
export const STATE_HISTORY_SIZE = 30;

/**
 * The latest changes to a State's entries, newest first: for the State's own admins and POCs and
 * the Secretariat (as an entry's history is); null for any other reader. Handed out whole (`via`),
 * their contact details are recorded as viewed, as readHistory records them.
 */
export async function readStateHistory(cadre: Cadre, principal: Principal, state: string, ip: string | null = null, via?: string): Promise<repo.StateRevisionRow[] | null> {
  if (!pocPolicy(principal, 'history', subject({ state_iso3: state, user_id: '', status: 'active' }, [], true))) return null;
  const revisions = await repo.listStateRevisions(cadre.database.db, state, STATE_HISTORY_SIZE);
  if (via) await recordViews(cadre, principal, [...new Set(revisions.map((r) => r.poc_id))].map((id) => ({ id, state })), ip, via);
  return revisions;
}

/** The entry the policy lets this principal change, or 404 as if it did not exist. */
export async function entryForWriting(cadre: Cadre, principal: Principal, id: string, action: 'update' | 'withdraw' | 'confirm' | 'consent'): Promise<PocTable> {
  const row = await repo.findPoc(cadre.database.db, id);
  if (!row) throw new CadreError(404, 'directory.notFound');
  const participates = await readerParticipates(cadre, principal);
  if (!pocPolicy(principal, 'view', subject(row, [], participates))) throw new CadreError(404, 'directory.notFound');
  if (!pocPolicy(principal, action, subject(row, [], true))) throw new CadreError(403, 'error.forbidden');
  return row;
}

/**
 * Every view of contact details by someone outside the entry's State is an audit event: one per
 * request, naming the entries (a State page or a list shows several at once).
 */
export async function recordViews(cadre: Cadre, principal: Principal, entries: readonly Pick<PocEntry, 'id' | 'state'>[], ip: string | null, via: string): Promise<void> {
  const foreign = entries.filter((e) => e.state !== principal.state);
  if (foreign.length === 0) return;
  const states = [...new Set(foreign.map((e) => e.state))];
  await recordAuditEvent(cadre.database, {
    actor: { id: principal.userId, label: principal.email },
    action: 'poc.viewed',
    targetType: foreign.length === 1 ? 'poc' : 'state',
    targetId: foreign.length === 1 ? foreign[0]!.id : states.join(',').slice(0, 128),
    state: states.length === 1 ? states[0]! : null,
    ip,
    details: { via, entries: foreign.map((e) => e.id).slice(0, 500), count: foreign.length, reader: principal.state ?? principal.organisation ?? principal.role },
  });
}

async function refusal(cadre: Cadre, principal: Principal, row: PocTable, ip: string | null, policyName = 'poc:view'): Promise<void> {
  await recordAuditEvent(cadre.database, {
    actor: { id: principal.userId, label: principal.email },
    action: 'access.denied',
    targetType: 'poc',
    targetId: row.id,
    state: principal.state,
    ip,
    details: { policy: policyName },
  });
}
