import type { Transaction } from 'kysely';
import { appendAuditEvent } from '../../../audit/audit.repository.ts';
import { newId } from '../../../auth/crypto.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import type { Database, PocEmailTable, PocTable, UserTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import type { Language } from '../../../web/i18n.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { findUserByEmail } from '../../users/user.repository.ts';
import { inviteUserIn, type Invitation } from '../../users/user.service.ts';
import { findState } from '../state.repository.ts';
import { confirmedUntil, readDirectorySettings } from './directory.settings.ts';
import { validatePocInput, type PocInput, type ValidPoc } from './poc.input.ts';
import { pocPolicy, type PocSubject } from './poc.policy.ts';
import * as repo from './poc.repository.ts';
import { toPocEntry } from './poc.entry.ts';
import { addressRow, issueVerification } from './address.service.ts';
import { enqueueDirectoryMail } from './directory.jobs.ts';

export interface WriteOptions {
  ip?: string | null | undefined;
  language?: Language | undefined;
  delivery?: 'auto' | 'link' | undefined;
}

export interface Nominated {
  entry: PocTable;
  /** The POC's enrolment invitation; null when the address already belongs to an enrolled account of the State. */
  invitation: Invitation | null;
  /** Without SMTP: the links that verify the other addresses, for the admin to deliver. */
  verificationLinks: string[];
}

export interface Updated {
  entry: PocTable;
  verificationLinks: string[];
}

/** The policy's view of a stored entry, for the writer's own State (reciprocity does not apply). */
export function writeSubject(row: Pick<PocTable, 'state_iso3' | 'user_id' | 'status'>): PocSubject {
  return { state_iso3: row.state_iso3, user_id: row.user_id, status: row.status, shared_with: [], viewer_participates: true };
}

const NEW_ENTRY = (state: string): PocSubject => ({ state_iso3: state, user_id: '', status: 'pending', shared_with: [], viewer_participates: true });

/**
 * A State's admin nominates a point of contact: the entry, its addresses, the first revision and the
 * audit event in one transaction, and an enrolment invitation for the POC unless its address already
 * belongs to an enrolled account of the same State. The entry counts as active once the POC has
 * proved control of the address by enrolling.
 */
export async function nominatePoc(cadre: Cadre, actor: Principal, stateIso3: string, input: PocInput, options: WriteOptions = {}): Promise<Nominated> {
  const stateCode = stateIso3.toUpperCase();
  authorize('poc', pocPolicy, actor, 'nominate', NEW_ENTRY(stateCode));
  const state = await findState(cadre.database.db, stateCode);
  if (!state) throw new CadreError(404, 'directory.unknownState', { state: stateCode });
  const now = cadreNow(cadre);
  const valid = await validatePocInput(input, state.iso2, now);
  const settings = await readDirectorySettings(cadre.database.db);
  return cadre.database.db.transaction().execute(async (trx) => {
    await refuseDuplicates(trx, cadre, state.iso3, valid.emails);
    const { user, invitation } = await accountFor(trx, cadre, actor, state.iso3, valid, options);
    const at = now.toISOString();
    const { entry, verificationLinks } = await storeNewEntry(trx, cadre, { state: state.iso3, valid, user, confirmedUntil: confirmedUntil(now, settings.confirmMonths), source: 'un', at, language: options.language });
    await record(trx, cadre, actor, entry, 'nominated', at, options);
    return { entry, invitation, verificationLinks };
  });
}

export interface NewEntry {
  state: string;
  valid: ValidPoc;
  /** The account behind it (see accountFor): active, the entry is active at once. */
  user: Pick<UserTable, 'id' | 'status'>;
  confirmedUntil: string;
  /** 'un' for a nomination, the organisation's id for an import. */
  source: string;
  at: string;
  language?: Language | undefined;
}

/**
 * Stores a new entry and its addresses: the primary one is the account's (proved by enrolling), each
 * other one gets its own verification link (handed back when no e-mail is sent).
 */
