import type { Generated } from 'kysely';

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

export interface DocumentTable {
  id: string;
  symbol: string | null;
  language: string;
  kind: string;
  title: string | null;
  latest_version: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface DocumentVersionTable {
  id: string;
  document_id: string;
  version: number;
  content_hash: string;
  source_name: string;
  media_type: string;
  original_text: string;
  kind: string;
  title: string | null;
  session: string | null;
  agenda_item: string | null;
  date: string | null;
  /** JSON array of names. */
  sponsors: string;
  /** JSON array of messages. */
  warnings: string;
  paragraph_count: number;
  ingested_by: string;
  ingested_at: Instant;
}

export interface ParagraphTable {
  id: string;
  version_id: string;
  seq: number;
  eid: string;
  kind: string;
  num: string | null;
  parent_eid: string | null;
  opening_word: string | null;
  text: string;
  /** JSON array of footnote numbers. */
  footnotes: string;
}

export interface FootnoteTable {
  id: string;
  version_id: string;
  num: string;
  text: string;
  paragraph_eid: string | null;
}

export interface CitationTable {
  id: string;
  version_id: string;
  paragraph_eid: string;
  target_symbol: string;
  verb: string | null;
  target_paragraph: string | null;
}

export interface CorrectionTable {
  id: string;
  version_id: string;
  seq: number;
  rule: string;
  original: string;
  corrected: string;
  offset: number;
}

/** Search terms of each paragraph of a document's latest version (2026112503_search). */
export interface ParagraphSearchTable {
  paragraph_id: string;
  version_id: string;
  document_id: string;
  language: string;
  /** The document's kind (resolution, report…). */
  kind: string;
  year: number | null;
  paragraph_kind: string;
  seq: number;
  /** Index terms, space-separated: see src/modules/library/search/stemming.ts. */
  stems: string;
}

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

export interface CheckCampaignTable {
  id: string;
  mode: 'routine' | 'exercise';
  /** JSON CheckScope. */
  scope: string;
  note: string;
  created_by: string | null;
  created_at: Instant;
  deadline_at: Instant;
  target_count: number;
  /** JSON array of hours before the deadline. */
  reminders: string;
  recurrence_months: number | null;
  next_run_at: Instant | null;
  closed_at: Instant | null;
}

export interface CheckTargetTable {
  id: string;
  campaign_id: string;
  poc_id: string;
  state_iso3: string;
  kind: 'diplomatic' | 'technical';
  address: string;
  language: string;
  status: 'queued' | 'sent' | 'undeliverable' | 'acknowledged';
  sent_at: Instant | null;
  acknowledged_at: Instant | null;
  channel: 'link' | 'reply' | 'portal' | null;
  failure: string | null;
}

/** A message caught by the demo's built-in mail catcher (`--demo` without SMTP_URL). */
export interface CaughtMailTable {
  id: string;
  received_at: Instant;
  /** The envelope's MAIL FROM. */
  mail_from: string;
  /** JSON array of the envelope's RCPT TO addresses. */
  recipients: string;
  subject: string;
  message_id: string | null;
  /** The text part, cut at 200 KB. */
  text: string;
  /** The HTML part, cut at 200 KB; null when the message has none. */
  html: string | null;
  /** Bytes of the message as it came over the wire. */
  raw_size: number;
}

export interface MessageThreadTable {
  id: string;
  from_state: string;
  template: string;
  urgency: 'routine' | 'urgent' | 'critical';
  tlp: string;
  status: 'sent' | 'acknowledged' | 'answered' | 'closed';
  hide_recipients: number;
  exercise_id: string | null;
  created_by: string | null;
  created_at: Instant;
  ack_deadline_at: Instant;
  response_deadline_at: Instant;
  last_activity_at: Instant;
  message_count: number;
}

export interface ThreadPartyTable {
  thread_id: string;
  state_iso3: string;
  role: 'sender' | 'recipient';
  /** JSON: { kind } or { pocs: [ids] } for a recipient; {} for the sender. */
  addressed: string;
  response_state: 'not-assessed' | 'in-progress' | 'not-applicable' | 'disputed' | 'completed';
  response_reason: string | null;
  own_reference: string | null;
  acknowledged_at: Instant | null;
  answered_at: Instant | null;
  alerted_at: Instant | null;
}

export interface MessageTable {
  id: string;
  thread_id: string;
  seq: number;
  template: string;
  author_id: string | null;
  author_state: string;
  tlp: string;
  created_at: Instant;
  /** Encrypted at rest. */
  content: string;
}

export interface ThreadReadTable {
  thread_id: string;
  user_id: string;
  seen_seq: number;
  seen_at: Instant;
}

export interface ExerciseTable {
  id: string;
  title: string;
  scenario: string;
  created_by: string | null;
  created_at: Instant;
  starts_at: Instant;
  ends_at: Instant;
  status: 'planned' | 'running' | 'ended';
}

export interface ExerciseStateTable {
  exercise_id: string;
  state_iso3: string;
}

/** A timed prompt: from `at` on, the State's POCs see it on the exercise page and in their inbox. */
export interface ExerciseInjectTable {
  id: string;
  exercise_id: string;
  at: Instant;
  to_state: string;
  template: string;
  note: string;
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
  thread_read: ThreadReadTable;
  directory_import: DirectoryImportTable;
  caught_mail: CaughtMailTable;
  exercise: ExerciseTable;
  exercise_state: ExerciseStateTable;
  exercise_inject: ExerciseInjectTable;
}

// Kept for columns a later migration may make generated.
export type { Generated };
