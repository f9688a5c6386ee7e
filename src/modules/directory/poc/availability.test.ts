import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatAvailability, isReachable, nextReachable, parseAvailability } from './availability.ts';
import { WEEKDAYS, type Availability, type TimeSpan, type Weekday } from './types.ts';

const parsed = (text: string): Availability => {
  const result = parseAvailability(text);
  assert.ok(result.ok, `${text}: ${JSON.stringify(result)}`);
  return result.value;
};
const officeHours = parsed('mon-fri 09:00-17:00');

test('parseAvailability reads the compact form', () => {
  assert.deepEqual(parsed('24/7'), { always: true });
  assert.deepEqual(parsed(''), { always: false, hours: {} });
  const span = { from: '09:00', to: '17:00' };
  assert.deepEqual(officeHours, { always: false, hours: { mon: [span], tue: [span], wed: [span], thu: [span], fri: [span] } });
  const split = [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }];
  assert.deepEqual(parsed('Mon-Fri 09:00-12:30, 14:00-18:00; sat 10:00-12:00'), {
    always: false,
    hours: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ from: '10:00', to: '12:00' }] },
  });
  assert.deepEqual(parsed('sun 14:00-24:00; sun 08:00-12:00'), {
    always: false,
    hours: { sun: [{ from: '08:00', to: '12:00' }, { from: '14:00', to: '24:00' }] },
  });
});

test('parseAvailability refuses malformed text with a code', () => {
  const cases: [string, string][] = [
    ['mon-fri', 'directory.availability.syntax'],
    ['monday 09:00-17:00', 'directory.availability.syntax'],
    ['mon-fri 9-17', 'directory.availability.time'],
    ['mon-fri-sun 09:00-17:00', 'directory.availability.syntax'],
    ['mon 09:00-12:00-13:00', 'directory.availability.syntax'],
    ['fri-mon 09:00-17:00', 'directory.availability.dayRange'],
    ['mon 9:00-17:00', 'directory.availability.time'],
    ['mon 09:00-24:01', 'directory.availability.time'],
    ['mon 24:00-24:00', 'directory.availability.emptySpan'],
    ['mon 17:00-09:00', 'directory.availability.emptySpan'],
    ['mon 09:00-09:00', 'directory.availability.emptySpan'],
    ['mon 09:00-12:00,11:00-13:00', 'directory.availability.overlap'],
    ['mon-fri 09:00-17:00; wed 16:00-18:00', 'directory.availability.overlap'],
    ['always', 'directory.availability.syntax'],
  ];
  for (const [text, code] of cases) assert.deepEqual(parseAvailability(text), { ok: false, code }, text);
  assert.equal(parseAvailability('mon 09:00-12:00,12:00-13:00').ok, true, 'touching spans do not overlap');
});

test('formatAvailability groups consecutive days with the same spans', () => {
  assert.equal(formatAvailability({ always: true }), '24/7');
  assert.equal(formatAvailability({ always: false, hours: {} }), '');
  assert.equal(formatAvailability(officeHours), 'mon-fri 09:00-17:00');
  assert.equal(
    formatAvailability(parsed('sat 10:00-12:00; mon-fri 14:00-18:00,09:00-12:30')),
    'mon-fri 09:00-12:30,14:00-18:00; sat 10:00-12:00',
  );
  assert.equal(formatAvailability(parsed('mon,wed 09:00-10:00; tue 09:00-11:00')), 'mon 09:00-10:00; tue 09:00-11:00; wed 09:00-10:00');
  assert.equal(formatAvailability({ always: false, hours: { mon: [], tue: [{ from: '00:00', to: '24:00' }] } }), 'tue 00:00-24:00');
});

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const daySpans = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 })
  .map((cuts): TimeSpan[] => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const spans: TimeSpan[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push({ from: hhmm(sorted[i]!), to: hhmm(sorted[i + 1]!) });
    return spans;
  });