export async function storeNewEntry(trx: Transaction<Database>, cadre: Cadre, n: NewEntry): Promise<{ entry: PocTable; verificationLinks: string[] }> {
  const active = n.user.status === 'active';
  const entry: PocTable = {
    id: newId(),
    state_iso3: n.state,
    ...pocColumns(n.valid),
    user_id: n.user.id,
    status: active ? 'active' : 'pending',
    confirmed_until: n.confirmedUntil,
    version: 1,
    source: n.source,
    created_at: n.at,
    updated_at: n.at,
    activated_at: active ? n.at : null,
    withdrawn_at: null,
    reminded_at: null,
    check_grade: null,
    check_verified_at: null,
  };
  await repo.insertPoc(trx, entry);
  if (active) await readEntryTimeZone(trx, n.user.id, entry.time_zone);
  const verificationLinks: string[] = [];
  for (const [position, address] of n.valid.emails.entries()) {
    const row = addressRow(entry, address, position, position === 0 && active ? n.at : null);
    await repo.insertEmail(trx, row);
    if (position === 0) continue;
    const link = await issueVerification(trx, cadre, row, n.language);
    if (link) verificationLinks.push(link);
  }
  return { entry, verificationLinks };
}

/** Updates an entry; a new address is used only once verified (the address it replaces stays until then). */
export async function updatePoc(cadre: Cadre, actor: Principal, id: string, input: PocInput, options: WriteOptions = {}): Promise<Updated> {
  const db = cadre.database.db;
  const current = await repo.findPoc(db, id);
  if (!current) throw new CadreError(404, 'directory.notFound');
  authorize('poc', pocPolicy, actor, 'update', writeSubject(current));
  const state = await findState(db, current.state_iso3);
  const now = cadreNow(cadre);
  const valid = await validatePocInput(input, state?.iso2, now);
  return db.transaction().execute(async (trx) => {
    const fresh = await repo.findPoc(trx, id);
    if (!fresh || fresh.version !== current.version) throw new CadreError(409, 'directory.changedMeanwhile');
    await refuseDuplicates(trx, cadre, current.state_iso3, valid.emails, id);
    const at = now.toISOString();
    const { added, removed } = await replaceAddresses(trx, current, valid.emails, at);
    if (removed.length) {
      // A verified address that leaves with no successor is told at once, as a replaced one is once its successor is verified.
      const user = await trx.selectFrom('app_user').select('locale').where('id', '=', current.user_id).executeTakeFirst();
      for (const row of removed) await enqueueDirectoryMail(trx, cadre, { kind: 'removed', emailId: row.id, pocId: current.id, language: user?.locale ?? null }, `removed:${row.id}`);
    }
    const verificationLinks: string[] = [];
    for (const row of added) {
      const link = await issueVerification(trx, cadre, row, options.language);
      if (link) verificationLinks.push(link);
    }
    const entry: PocTable = { ...current, ...pocColumns(valid), version: current.version + 1, updated_at: at };
    await repo.updatePocRow(trx, id, { ...pocColumns(valid), version: entry.version, updated_at: at });
    await record(trx, cadre, actor, entry, 'updated', at, options);
    return { entry, verificationLinks };
  });
}

export interface WithdrawalInput {
  nominationRef: string;
  nominationDate: string;
}

/**
 * Withdraws an entry: it leaves the directory at once (its history stays). An account left with no
 * entry, and no other role than POC, is disabled and signed out.
 */
export async function withdrawPoc(cadre: Cadre, actor: Principal, id: string, input: WithdrawalInput, options: WriteOptions = {}): Promise<PocTable> {
  const db = cadre.database.db;
  const current = await repo.findPoc(db, id);
  if (!current) throw new CadreError(404, 'directory.notFound');
  authorize('poc', pocPolicy, actor, 'withdraw', writeSubject(current));
  const ref = input.nominationRef.trim();
  if (!ref) throw new CadreError(400, 'validation.required', {}, 'nominationRef');
  if (ref.length > 200) throw new CadreError(400, 'validation.maxLength', { limit: 200 }, 'nominationRef');
  const date = input.nominationDate.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new CadreError(400, 'directory.invalidDate', {}, 'nominationDate');
  const now = cadreNow(cadre);
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const entry: PocTable = { ...current, status: 'withdrawn', withdrawn_at: at, nomination_ref: ref, nomination_date: date, version: current.version + 1, updated_at: at };
    await repo.updatePocRow(trx, id, { status: 'withdrawn', withdrawn_at: at, nomination_ref: ref, nomination_date: date, version: entry.version, updated_at: at });
    const others = await trx.selectFrom('poc').select('id').where('user_id', '=', current.user_id).where('status', '!=', 'withdrawn').where('id', '!=', id).executeTakeFirst();
    if (!others) {
      const user = await trx.selectFrom('app_user').select(['id', 'role']).where('id', '=', current.user_id).executeTakeFirst();
      if (user?.role === 'poc') {
        await trx.updateTable('app_user').set({ status: 'disabled', updated_at: at }).where('id', '=', user.id).execute();
        await trx.deleteFrom('session').where('user_id', '=', user.id).execute();
      }
    }
    await record(trx, cadre, actor, entry, 'withdrawn', at, options);
    return entry;
  });
}

