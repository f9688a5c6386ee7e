// Checking what a POC filled in against its template: every field, with one localized problem per
// fault, before anything is stored or sent (issue 6, "Bad input").
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { FieldProblem } from '../../errors.ts';
import { checkEmail, checkLanguages, checkTimeZone } from '../directory/poc/contact.ts';
import { INDICATOR_TYPES, TLP_LABELS, templateById, isTemplateId, type FieldDefinition, type IndicatorType, type TemplateId, type TlpLabel } from './templates.ts';

export const LIMITS = {
  text: 300,
  contact: 500,
  longtext: 20_000,
  indicators: 200,
  indicatorValue: 2048,
  /** The whole content as JSON, in UTF-8 bytes. */
  totalBytes: 64 * 1024,
} as const;

/** A moment as the sender stated it: the UTC instant and the IANA zone it was given in. */
export interface DateTimeValue {
  instant: string;
  timeZone: string;
}

export interface Indicator {
  type: IndicatorType;
  value: string;
}

export type FieldValue = string | string[] | DateTimeValue | Indicator[];

export interface TemplateContent {
  template: TemplateId;
  /** Only the fields that were filled in. */
  fields: Record<string, FieldValue>;
}

export type TemplateInputResult = { ok: true; value: TemplateContent } | { ok: false; problems: FieldProblem[] };

const TLP_RANK = new Map<string, number>(TLP_LABELS.map((l, i) => [l, i]));

/** The most restrictive of the labels (CLEAR < GREEN < AMBER < AMBER+STRICT < RED): what a reply inherits. */
export function mostRestrictiveTlp(labels: Iterable<TlpLabel>): TlpLabel | undefined {
  let most: TlpLabel | undefined;
  for (const l of labels) if (most === undefined || TLP_RANK.get(l)! > TLP_RANK.get(most)!) most = l;
  return most;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
// C0 and C1 controls other than tab and line breaks, which longtext keeps.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host name: IDNA to ASCII, at least two labels, a TLD that is not all digits. */
function checkDomain(input: string): string | null {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || /[\s/:@]/u.test(name)) return null;
  const ascii = domainToASCII(name);
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || labels.length < 2) return null;
  if (!labels.every((l) => DNS_LABEL.test(l)) || /^[0-9]+$/.test(labels.at(-1)!)) return null;
  return ascii;
}

/** One technical indicator, normalised (hashes lower-cased, CVE ids upper-cased, domains in ASCII), or null. */
export function checkIndicator(type: IndicatorType, input: string): string | null {
  const value = input.trim();
  if (value === '' || value.length > LIMITS.indicatorValue) return null;
  switch (type) {
    case 'ip':
      // isIP accepts IPv6 zone ids (fe80::1%eth0), which mean nothing outside the sender's host.
      return isIP(value) !== 0 && !value.includes('%') ? value.toLowerCase() : null;
    case 'domain':
      return checkDomain(value);
    case 'url': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return null;
      }
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? value : null;
    }
    case 'hash-sha256':
      return /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : null;
    case 'hash-md5':
      return /^[0-9a-f]{32}$/i.test(value) ? value.toLowerCase() : null;
    case 'email': {
      const r = checkEmail(value);
      return r.ok ? r.value : null;
    }
    case 'cve':
      return /^CVE-(199\d|2\d{3})-\d{4,}$/i.test(value) ? value.toUpperCase() : null;
  }
}

const DAY = 24 * 60 * 60 * 1000;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
// An instant with its offset stated: 2026-03-15T09:30:00Z, 2026-03-15T10:30+01:00.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function wallClock(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** `YYYY-MM-DDTHH:MM[:SS]` as if it were UTC, or null when it is no such calendar moment (30 February). */
function wallClockOf(local: string): number | null {
  const m = LOCAL_DATETIME.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  const date = new Date(asUtc);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? asUtc : null;
}

/**
 * The instant a wall-clock time names in a zone, or null when the zone skips it (a spring-forward
 * gap). Of the two instants an autumn hour names, the earlier.
 */