const availability: fc.Arbitrary<Availability> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ always: true } as const) },
  {
    weight: 9,
    arbitrary: fc.tuple(...WEEKDAYS.map(() => daySpans)).map((perDay) => ({
      always: false as const,
      hours: Object.fromEntries(
        WEEKDAYS.map((d, i): [Weekday, TimeSpan[]] => [d, perDay[i]!]).filter(([, spans]) => spans.length > 0),
      ) as Partial<Record<Weekday, TimeSpan[]>>,
    })),
  },
);

test('format and parse round-trip (property)', () => {
  fc.assert(
    fc.property(availability, (av) => {
      const text = formatAvailability(av);
      const again = parseAvailability(text);
      assert.ok(again.ok, text);
      assert.deepEqual(again.value, av);
      assert.equal(formatAvailability(again.value), text);
    }),
    { numRuns: 500 },
  );
});

test('isReachable reads the wall clock of the zone, half-hour and +14 offsets included', () => {
  // Monday 2026-03-02: Kolkata is UTC+05:30.
  assert.equal(isReachable(officeHours, 'Asia/Kolkata', new Date('2026-03-02T03:29:00Z')), false); // 08:59
  assert.equal(isReachable(officeHours, 'Asia/Kolkata', new Date('2026-03-02T03:30:00Z')), true); // 09:00
  assert.equal(isReachable(officeHours, 'Asia/Kolkata', new Date('2026-03-02T11:29:59Z')), true); // 16:59:59
  assert.equal(isReachable(officeHours, 'Asia/Kolkata', new Date('2026-03-02T11:30:00Z')), false); // 17:00
  // Sunday 2026-03-01 21:00 UTC is already Monday 11:00 in Kiritimati (UTC+14).
  assert.equal(isReachable(officeHours, 'Pacific/Kiritimati', new Date('2026-03-01T21:00:00Z')), true);
  assert.equal(isReachable(officeHours, 'Europe/Paris', new Date('2026-03-01T21:00:00Z')), false);
  assert.equal(isReachable({ always: true }, 'Europe/Paris', new Date('2026-03-01T21:00:00Z')), true);
  assert.equal(isReachable({ always: false, hours: {} }, 'Europe/Paris', new Date('2026-03-02T10:00:00Z')), false);
});

test('isReachable: a span ending 24:00 runs to midnight, not past it', () => {
  const evenings = parsed('fri 18:00-24:00');
  assert.equal(isReachable(evenings, 'UTC', new Date('2026-03-06T23:59:00Z')), true);
  assert.equal(isReachable(evenings, 'UTC', new Date('2026-03-07T00:00:00Z')), false);
  assert.equal(isReachable(parsed('mon-sun 00:00-24:00'), 'Asia/Kolkata', new Date('2026-03-07T18:30:00Z')), true);
});

test('isReachable across the Paris DST changes of 2026', () => {
  const night = parsed('sun 02:00-03:00');
  // 29 March: 02:00 CET becomes 03:00 CEST, so the span never happens that day.
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-03-29T00:59:00Z')), false); // 01:59 CET
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-03-29T01:00:00Z')), false); // 03:00 CEST
  assert.equal(isReachable(parsed('sun 03:00-04:00'), 'Europe/Paris', new Date('2026-03-29T01:00:00Z')), true);
  // 25 October: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice.
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-10-24T23:59:00Z')), false); // 01:59 CEST
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-10-25T00:30:00Z')), true); // 02:30 CEST
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-10-25T01:30:00Z')), true); // 02:30 CET
  assert.equal(isReachable(night, 'Europe/Paris', new Date('2026-10-25T02:00:00Z')), false); // 03:00 CET
});

