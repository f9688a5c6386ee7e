import type { Kysely } from 'kysely';
import { nowIso } from '../../../auth/crypto.ts';
import type { Database } from '../../../db/schema.ts';

/** The directory's settings, kept in the `setting` table; the Secretariat changes them. */
export interface DirectorySettings {
  /** A State that has nominated no active POC sees who takes part but no contact details. */
  reciprocity: boolean;
  /** How long a confirmation holds: "confirmed until" = now + this many months. */
  confirmMonths: number;
  /** Days before "confirmed until" when the POC and the State's admins are reminded. */
  reminderDays: number;
}

export const DEFAULT_DIRECTORY_SETTINGS: DirectorySettings = { reciprocity: true, confirmMonths: 6, reminderDays: 30 };

const KEYS = { reciprocity: 'directory.reciprocity', confirmMonths: 'directory.confirmMonths', reminderDays: 'directory.reminderDays' } as const;

// Read on every directory request; kept a few seconds per database (another process's change shows within that).
const TTL_MS = 5_000;
const cache = new WeakMap<object, { at: number; settings: DirectorySettings }>();

export async function readDirectorySettings(db: Kysely<Database>): Promise<DirectorySettings> {
  if (db.isTransaction) return readSettings(db);
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.settings;
  const settings = await readSettings(db);
  cache.set(db, { at: Date.now(), settings });
  return settings;
}

async function readSettings(db: Kysely<Database>): Promise<DirectorySettings> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', Object.values(KEYS)).execute();
  const value = new Map(rows.map((r) => [r.key, r.value]));
  const int = (key: string, fallback: number, max: number) => {
    const n = Number(value.get(key));
    return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
  };
  return {
    reciprocity: value.has(KEYS.reciprocity) ? value.get(KEYS.reciprocity) === 'on' : DEFAULT_DIRECTORY_SETTINGS.reciprocity,
    confirmMonths: int(KEYS.confirmMonths, DEFAULT_DIRECTORY_SETTINGS.confirmMonths, 36),
    reminderDays: int(KEYS.reminderDays, DEFAULT_DIRECTORY_SETTINGS.reminderDays, 180),
  };
}

/** Forget the cached settings of this database (after a change, once its transaction has committed). */
export function forgetDirectorySettings(db: Kysely<Database>): void {
  cache.delete(db);
}

export async function writeDirectorySettings(db: Kysely<Database>, settings: DirectorySettings): Promise<void> {
  const now = nowIso();
  for (const [name, key] of Object.entries(KEYS) as [keyof DirectorySettings, string][]) {
    const raw = settings[name];
    const value = typeof raw === 'boolean' ? (raw ? 'on' : 'off') : String(raw);
    await db.insertInto('setting').values({ key, value, updated_at: now }).onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now })).execute();
  }
}

/** "Confirmed until" for a confirmation made at `from`: the same day of the month, `months` later (clamped). */
export function confirmedUntil(from: Date, months: number): string {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString();
}
