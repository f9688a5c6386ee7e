// The exchanges between States: communication checks, caught demo mail, messages and exercises.
import type { Instant } from './schema.ts';

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

/** A file attached to a message; its bytes encrypted at rest. */
export interface MessageAttachmentTable {
  id: string;
  message_id: string;
  thread_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_at: Instant;
  /** base64 of the bytes, encrypted (c1 envelope, context `attachment:<id>`). */
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