/** "Still current": confirmed until moves on by the configured months. One click, or one API call. */
export async function confirmPoc(cadre: Cadre, actor: Principal, id: string, options: WriteOptions = {}): Promise<PocTable> {
  const db = cadre.database.db;
  const current = await repo.findPoc(db, id);
  if (!current) throw new CadreError(404, 'directory.notFound');
  authorize('poc', pocPolicy, actor, 'confirm', writeSubject(current));
  const settings = await readDirectorySettings(db);
  const now = cadreNow(cadre);
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const until = confirmedUntil(now, settings.confirmMonths);
    const entry: PocTable = { ...current, confirmed_until: until, reminded_at: null, version: current.version + 1, updated_at: at };
    await repo.updatePocRow(trx, id, { confirmed_until: until, reminded_at: null, version: entry.version, updated_at: at });
    await record(trx, cadre, actor, entry, 'confirmed', at, options);
    return entry;
  });
}

/**
 * The account behind a nomination: a new POC account (invited to enrol, in this transaction), or an
 * account of the same State that the address already belongs to. Another State's account, or one
 * outside the State roles, is refused: one address, one State.
 */
export async function accountFor(trx: Transaction<Database>, cadre: Cadre, actor: Principal, state: string, valid: ValidPoc, options: WriteOptions) {
  const primary = valid.emails[0]!;
  const existing = await findUserByEmail(trx, primary);
  if (!existing) {
    const invitation = await inviteUserIn(trx, cadre, actor, { email: primary, role: 'poc', state, displayName: valid.name, timeZone: valid.timeZone }, options);
    return { user: invitation.user, invitation };
  }
  if (existing.state_iso3 !== state || (existing.role !== 'poc' && existing.role !== 'state-admin') || existing.status === 'disabled') {
    throw new CadreError(409, 'directory.emailOtherAccount', { value: primary }, 'emails');
  }
  return { user: existing as UserTable, invitation: null };
}

/**
 * One entry per State and address. The State's row is locked first, so that two nominations of one
 * address at the same moment queue and the second sees the first (PostgreSQL's transactions do not
 * see each other's uncommitted rows; on SQLite, a transaction takes the write lock as it begins).
 */
async function refuseDuplicates(trx: Transaction<Database>, cadre: Cadre, state: string, emails: string[], exceptPocId?: string): Promise<void> {
  if (cadre.database.engine === 'postgres') await trx.selectFrom('state').select('iso3').where('iso3', '=', state).forUpdate().execute();
  for (const address of emails) {
    const holder = await repo.findHolderOfAddress(trx, state, address, exceptPocId);
    if (holder) throw new CadreError(409, 'directory.duplicate', { value: address, name: holder.name }, 'emails', `/directory/entries/${holder.id}`);
  }
}

/**
 * Kept addresses keep their rows; an address that is gone is retired at once unless a new address
 * takes its place, in which case it stays in use until the new one is verified (then it is told of
 * the change and retired). Answers the new rows, and the verified ones retired now (to be told).
 */
async function replaceAddresses(trx: Transaction<Database>, entry: PocTable, emails: string[], at: string): Promise<{ added: PocEmailTable[]; removed: PocEmailTable[] }> {
  const open = await repo.openEmails(trx, entry.id);
  const byAddress = new Map(open.map((e) => [e.address, e]));
  const wanted = new Set(emails);
  // An unverified address that is no longer wanted goes at once.
  for (const row of open) if (!row.verified_at && !wanted.has(row.address)) await repo.updateEmail(trx, row.id, { retired_at: at });
  const awaited = new Set(open.filter((r) => !r.verified_at && wanted.has(r.address)).map((r) => r.replaces_id));
  const leaving = open.filter((r) => r.verified_at && !wanted.has(r.address) && !awaited.has(r.id));
  let replaced = 0;
  const added: PocEmailTable[] = [];
  for (const [position, address] of emails.entries()) {
    const row = byAddress.get(address);
    if (row) {
      if (row.position !== position) await repo.updateEmail(trx, row.id, { position });
      continue;
    }
    const replaces = leaving[replaced++];
    const fresh = { ...addressRow({ ...entry, updated_at: at }, address, position, null), replaces_id: replaces?.id ?? null };
    await repo.insertEmail(trx, fresh);
    added.push(fresh);
  }
  // A verified address that nothing takes over from goes now; the others stay until their successor is verified.
  const removed = leaving.slice(replaced);
  for (const row of removed) await repo.updateEmail(trx, row.id, { retired_at: at });
  return { added, removed };
}