export function instantOfLocalTime(local: string, timeZone: string): Date | null {
  const asUtc = wallClockOf(local);
  if (asUtc === null) return null;
  // Try the offsets in force a day either side; keep those that give back the same wall clock.
  const candidates = [asUtc - DAY, asUtc, asUtc + DAY].map((t) => asUtc - (wallClock(t, timeZone) - t));
  const matching = [...new Set(candidates)].filter((t) => wallClock(t, timeZone) === asUtc).sort((a, b) => a - b);
  return matching.length > 0 ? new Date(matching[0]!) : null;
}
type Check = { ok: true; value: FieldValue } | { ok: false; problems: FieldProblem[] };
const refuse = (field: string, messageKey: string, values?: Record<string, string | number>): Check => ({
  ok: false,
  problems: [values ? { field, messageKey, values } : { field, messageKey }],
});

function checkText(name: string, raw: unknown, limit: number, multiline: boolean): Check {
  if (typeof raw !== 'string') return refuse(name, 'messages.problem.type');
  const value = multiline ? raw.replace(/\r\n?/g, '\n').trim() : raw.trim();
  if (!multiline && /[\r\n]/.test(value)) return refuse(name, 'messages.problem.oneLine');
  if (CONTROL.test(value)) return refuse(name, 'messages.problem.controlCharacters');
  if ([...value].length > limit) return refuse(name, 'messages.problem.tooLong', { limit });
  return { ok: true, value };
}

function checkDateTime(def: FieldDefinition, raw: unknown, now: Date): Check {
  const name = def.name;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse(name, 'messages.problem.type');
  const { local, instant, timeZone, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return refuse(name, 'messages.problem.type');
  const problems: FieldProblem[] = [];
  const zone = typeof timeZone === 'string' && timeZone.trim() !== '' ? checkTimeZone(timeZone) : null;
  if (zone === null) problems.push({ field: `${name}.timeZone`, messageKey: 'messages.problem.timeZoneRequired' });
  else if (!zone.ok) problems.push({ field: `${name}.timeZone`, messageKey: 'messages.problem.timeZone' });
  let at: Date | null = null;
  if (typeof instant === 'string' && local === undefined) {
    at = ISO_INSTANT.test(instant) ? new Date(instant) : null;
    if (at === null || Number.isNaN(at.getTime())) problems.push({ field: name, messageKey: 'messages.problem.dateTime' });
  } else if (typeof local === 'string' && instant === undefined) {
    if (local.trim() === '') problems.push({ field: name, messageKey: 'messages.problem.required' });
    else if (wallClockOf(local.trim()) === null) problems.push({ field: name, messageKey: 'messages.problem.dateTime' });
    else if (zone?.ok) {
      at = instantOfLocalTime(local.trim(), zone.value);
      if (at === null) problems.push({ field: name, messageKey: 'messages.problem.skippedTime' });
    }
  } else problems.push({ field: name, messageKey: 'messages.problem.dateTime' });
  if (at && def.notLaterThanNowPlusMs !== undefined && at.getTime() > now.getTime() + def.notLaterThanNowPlusMs) {
    problems.push({ field: name, messageKey: 'messages.problem.future' });
  }
  if (problems.length > 0 || !at || !zone?.ok) return { ok: false, problems };
  return { ok: true, value: { instant: at.toISOString(), timeZone: zone.value } };
}

function checkChoices(def: FieldDefinition, raw: unknown): Check {
  const choices = def.choices ?? [];
  if (def.type === 'choice') {
    return typeof raw === 'string' && choices.includes(raw.trim()) ? { ok: true, value: raw.trim() } : refuse(def.name, 'messages.problem.choice');
  }
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) return refuse(def.name, 'messages.problem.type');
  if (!list.every((c) => choices.includes(c))) return refuse(def.name, 'messages.problem.choice');
  // Kept in the definition's order, each once.
  return { ok: true, value: choices.filter((c) => list.includes(c)) };
}

