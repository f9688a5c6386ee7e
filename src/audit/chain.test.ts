import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, GENESIS_HASH, hashEvent, redactSecrets, verifyChain, type ChainedEvent } from './chain.ts';

function buildChain(details: string[]): { events: ChainedEvent[]; head: { seq: number; hash: string } } {
  const events: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  details.forEach((d, i) => {
    const row = {
      seq: i + 1,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actor_id: `u${i % 3}`,
      actor_label: `user${i % 3}@example.org`,
      action: 'test.event',
      target_type: 'thing',
      target_id: String(i),
      state_iso3: i % 2 ? 'FRA' : null,
      ip: '127.0.0.1',
      details: canonicalJson({ d }),
      prev_hash: prev,
    };
    const e = { ...row, hash: hashEvent(row) };
    events.push(e);
    prev = e.hash;
  });
  return { events, head: { seq: events.length, hash: prev } };
}

const chains = fc.array(fc.string(), { minLength: 1, maxLength: 30 });

test('an untouched chain verifies', () => {
  fc.assert(fc.property(fc.array(fc.string(), { maxLength: 30 }), (details) => {
    const { events, head } = buildChain(details);
    assert.equal(verifyChain(events, head), null);
  }));
});

test('any single edit of any field of any event is detected', () => {
  const fields = ['time', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'state_iso3', 'ip', 'details'] as const;
  fc.assert(
    fc.property(chains, fc.nat(), fc.constantFrom(...fields), fc.string({ minLength: 1 }), (details, at, field, junk) => {
      const { events, head } = buildChain(details);
      const i = at % events.length;
      const original = events[i]![field];
      const edited = `${original ?? ''}${junk}`;
      events[i] = { ...events[i]!, [field]: edited };
      assert.notEqual(verifyChain(events, head), null);
    }),
  );
});

test('any single deletion is detected, including the last event', () => {
  fc.assert(
    fc.property(chains, fc.nat(), (details, at) => {
      const { events, head } = buildChain(details);
      events.splice(at % events.length, 1);
      assert.notEqual(verifyChain(events, head), null);
    }),
  );
});

test('any swap of two events is detected, whether rows or seq numbers are swapped', () => {
  fc.assert(
    fc.property(fc.array(fc.string(), { minLength: 2, maxLength: 30 }), fc.nat(), fc.nat(), fc.boolean(), (details, a, b, swapSeq) => {
      const { events, head } = buildChain(details);
      const i = a % events.length;
      let j = b % events.length;
      if (i === j) j = (j + 1) % events.length;
      if (swapSeq) {
        // Swap the seq numbers in place, then read back in seq order as the database would.
        const si = events[i]!.seq;
        events[i] = { ...events[i]!, seq: events[j]!.seq };
        events[j] = { ...events[j]!, seq: si };
        events.sort((x, y) => x.seq - y.seq);
      } else {
        [events[i], events[j]] = [events[j]!, events[i]!];
      }
      assert.notEqual(verifyChain(events, head), null);
    }),
  );
});

test('an edit that recomputes the edited hash still breaks the next link', () => {
  const { events, head } = buildChain(['a', 'b', 'c']);
  const forged = { ...events[0]!, action: 'forged' };
  events[0] = { ...forged, hash: hashEvent(forged) };
  assert.deepEqual(verifyChain(events, head), { kind: 'broken-link', seq: 2 });
});

test('canonical JSON sorts keys at every depth', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
});

test('secret-looking keys are redacted from details', () => {
  assert.deepEqual(redactSecrets({ role: 'poc', password: 'x', nested: { apiToken: 'y', ok: 1 } }), {
    role: 'poc',
    password: '[redacted]',
    nested: { apiToken: '[redacted]', ok: 1 },
  });
});