test('nextReachable finds the next span start, or now', () => {
  const reach = (av: Availability, tz: string, iso: string): string | undefined => nextReachable(av, tz, new Date(iso))?.toISOString();
  assert.equal(reach(officeHours, 'Europe/Paris', '2026-03-04T10:15:30.000Z'), '2026-03-04T10:15:30.000Z');
  assert.equal(reach(officeHours, 'Europe/Paris', '2026-03-06T16:00:00.000Z'), '2026-03-09T08:00:00.000Z'); // Fri 17:00 → Mon 09:00
  assert.equal(reach(officeHours, 'Europe/Paris', '2026-03-09T07:59:30.000Z'), '2026-03-09T08:00:00.000Z');
  assert.equal(reach(officeHours, 'Asia/Kolkata', '2026-03-01T12:00:00.000Z'), '2026-03-02T03:30:00.000Z');
  assert.equal(reach({ always: true }, 'UTC', '2026-03-01T12:00:00.123Z'), '2026-03-01T12:00:00.123Z');
  assert.equal(reach({ always: false, hours: {} }, 'UTC', '2026-03-01T12:00:00.000Z'), undefined);
  // Once a week, asked just after: seven days less a minute, inside the eight-day horizon.
  assert.equal(reach(parsed('mon 09:00-09:01'), 'UTC', '2026-03-02T09:01:00.000Z'), '2026-03-09T09:00:00.000Z');
});

test('nextReachable across DST changes and a skipped day', () => {
  const reach = (av: Availability, tz: string, iso: string): string | undefined => nextReachable(av, tz, new Date(iso))?.toISOString();
  // 29 March 2026, Paris: 02:30 does not exist; the span is entered when clocks jump to 03:00 CEST.
  assert.equal(reach(parsed('sun 02:30-04:00'), 'Europe/Paris', '2026-03-28T23:00:00.000Z'), '2026-03-29T01:00:00.000Z');
  // …and a span wholly inside the skipped hour waits a week.
  assert.equal(reach(parsed('sun 02:00-03:00'), 'Europe/Paris', '2026-03-28T23:00:00.000Z'), '2026-04-05T00:00:00.000Z');
  // 25 October 2026: 09:00 CET is 08:00 UTC, an hour later in UTC than the day before.
  assert.equal(reach(parsed('sun 09:00-10:00'), 'Europe/Paris', '2026-10-24T20:00:00.000Z'), '2026-10-25T08:00:00.000Z');
  // Samoa skipped Friday 30 December 2011 (from UTC-10 to UTC+14): the next Friday is 6 January.
  assert.equal(reach(parsed('fri 09:00-17:00'), 'Pacific/Apia', '2011-12-29T22:00:00.000Z'), '2012-01-05T19:00:00.000Z');
});

test('nextReachable agrees with a minute-by-minute scan (property)', () => {
  // Each zone with one of its offset changes (none for Kolkata and Kiritimati), starting up to 36 h before it.
  const cases: [string, number][] = [
    ['Europe/Paris', Date.parse('2026-03-29T01:00:00Z')],
    ['Europe/Paris', Date.parse('2026-10-25T01:00:00Z')],
    ['America/New_York', Date.parse('2026-03-08T07:00:00Z')],
    ['Australia/Lord_Howe', Date.parse('2026-04-04T15:00:00Z')], // a half-hour change
    ['Asia/Kolkata', Date.parse('2026-03-29T01:00:00Z')],
    ['Pacific/Kiritimati', Date.parse('2026-03-29T01:00:00Z')],
  ];
  const scan = (av: Availability, tz: string, from: Date): number | null => {
    if (isReachable(av, tz, from)) return from.getTime();
    const limit = from.getTime() + 8 * 86_400_000;
    for (let t = Math.ceil(from.getTime() / 60_000) * 60_000; t <= limit; t += 60_000) if (isReachable(av, tz, new Date(t))) return t;
    return null;
  };
  fc.assert(
    fc.property(
      availability,
      fc.constantFrom(...cases),
      fc.integer({ min: -36 * 3_600_000, max: 6 * 3_600_000 }),
      (av, [tz, change], offset) => {
        const from = new Date(change + offset);
        assert.equal(nextReachable(av, tz, from)?.getTime() ?? null, scan(av, tz, from));
      },
    ),
    { numRuns: 200 },
  );
});
