// When a point of contact answers, in its own time zone: the compact text form used in forms and CSV
// ('24/7', 'mon-fri 09:00-12:30,14:00-18:00; sat 10:00-12:00'), and whether / when it is reachable.
import { WEEKDAYS, type Availability, type TimeSpan, type Weekday } from './types.ts';

export const AVAILABILITY_ERROR_CODES = [
  'directory.availability.syntax', // not of the form 'mon-fri 09:00-17:00; sat 10:00-12:00' or '24/7'
  'directory.availability.dayRange', // a day range that runs backwards ('fri-mon'): write two groups
  'directory.availability.time', // a time that is not HH:MM between 00:00 and 24:00
  'directory.availability.emptySpan', // a span that does not end after it starts
  'directory.availability.overlap', // two spans of the same day overlap
] as const;
export type AvailabilityErrorCode = (typeof AVAILABILITY_ERROR_CODES)[number];

export type AvailabilityResult = { ok: true; value: Availability } | { ok: false; code: AvailabilityErrorCode };

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const dayIndex = (day: string): number => WEEKDAYS.indexOf(day as Weekday);

/** Parses the compact form; '' is no declared hours (not round the clock). Days and spans may repeat across groups. */
export function parseAvailability(text: string): AvailabilityResult {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '24/7') return { ok: true, value: { always: true } };
  const hours: Partial<Record<Weekday, TimeSpan[]>> = {};
  for (const group of trimmed.split(/[;\n]/).map((g) => g.trim()).filter((g) => g !== '')) {
    const match = /^([a-z,\s-]+?)\s+([\d:,\s-]+)$/.exec(group);
    if (!match) return { ok: false, code: 'directory.availability.syntax' };
    const days: Weekday[] = [];
    for (const item of match[1]!.split(',').map((d) => d.trim())) {
      const [first, last = first, ...rest] = item.split('-').map((d) => d.trim());
      const from = dayIndex(first ?? ''), to = dayIndex(last ?? '');
      if (from < 0 || to < 0 || rest.length) return { ok: false, code: 'directory.availability.syntax' };
      if (to < from) return { ok: false, code: 'directory.availability.dayRange' };
      days.push(...WEEKDAYS.slice(from, to + 1));
    }
    for (const spanText of match[2]!.split(',').map((s) => s.trim())) {
      const [from = '', to = '', ...rest] = spanText.split('-').map((t) => t.trim());
      if (rest.length) return { ok: false, code: 'directory.availability.syntax' };
      if (!TIME.test(from) || !TIME.test(to)) return { ok: false, code: 'directory.availability.time' };
      if (toMinutes(from) >= toMinutes(to)) return { ok: false, code: 'directory.availability.emptySpan' };
      for (const day of days) (hours[day] ??= []).push({ from, to });
    }
  }
  for (const spans of Object.values(hours)) {
    spans.sort((a, b) => toMinutes(a.from) - toMinutes(b.from));
    if (spans.some((s, i) => i > 0 && toMinutes(s.from) < toMinutes(spans[i - 1]!.to))) {
      return { ok: false, code: 'directory.availability.overlap' };
    }
  }
  return { ok: true, value: { always: false, hours } };
}

/** The canonical compact text: days in week order, consecutive days with the same spans as one range. */
export function formatAvailability(av: Availability): string {
  if (av.always) return '24/7';
  const spansOf = (day: Weekday): string =>
    [...(av.hours[day] ?? [])]
      .sort((a, b) => toMinutes(a.from) - toMinutes(b.from))
      .map((s) => `${s.from}-${s.to}`)
      .join(',');
  const groups: string[] = [];
  for (let i = 0; i < WEEKDAYS.length; ) {
    const spans = spansOf(WEEKDAYS[i]!);
    let j = i;
    while (j + 1 < WEEKDAYS.length && spansOf(WEEKDAYS[j + 1]!) === spans) j++;
    if (spans !== '') groups.push(`${WEEKDAYS[i]}${j > i ? `-${WEEKDAYS[j]}` : ''} ${spans}`);
    i = j + 1;
  }
  return groups.join('; ');
}

