import type { Generated } from 'kysely';
import type { DocumentTable, DocumentVersionTable, ParagraphTable, FootnoteTable, CitationTable, CorrectionTable, ParagraphSearchTable } from './schema.library.ts';
export type { DocumentTable, DocumentVersionTable, ParagraphTable, FootnoteTable, CitationTable, CorrectionTable, ParagraphSearchTable } from './schema.library.ts';
import type { RegionalOrganisationTable, RegionalMembershipTable, PocTable, PocEmailTable, PocRevisionTable, PocConsentTable, DirectoryImportTable } from './schema.directory.ts';
export type { RegionalOrganisationTable, RegionalMembershipTable, PocTable, PocEmailTable, PocRevisionTable, PocConsentTable, DirectoryImportTable } from './schema.directory.ts';
import type { CheckCampaignTable, CheckTargetTable, CaughtMailTable, MessageThreadTable, ThreadPartyTable, MessageTable, MessageAttachmentTable, ThreadReadTable, ExerciseTable, ExerciseStateTable, ExerciseInjectTable } from './schema.exchanges.ts';
export type { CheckCampaignTable, CheckTargetTable, CaughtMailTable, MessageThreadTable, ThreadPartyTable, MessageTable, MessageAttachmentTable, ThreadReadTable, ExerciseTable, ExerciseStateTable, ExerciseInjectTable } from './schema.exchanges.ts';


/** Times are ISO-8601 UTC strings (`2026-11-25T13:41:27.000Z`) on both engines; flags are 0/1. */
export type Instant = string;

export const ROLES = ['secretariat', 'state-admin', 'poc', 'regional-org', 'stakeholder'] as const;
export type Role = (typeof ROLES)[number];

export const REGIONAL_GROUPS = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const;
export type RegionalGroup = (typeof REGIONAL_GROUPS)[number];

export interface StateTable {
  iso3: string;
  iso2: string;
  m49: string;
  regional_group: string;
  name_ar: string;
  name_zh: string;
  name_en: string;
  name_fr: string;
  name_ru: string;
  name_es: string;
  note: string | null;
}

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  state_iso3: string | null;
  status: 'invited' | 'active' | 'disabled';
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number;
  locale: string | null;
  /** IANA time zone the user reads instants in; null reads them in UTC. */
  time_zone: string | null;
  /** The regional organisation a `regional-org` client belongs to; null for every other role. */
  organisation_id: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface InvitationTable {
  id: string;
  user_id: string;
  token_hash: string;
  purpose: 'enrol' | 'reset';
  created_by: string | null;
  created_at: Instant;
  expires_at: Instant;
  used_at: Instant | null;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Instant | null;
}

export interface PasskeyTable {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string;
  created_at: Instant;
  last_used_at: Instant | null;
}

export interface WebauthnChallengeTable {
  id: string;
  challenge: string;
  user_id: string | null;
  purpose: 'register' | 'authenticate';
  expires_at: Instant;
}

export interface SessionTable {
  id: string;
  user_id: string;
  created_at: Instant;
  last_seen_at: Instant;
  expires_at: Instant;
  ip: string;
  user_agent: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: Instant;
  expires_at: Instant | null;
  last_used_at: Instant | null;
  revoked_at: Instant | null;
}

export interface RateLimitTable {
  key: string;
  window_start: Instant;
  count: number;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  locked_until: Instant | null;
  updated_at: Instant;
}

export interface AuditEventTable {
  seq: number;
  time: Instant;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  state_iso3: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The directory's stamp, replaced by triggers on every change to what directory reads show. */
export interface DirectoryStampTable {
  id: number;
  stamp: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  idempotency_key: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: Instant;
  locked_by: string | null;
  locked_until: Instant | null;
  last_error: string | null;
  created_at: Instant;
  updated_at: Instant;
  finished_at: Instant | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: Instant;
}

export interface Database {
  state: StateTable;
  app_user: UserTable;
  invitation: InvitationTable;
  recovery_code: RecoveryCodeTable;
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  rate_limit: RateLimitTable;
  sign_in_throttle: SignInThrottleTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  directory_stamp: DirectoryStampTable;
  job: JobTable;
  setting: SettingTable;
  regional_organisation: RegionalOrganisationTable;
  regional_membership: RegionalMembershipTable;
  document: DocumentTable;
  document_version: DocumentVersionTable;
  paragraph: ParagraphTable;
  footnote: FootnoteTable;
  citation: CitationTable;
  correction: CorrectionTable;
  paragraph_search: ParagraphSearchTable;
  poc: PocTable;
  poc_email: PocEmailTable;
  poc_revision: PocRevisionTable;
  poc_consent: PocConsentTable;
  check_campaign: CheckCampaignTable;
  check_target: CheckTargetTable;
  message_thread: MessageThreadTable;
  thread_party: ThreadPartyTable;
  message: MessageTable;
  message_attachment: MessageAttachmentTable;
  thread_read: ThreadReadTable;
  directory_import: DirectoryImportTable;
  caught_mail: CaughtMailTable;
  exercise: ExerciseTable;
  exercise_state: ExerciseStateTable;
  exercise_inject: ExerciseInjectTable;
}

// Kept for columns a later migration may make generated.
export type { Generated };
