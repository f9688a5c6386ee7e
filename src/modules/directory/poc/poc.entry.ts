import type { PocTable } from '../../../db/schema.ts';
import type { Availability, Phone, PocEntry } from './types.ts';

/** A stored entry in the exchange shape, with the addresses in use. */
export function toPocEntry(row: PocTable, emails: string[]): PocEntry {
  return {
    id: row.id,
    state: row.state_iso3,
    kind: row.kind,
    rank: row.rank,
    name: row.name,
    title: row.title,
    organisation: row.organisation,
    emails,
    phones: JSON.parse(row.phones) as Phone[],
    languages: JSON.parse(row.languages) as string[],
    timeZone: row.time_zone,
    availability: JSON.parse(row.availability) as Availability,
    pgpKey: row.pgp_key,
    pgpFingerprint: row.pgp_fingerprint,
    pgpExpiresAt: row.pgp_expires_at,
    notes: row.notes,
    status: row.status,
    confirmedUntil: row.confirmed_until,
    nominationRef: row.nomination_ref,
    nominationDate: row.nomination_date,
    updatedAt: row.updated_at,
  };
}

/** Active, but its confirmation ran out: marked in lists and statistics. */
export function isLapsed(row: Pick<PocTable, 'status' | 'confirmed_until'>, now: Date): boolean {
  return row.status === 'active' && Date.parse(row.confirmed_until) < now.getTime();
}
