// The directory's tables (src/modules/directory): regional organisations, points of contact and imports.
import type { Instant } from './schema.ts';

export interface RegionalOrganisationTable {
  id: string;
  name_en: string;
  as_of: string;
  /** JSON array of codes of members that are not UN Member States. */
  non_un_members: string;
  notes: string | null;
  source: string | null;
}

export interface RegionalMembershipTable {
  organisation_id: string;
  state_iso3: string;
  status: 'member' | 'suspended' | 'associate' | 'former';
}

export interface PocTable {
  id: string;
  state_iso3: string;
  kind: 'diplomatic' | 'technical';
  rank: 'primary' | 'alternate';
  name: string;
  title: string;
  organisation: string;
  user_id: string;
  status: 'pending' | 'active' | 'withdrawn';
  /** JSON array of {number, label}. */
  phones: string;
  /** JSON array of ISO 639-1 codes. */
  languages: string;
  time_zone: string;
  /** JSON Availability. */
  availability: string;
  pgp_key: string | null;
  pgp_fingerprint: string | null;
  pgp_expires_at: Instant | null;
  notes: string;
  nomination_ref: string;
  nomination_date: string;
  confirmed_until: Instant;
  version: number;
  source: string;
  created_at: Instant;
  updated_at: Instant;
  activated_at: Instant | null;
  withdrawn_at: Instant | null;
  reminded_at: Instant | null;
  /** The result of its checks: verified, overdue, suspect, invalid; null until first checked. */
  check_grade: 'verified' | 'overdue' | 'suspect' | 'invalid' | null;
  check_verified_at: Instant | null;
}

export interface PocEmailTable {
  id: string;
  poc_id: string;
  state_iso3: string;
  address: string;
  position: number;
  verified_at: Instant | null;
  replaces_id: string | null;
  token_hash: string | null;
  token_expires_at: Instant | null;
  created_at: Instant;
  retired_at: Instant | null;
}

export interface PocRevisionTable {
  id: string;
  poc_id: string;
  version: number;
  time: Instant;
  actor_id: string | null;
  actor_label: string;
  change: string;
  nomination_ref: string | null;
  /** JSON: the entry as it stood after the change. */
  snapshot: string;
}

export interface PocConsentTable {
  poc_id: string;
  organisation_id: string;
  granted_at: Instant;
  granted_by: string | null;
}

/** A regional organisation's directory uploaded by the Secretariat, kept between preview and confirmation. */
export interface DirectoryImportTable {
  id: string;
  organisation_id: string;
  file_name: string;
  format: 'csv' | 'json';
  /** The file's text, as uploaded. */
  content: string;
  created_by: string | null;
  created_at: Instant;
  applied_at: Instant | null;
}