const localFormats = new Map<string, Intl.DateTimeFormat>();
type LocalClock = { weekday: Weekday; minuteOfDay: number; offsetMinutes: number };
// A directory page asks the same few zones for the same minute hundreds of times: remember the answers.
const recentClocks = new Map<string, LocalClock>();

/** The wall clock in `timeZone` at instant `at`, to the minute. */
function localClock(timeZone: string, at: Date): LocalClock {
  const key = `${timeZone}|${Math.floor(at.getTime() / 60_000)}`;
  const hit = recentClocks.get(key);
  if (hit) return hit;
  const clock = readLocalClock(timeZone, at);
  if (recentClocks.size >= 5000) recentClocks.clear();
  recentClocks.set(key, clock);
  return clock;
}

function readLocalClock(timeZone: string, at: Date): LocalClock {
  let format = localFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    localFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const minuteOfDay = Number(parts.hour) * 60 + Number(parts.minute);
  const wallAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) + minuteOfDay * 60_000;
  const utcMinute = Math.floor(at.getTime() / 60_000) * 60_000;
  return {
    weekday: String(parts.weekday).toLowerCase() as Weekday,
    minuteOfDay,
    offsetMinutes: Math.round((wallAsUtc - utcMinute) / 60_000),
  };
}

/** Where the spans start, in minutes of the week from Monday 00:00. */
function spanStarts(av: Availability & { always: false }): number[] {
  return WEEKDAYS.flatMap((day, i) => (av.hours[day] ?? []).map((s) => i * MINUTES_PER_DAY + toMinutes(s.from)));
}

/** True if `at`, read on the wall clock of `timeZone`, falls in one of the day's spans [from, to). */
export function isReachable(av: Availability, timeZone: string, at: Date): boolean {
  if (av.always) return true;
  const { weekday, minuteOfDay } = localClock(timeZone, at);
  return (av.hours[weekday] ?? []).some((s) => toMinutes(s.from) <= minuteOfDay && minuteOfDay < toMinutes(s.to));
}

const MINUTE = 60_000;
const SEARCH_DAYS = 8;

/**
 * The first instant from `from` on (whole minutes after `from` itself) when the POC is reachable, within
 * 8 days, or null. Jumps straight to the next span start on the wall clock; where the zone's offset changes
 * on the way (DST), it stops at the change and looks again, so a skipped or repeated hour is not missed.
 */
export function nextReachable(av: Availability, timeZone: string, from: Date): Date | null {
  if (av.always || isReachable(av, timeZone, from)) return new Date(from);
  const starts = spanStarts(av);
  if (starts.length === 0) return null;
  const limit = from.getTime() + SEARCH_DAYS * MINUTES_PER_DAY * MINUTE;
  let t = Math.ceil(from.getTime() / MINUTE) * MINUTE;
  while (t <= limit) {
    if (isReachable(av, timeZone, new Date(t))) return new Date(t);
    const here = localClock(timeZone, new Date(t));
    const weekMinute = dayIndex(here.weekday) * MINUTES_PER_DAY + here.minuteOfDay;
    const wait = Math.min(...starts.map((s) => (s - weekMinute + MINUTES_PER_WEEK) % MINUTES_PER_WEEK || MINUTES_PER_WEEK));
    // At most a day per step, so that two offset changes cannot hide between t and the next look.
    let next = t + Math.min(wait, MINUTES_PER_DAY) * MINUTE;
    if (localClock(timeZone, new Date(next)).offsetMinutes !== here.offsetMinutes) {
      let lo = t; // same offset as t
      while (next - lo > MINUTE) {
        const mid = lo + Math.floor((next - lo) / MINUTE / 2) * MINUTE;
        if (localClock(timeZone, new Date(mid)).offsetMinutes === here.offsetMinutes) lo = mid;
        else next = mid;
      }
    }
    t = next;
  }
  return null;
}