function checkIndicators(name: string, raw: unknown): Check {
  if (!Array.isArray(raw)) return refuse(name, 'messages.problem.type');
  if (raw.length > LIMITS.indicators) return refuse(name, 'messages.problem.tooManyIndicators', { limit: LIMITS.indicators });
  const problems: FieldProblem[] = [];
  const value: Indicator[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, i) => {
    const n = i + 1;
    const { type, value: v, ...rest } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof item !== 'object' || item === null || Object.keys(rest).length > 0 || typeof v !== 'string') {
      problems.push({ field: name, messageKey: 'messages.problem.indicatorShape', values: { n } });
    } else if (typeof type !== 'string' || !(INDICATOR_TYPES as readonly string[]).includes(type)) {
      problems.push({ field: name, messageKey: 'messages.problem.indicatorType', values: { n, type: String(type ?? '') } });
    } else {
      const checked = checkIndicator(type as IndicatorType, v);
      if (checked === null) problems.push({ field: name, messageKey: `messages.problem.indicator.${type}`, values: { n } });
      else if (!seen.has(`${type} ${checked}`)) {
        seen.add(`${type} ${checked}`);
        value.push({ type: type as IndicatorType, value: checked });
      }
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

function checkLanguage(name: string, raw: unknown): Check {
  if (typeof raw !== 'string') return refuse(name, 'messages.problem.type');
  const r = checkLanguages([raw]);
  return r.ok ? { ok: true, value: r.value[0]! } : refuse(name, 'messages.problem.language');
}

function checkField(def: FieldDefinition, raw: unknown, now: Date): Check {
  switch (def.type) {
    case 'text':
      return checkText(def.name, raw, LIMITS.text, false);
    case 'contact':
      return checkText(def.name, raw, LIMITS.contact, false);
    case 'longtext':
      return checkText(def.name, raw, LIMITS.longtext, true);
    case 'datetime':
      return checkDateTime(def, raw, now);
    case 'choice':
    case 'multichoice':
      return checkChoices(def, raw);
    case 'indicators':
      return checkIndicators(def.name, raw);
    case 'language':
      return checkLanguage(def.name, raw);
  }
}

/**
 * Checks a template's content: unknown fields refused, required ones present, each value of its
 * type and within its limits, the whole within LIMITS.totalBytes. Values come back normalised
 * (trimmed text, instants in UTC with the zone they were stated in, indicators canonical).
 */
export function validateTemplateInput(templateId: string, input: Record<string, unknown>, now: Date): TemplateInputResult {
  if (!isTemplateId(templateId)) return { ok: false, problems: [{ field: 'template', messageKey: 'messages.problem.unknownTemplate', values: { template: templateId } }] };
  const template = templateById(templateId);
  const problems: FieldProblem[] = [];
  const known = new Set(template.fields.map((f) => f.field.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push({ field: key, messageKey: 'messages.problem.unknownField', values: { field: key } });
  }
  const fields: Record<string, FieldValue> = {};
  for (const { field, required } of template.fields) {
    const raw = input[field.name];
    // A datetime left empty in the form arrives as { local: '', timeZone: … }.
    const blank = isBlank(raw) || (field.type === 'datetime' && typeof raw === 'object' && raw !== null && isBlank((raw as Record<string, unknown>).local) && isBlank((raw as Record<string, unknown>).instant));
    if (blank) {
      if (required) problems.push({ field: field.name, messageKey: 'messages.problem.required' });
      continue;
    }
    const checked = checkField(field, raw, now);
    if (checked.ok) fields[field.name] = checked.value;
    else problems.push(...checked.problems);
  }
  if (problems.length > 0) return { ok: false, problems };
  const value: TemplateContent = { template: templateId, fields };
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > LIMITS.totalBytes) {
    return { ok: false, problems: [{ field: '_form', messageKey: 'messages.problem.tooLarge', values: { limit: LIMITS.totalBytes / 1024 } }] };
  }
  return { ok: true, value };
}
