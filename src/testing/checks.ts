import type { Insertable } from 'kysely';
import { newId } from '../auth/crypto.ts';
import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db/database.ts';
import type { PocEmailTable, PocTable, UserTable } from '../db/schema.ts';
import { LANGUAGES } from '../web/i18n.ts';

// Many active directory entries at once, for communication-check tests and benches: rows written
// straight into app_user, poc and poc_email (an active account, an active entry, its verified
// primary address at position 0), as nomination followed by enrolment leaves them, without the
// thousands of service calls (and audit events) that would take.

export interface SeededPoc {
  pocId: string;
  userId: string;
  state: string;
  kind: PocTable['kind'];
  address: string;
}

const DAY = 86_400_000;
/** Rows per INSERT: poc has ~30 columns, and SQLite takes at most 32,766 parameters a statement. */
const CHUNK = 400;

/**
 * `count` active entries spread over the 193 States in turn (first a diplomatic, then a technical
 * POC of every State, then alternates), working languages rotating through the six UN languages.
 * Addresses are `poc<N>.<iso3>@<domain>`, unique. Confirmed for a year, so no freshness reminder
 * is due.
 */
export async function seedActivePocs(database: Db, count: number, domain = 'checks.example'): Promise<SeededPoc[]> {
  const db = database.db;
  const states = (await db.selectFrom('state').select('iso3').orderBy('iso3').execute()).map((s) => s.iso3);
  if (states.length === 0) throw new Error('no States: migrate the database first');
  const now = new Date();
  const at = now.toISOString();
  const users: Insertable<UserTable>[] = [];
  const entries: Insertable<PocTable>[] = [];
  const emails: Insertable<PocEmailTable>[] = [];
  const seeded: SeededPoc[] = [];
  for (let i = 0; i < count; i++) {
    const state = states[i % states.length]!;
    const round = Math.floor(i / states.length);
    const kind = round % 2 === 0 ? 'diplomatic' : 'technical';
    const address = `poc${i}.${state.toLowerCase()}@${domain}`;
    const userId = newId();
    const pocId = newId();
    users.push({
      id: userId,
      email: address,
      display_name: `POC ${i} of ${state}`,
      role: 'poc',
      state_iso3: state,
      status: 'active',
      password_hash: null,
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: 0,
      locale: null,
      organisation_id: null,
      created_at: at,
      updated_at: at,
    });
    entries.push({
      id: pocId,
      state_iso3: state,
      kind,
      rank: round < 2 ? 'primary' : 'alternate',
      name: `POC ${i} of ${state}`,
      title: kind === 'diplomatic' ? 'Counsellor' : 'Head of the National CERT',
      organisation: kind === 'diplomatic' ? 'Ministry of Foreign Affairs' : 'National CERT',
      user_id: userId,
      status: 'active',
      phones: JSON.stringify([{ number: '+41 22 917 1234', label: 'office' }]),
      languages: JSON.stringify([LANGUAGES[i % LANGUAGES.length]]),
      time_zone: 'UTC',
      availability: JSON.stringify({ always: true }),
      pgp_key: null,
      pgp_fingerprint: null,
      pgp_expires_at: null,
      notes: '',
      nomination_ref: `NV/${state}/${i}`,
      nomination_date: at.slice(0, 10),
      confirmed_until: new Date(now.getTime() + 365 * DAY).toISOString(),
      version: 1,
      source: 'un',
      created_at: at,
      updated_at: at,
      activated_at: at,
      withdrawn_at: null,
      reminded_at: null,
    });
    emails.push({
      id: newId(),
      poc_id: pocId,
      state_iso3: state,
      address,
      position: 0,
      verified_at: at,
      replaces_id: null,
      token_hash: null,
      token_expires_at: null,
      created_at: at,
      retired_at: null,
    });
    seeded.push({ pocId, userId, state, kind, address });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i += CHUNK) {
      await trx.insertInto('app_user').values(users.slice(i, i + CHUNK)).execute();
      await trx.insertInto('poc').values(entries.slice(i, i + CHUNK)).execute();
      await trx.insertInto('poc_email').values(emails.slice(i, i + CHUNK)).execute();
    }
  });
  return seeded;
}

/** An active Secretariat account, for starting campaigns with the service directly (benches). */
export async function seedSecretariat(database: Db, email = 'secretariat@checks.example'): Promise<Principal> {
  const at = new Date().toISOString();
  const id = newId();
  await database.db
    .insertInto('app_user')
    .values({ id, email, display_name: 'Secretariat', role: 'secretariat', state_iso3: null, status: 'active', password_hash: null, totp_secret: null, totp_enabled: 0, totp_last_step: 0, locale: null, organisation_id: null, created_at: at, updated_at: at })
    .execute();
  return { userId: id, email, displayName: 'Secretariat', role: 'secretariat', state: null, organisation: null, via: 'session' };
}
