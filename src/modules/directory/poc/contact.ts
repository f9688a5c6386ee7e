// Field checks for a point-of-contact entry (A/77/275 annex, para 16 a): each returns the normalised value
// or a message key that the caller turns into a translated, field-level message.
import { domainToASCII } from 'node:url';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { PHONE_LABELS, type Phone } from './types.ts';

export const CONTACT_ERROR_CODES = [
  'directory.invalidEmail', // not one plausible e-mail address (display name, spaces, no domain dot…)
  'directory.emailTooLong', // longer than 254 characters
  'directory.invalidPhone', // not a valid phone number for its country
  'directory.phoneExtension', // has an extension, which E.164 cannot carry
  'directory.invalidPhoneLabel', // label is not office / mobile / hotline / fax
  'directory.duplicatePhone', // the same number is listed twice
  'directory.invalidTimeZone', // not an IANA time zone name
  'directory.unknownLanguage', // not a known ISO 639-1 two-letter code
  'directory.languagesRequired', // no working language given
] as const;
export type ContactErrorCode = (typeof CONTACT_ERROR_CODES)[number];

/** `subject` names the offending item of a list (a language code) for the message. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; code: ContactErrorCode; subject?: string };

const fail = (code: ContactErrorCode, subject?: string): { ok: false; code: ContactErrorCode; subject?: string } =>
  subject === undefined ? { ok: false, code } : { ok: false, code, subject };

// RFC 5322 dot-atom, widened to Unicode letters and digits (RFC 6531 addresses).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** One address, no display name; lower-cased whole (addresses are compared case-insensitively anyway). */
export function checkEmail(input: string): FieldResult<string> {
  const email = input.trim().toLowerCase();
  if (email.length > 254) return fail('directory.emailTooLong');
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return fail('directory.invalidEmail');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return fail('directory.invalidEmail');
  // domainToASCII gives '' for what IDNA refuses (spaces, bad punycode); labels are then checked as DNS names.
  const ascii = domainToASCII(domain);
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || labels.length < 2) return fail('directory.invalidEmail');
  if (!labels.every((l) => DNS_LABEL.test(l)) || /^[0-9]+$/.test(labels.at(-1) ?? '')) return fail('directory.invalidEmail');
  return { ok: true, value: email };
}

/** International ('+33 1 53 59 50 00') or national with a default country (ISO 3166-1 alpha-2); gives E.164. */
export function checkPhone(input: string, defaultCountryIso2?: string): FieldResult<string> {
  let defaultCountry: CountryCode | undefined;
  if (defaultCountryIso2 !== undefined) {
    const iso2 = defaultCountryIso2.toUpperCase();
    if (!isSupportedCountry(iso2)) throw new RangeError(`no phone numbering plan for country ${defaultCountryIso2}`);
    defaultCountry = iso2;
  }
  // extract: false refuses trailing words instead of quietly picking a number out of them.
  const phone = parsePhoneNumberFromString(input.trim(), { defaultCountry, extract: false });
  if (!phone || !phone.isValid()) return fail('directory.invalidPhone');
  if (phone.ext) return fail('directory.phoneExtension');
  return { ok: true, value: phone.number };
}

export type PhonesResult = { ok: true; value: Phone[] } | { ok: false; errors: { index: number; code: ContactErrorCode }[] };

/** Every number and label checked; errors carry the index of the offending row. */
export function checkPhones(list: { number: string; label: string }[], defaultCountryIso2?: string): PhonesResult {
  const value: Phone[] = [];
  const errors: { index: number; code: ContactErrorCode }[] = [];
  list.forEach((row, index) => {
    const label = PHONE_LABELS.find((l) => l === row.label);
    if (!label) return void errors.push({ index, code: 'directory.invalidPhoneLabel' });
    const checked = checkPhone(row.number, defaultCountryIso2);
    if (!checked.ok) return void errors.push({ index, code: checked.code });
    if (value.some((p) => p.number === checked.value)) return void errors.push({ index, code: 'directory.duplicatePhone' });
    value.push({ number: checked.value, label });
  });
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

// Node 20's ICU resolves zones to CLDR's older names; the directory stores IANA's current ones
// (Europe/Kyiv, not Europe/Kiev). Keys are what resolvedOptions() gives.
export const CLDR_TO_IANA: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

// A zone name, not an offset ('+05:00'): later Node versions accept offsets as time zones.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * An IANA zone: any of Intl.supportedValuesOf('timeZone') or an alias ICU knows ('UTC', 'US/Eastern',
 * 'asia/kolkata'), canonicalised. supportedValuesOf alone is not enough: on Node 20 it lists neither UTC
 * nor the Etc/GMT±N zones nor the current names of renamed zones.
 */
export function checkTimeZone(input: string): FieldResult<string> {
  const name = input.trim();
  if (!ZONE_NAME.test(name)) return fail('directory.invalidTimeZone');
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return fail('directory.invalidTimeZone');
  }
  return { ok: true, value: CLDR_TO_IANA[resolved] ?? resolved };
}

const englishLanguageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** ISO 639-1 codes, lower-cased, deduplicated in order; withdrawn codes take their successor (iw → he). */
export function checkLanguages(list: string[]): FieldResult<string[]> {
  const value: string[] = [];
  for (const raw of list) {
    const code = raw.trim().toLowerCase();
    if (!/^[a-z]{2}$/.test(code)) return fail('directory.unknownLanguage', raw);
    const canonical = Intl.getCanonicalLocales(code)[0] ?? code;
    const iso = /^[a-z]{2}$/.test(canonical) ? canonical : code; // tl → fil is CLDR's, not ISO 639-1's
    if (englishLanguageNames.of(iso) === undefined) return fail('directory.unknownLanguage', raw);
    if (!value.includes(iso)) value.push(iso);
  }
  return value.length ? { ok: true, value } : fail('directory.languagesRequired');
}

const languageNamesByUi = new Map<string, Intl.DisplayNames>();
const languageNames = new Map<string, string>();

/** The language's name in the reader's language ('fr' shown in Arabic: 'الفرنسية'); pages ask often, so answers are kept. */
export function languageName(code: string, uiLanguage: string): string {
  const key = `${uiLanguage}|${code}`;
  const known = languageNames.get(key);
  if (known !== undefined) return known;
  let names = languageNamesByUi.get(uiLanguage);
  if (!names) {
    names = new Intl.DisplayNames([uiLanguage], { type: 'language' });
    languageNamesByUi.set(uiLanguage, names);
  }
  const name = names.of(code) ?? code;
  if (languageNames.size < 10_000) languageNames.set(key, name);
  return name;
}
