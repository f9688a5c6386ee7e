import type { FieldProblem } from '../../../errors.ts';
import { InvalidFields } from '../../../errors.ts';
import { parseAvailability } from './availability.ts';
import { checkEmail, checkLanguages, checkPhones, checkTimeZone } from './contact.ts';
import { parsePublicKey } from './openpgp-key.ts';
import { POC_KINDS, POC_RANKS, type Availability, type Phone, type PgpKeyInfo, type PocKind, type PocRank } from './types.ts';

/** A nomination or an update as the State's admin submits it, from a form or the API. */
export interface PocInput {
  kind: string;
  rank: string;
  name: string;
  title?: string | undefined;
  organisation?: string | undefined;
  /** The first is the primary address: the one the POC enrols with. */
  emails: string[];
  phones: { number: string; label: string }[];
  languages: string[];
  timeZone: string;
  /** The structure, or the compact text ('24/7', 'mon-fri 09:00-17:00'). */
  availability: Availability | string;
  pgpKey?: string | null | undefined;
  notes?: string | undefined;
  /** The note verbale or letter that makes the nomination, and its date (YYYY-MM-DD). */
  nominationRef: string;
  nominationDate: string;
}

export interface ValidPoc {
  kind: PocKind;
  rank: PocRank;
  name: string;
  title: string;
  organisation: string;
  emails: string[];
  phones: Phone[];
  languages: string[];
  timeZone: string;
  availability: Availability;
  pgp: PgpKeyInfo | null;
  notes: string;
  nominationRef: string;
  nominationDate: string;
}

const LIMITS = { name: 200, title: 200, organisation: 300, notes: 2000, nominationRef: 200, emails: 5, phones: 6, languages: 12 };

function text(problems: FieldProblem[], field: keyof typeof LIMITS, value: string | undefined, required: boolean): string {
  const v = (value ?? '').trim();
  if (required && !v) problems.push({ field, messageKey: 'validation.required' });
  else if (v.length > LIMITS[field]) problems.push({ field, messageKey: 'validation.maxLength', values: { limit: LIMITS[field] } });
  return v;
}

/**
 * Checks every field and reports them all at once (each with a message key for the user's
 * language), or returns the normalised entry. `defaultCountry` (ISO 3166-1 alpha-2 of the
 * nominating State) lets a phone be written in national form.
 */
export async function validatePocInput(input: PocInput, defaultCountry: string | undefined, now: Date): Promise<ValidPoc> {
  const problems: FieldProblem[] = [];
  if (!(POC_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', messageKey: 'validation.choice' });
  if (!(POC_RANKS as readonly string[]).includes(input.rank)) problems.push({ field: 'rank', messageKey: 'validation.choice' });
  const name = text(problems, 'name', input.name, true);
  const title = text(problems, 'title', input.title, false);
  const organisation = text(problems, 'organisation', input.organisation, false);
  const notes = text(problems, 'notes', input.notes, false);
  const nominationRef = text(problems, 'nominationRef', input.nominationRef, true);

  const emails: string[] = [];
  const given = input.emails.map((e) => e.trim()).filter(Boolean);
  if (given.length === 0) problems.push({ field: 'emails', messageKey: 'validation.required' });
  if (given.length > LIMITS.emails) problems.push({ field: 'emails', messageKey: 'directory.tooMany', values: { limit: LIMITS.emails } });
  for (const raw of given.slice(0, LIMITS.emails)) {
    const r = checkEmail(raw);
    if (!r.ok) problems.push({ field: 'emails', messageKey: r.code, values: { value: raw } });
    else if (emails.includes(r.value)) problems.push({ field: 'emails', messageKey: 'directory.duplicateEmail', values: { value: raw } });
    else emails.push(r.value);
  }

  const phoneRows = input.phones.filter((p) => p.number.trim());
  let phones: Phone[] = [];
  if (phoneRows.length > LIMITS.phones) problems.push({ field: 'phones', messageKey: 'directory.tooMany', values: { limit: LIMITS.phones } });
  const checked = checkPhones(phoneRows.slice(0, LIMITS.phones), defaultCountry);
  if (checked.ok) phones = checked.value;
  else for (const e of checked.errors) problems.push({ field: 'phones', messageKey: e.code, values: { value: phoneRows[e.index]?.number ?? '' } });

  let languages: string[] = [];
  const langs = checkLanguages(input.languages.slice(0, LIMITS.languages));
  if (langs.ok) languages = langs.value;
  else problems.push({ field: 'languages', messageKey: langs.code, values: { value: langs.subject ?? '' } });

  let timeZone = '';
  const tz = checkTimeZone(input.timeZone);
  if (tz.ok) timeZone = tz.value;
  else problems.push({ field: 'timeZone', messageKey: tz.code });

  let availability: Availability = { always: true };
  if (typeof input.availability === 'string') {
    const av = parseAvailability(input.availability);
    if (av.ok) availability = av.value;
    else problems.push({ field: 'availability', messageKey: av.code, values: AVAILABILITY_VALUES });
  } else {
    const av = parseAvailability(formatLoose(input.availability));
    if (av.ok) availability = av.value;
    else problems.push({ field: 'availability', messageKey: av.code, values: AVAILABILITY_VALUES });
  }

  if (!availability.always && Object.values(availability.hours).every((spans) => !spans || spans.length === 0)) {
    if (!problems.some((p) => p.field === 'availability')) problems.push({ field: 'availability', messageKey: 'directory.availability.none' });
  }

  let pgp: PgpKeyInfo | null = null;
  if (input.pgpKey && input.pgpKey.trim()) {
    const key = await parsePublicKey(input.pgpKey, now);
    if (key.ok) pgp = key.key;
    else problems.push({ field: 'pgpKey', messageKey: key.code });
  }

  const nominationDate = (input.nominationDate ?? '').trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(nominationDate) || Number.isNaN(Date.parse(`${nominationDate}T00:00:00Z`)) || new Date(`${nominationDate}T00:00:00Z`).toISOString().slice(0, 10) !== nominationDate) {
    problems.push({ field: 'nominationDate', messageKey: 'directory.invalidDate' });
  } else if (Date.parse(`${nominationDate}T00:00:00Z`) > now.getTime() + 86_400_000) {
    problems.push({ field: 'nominationDate', messageKey: 'directory.futureDate' });
  }

  if (problems.length) throw new InvalidFields(problems);
  return { kind: input.kind as PocKind, rank: input.rank as PocRank, name, title, organisation, emails, phones, languages, timeZone, availability, pgp, notes, nominationRef, nominationDate };
}

/** Values the availability messages show (examples written the way the parser reads them). */
const AVAILABILITY_VALUES = { example: 'mon-fri 09:00-17:00; sat 10:00-12:00', always: '24/7', format: 'HH:MM', first: '00:00', last: '24:00' };

/** A structure from the API goes through the same checks as the text: spans in order, no overlap. */
function formatLoose(av: Availability): string {
  if (av.always) return '24/7';
  return Object.entries(av.hours ?? {})
    .filter(([, spans]) => spans && spans.length)
    .map(([day, spans]) => `${day} ${spans!.map((s) => `${s.from}-${s.to}`).join(',')}`)
    .join('; ');
}
