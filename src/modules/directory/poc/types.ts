// The point-of-contact entry as the directory exchanges it: pages, API, exports and imports all speak
// this shape (A/77/275 annex, para 16 a: diplomatic and technical points of contact).

export const POC_KINDS = ['diplomatic', 'technical'] as const;
export type PocKind = (typeof POC_KINDS)[number];

export const POC_RANKS = ['primary', 'alternate'] as const;
export type PocRank = (typeof POC_RANKS)[number];

/** Stored status; "lapsed" is derived (active, but its confirmed-until date has passed). */
export const POC_STATUSES = ['pending', 'active', 'withdrawn'] as const;
export type PocStatus = (typeof POC_STATUSES)[number];

export const PHONE_LABELS = ['office', 'mobile', 'hotline', 'fax'] as const;
export type PhoneLabel = (typeof PHONE_LABELS)[number];

export interface Phone {
  /** E.164, e.g. +33153595000 */
  number: string;
  label: PhoneLabel;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of local time, 'HH:MM' 24-hour; `to` after `from` ('24:00' allowed as `to`). */
export interface TimeSpan {
  from: string;
  to: string;
}

/** When a POC answers: round the clock, or spans per weekday in the POC's own time zone. */
export type Availability = { always: true } | { always: false; hours: Partial<Record<Weekday, TimeSpan[]>> };

/** What Cadre keeps of an OpenPGP public key once parsed. */
export interface PgpKeyInfo {
  /** The armored public key, as given (normalised line endings). */
  armored: string;
  /** Upper-case hex, no spaces (40 hex digits for v4 keys, 64 for v6). */
  fingerprint: string;
  /** ISO-8601 UTC, or null for a key that never expires. */
  expiresAt: string | null;
  createdAt: string;
  userIds: string[];
  /** e.g. 'ed25519', 'rsa4096' */
  algorithm: string;
}

/** One entry, in the exchange shape. */
export interface PocEntry {
  id: string;
  /** ISO 3166-1 alpha-3 of the nominating State. */
  state: string;
  kind: PocKind;
  rank: PocRank;
  name: string;
  title: string;
  organisation: string;
  /** Verified addresses only, the first one is the primary address. */
  emails: string[];
  phones: Phone[];
  /** ISO 639-1 codes, lower case (e.g. 'fr', 'ar'). */
  languages: string[];
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timeZone: string;
  availability: Availability;
  /** Armored OpenPGP public key, or null. */
  pgpKey: string | null;
  pgpFingerprint: string | null;
  pgpExpiresAt: string | null;
  notes: string;
  status: PocStatus;
  /** ISO-8601 UTC date-time until which the State has confirmed the entry. */
  confirmedUntil: string;
  nominationRef: string;
  /** YYYY-MM-DD */
  nominationDate: string;
  updatedAt: string;
}