/** The entry's columns from a checked nomination (or import row). */
export function pocColumns(v: ValidPoc) {
  return {
    kind: v.kind,
    rank: v.rank,
    name: v.name,
    title: v.title,
    organisation: v.organisation,
    phones: JSON.stringify(v.phones),
    languages: JSON.stringify(v.languages),
    time_zone: v.timeZone,
    availability: JSON.stringify(v.availability),
    pgp_key: v.pgp?.armored ?? null,
    pgp_fingerprint: v.pgp?.fingerprint ?? null,
    pgp_expires_at: v.pgp?.expiresAt ?? null,
    notes: v.notes,
    nomination_ref: v.nominationRef,
    nomination_date: v.nominationDate,
  };
}

/** The revision (the entry as it stands after the change) and the audit event, in the change's transaction. */
export function record(trx: Transaction<Database>, cadre: Cadre, actor: Principal | null, entry: PocTable, change: string, at: string, options: WriteOptions = {}): Promise<void> {
  return recordAs(trx, cadre, actor ? { id: actor.userId, email: actor.email } : null, entry, change, at, options);
}

async function recordAs(trx: Transaction<Database>, cadre: Cadre, actor: { id: string; email: string } | null, entry: PocTable, change: string, at: string, options: WriteOptions = {}): Promise<void> {
  const emails = (await repo.verifiedEmails(trx, [entry.id])).get(entry.id) ?? [];
  await repo.insertRevision(trx, {
    id: newId(),
    poc_id: entry.id,
    version: entry.version,
    time: at,
    actor_id: actor?.id ?? null,
    actor_label: actor ? actor.email : 'system',
    change,
    nomination_ref: entry.nomination_ref,
    snapshot: JSON.stringify(toPocEntry(entry, emails)),
  });
  await appendAuditEvent(trx, cadre.database.engine, {
    actor: actor ? { id: actor.id, label: actor.email } : { id: null, label: 'system' },
    action: `poc.${change}`,
    targetType: 'poc',
    targetId: entry.id,
    state: entry.state_iso3,
    ip: options.ip ?? null,
    details: { version: entry.version, kind: entry.kind, rank: entry.rank, ...(change === 'nominated' || change === 'withdrawn' ? { reference: entry.nomination_ref } : {}) },
  });
}

/**
 * The POC proved control of its primary address by enrolling: its pending entries become active,
 * confirmed from today. Runs inside the enrolment's transaction.
 */
export async function activateEntriesOf(trx: Transaction<Database>, cadre: Cadre, user: Pick<UserTable, 'id' | 'email'>): Promise<number> {
  const pending = await repo.pendingEntriesOf(trx, user.id);
  if (pending.length === 0) return 0;
  const settings = await readDirectorySettings(trx);
  const now = cadreNow(cadre);
  const at = now.toISOString();
  const actor = { id: user.id, email: user.email };
  for (const current of pending) {
    const until = confirmedUntil(now, settings.confirmMonths);
    const entry: PocTable = { ...current, status: 'active', activated_at: at, confirmed_until: until, version: current.version + 1, updated_at: at };
    await repo.updatePocRow(trx, current.id, { status: 'active', activated_at: at, confirmed_until: until, version: entry.version, updated_at: at });
    await trx.updateTable('poc_email').set({ verified_at: at }).where('poc_id', '=', current.id).where('address', '=', user.email).where('verified_at', 'is', null).execute();
    await recordAs(trx, cadre, actor, entry, 'activated', at);
  }
  await readEntryTimeZone(trx, user.id, pending[0]!.time_zone);
  return pending.length;
}

/** A POC who has not chosen a time zone reads Cadre's dates in the one its (first active) entry gives. */
async function readEntryTimeZone(trx: Transaction<Database>, userId: string, timeZone: string): Promise<void> {
  await trx.updateTable('app_user').set({ time_zone: timeZone }).where('id', '=', userId).where('time_zone', 'is', null).execute();
}
