import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { seal, SealError, unseal } from './seal.ts';

const secret = randomBytes(32);
const token = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';

test('a sealed value opens with the same secret, purpose and context, and hides the plaintext', () => {
  const sealed = seal(secret, 'p', token, 'invitation-1');
  assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
  assert.ok(!sealed.includes(token));
  assert.equal(unseal(secret, 'p', sealed, 'invitation-1'), token);
  assert.notEqual(seal(secret, 'p', token, 'invitation-1'), sealed, 'a fresh IV each time');
});

test('another context, purpose or secret, or one altered byte, does not open, and the error never quotes the value', () => {
  const sealed = seal(secret, 'p', token, 'invitation-1');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const altered = [...Array(raw.length).keys()].map((i) => {
    const copy = Buffer.from(raw);
    copy[i] = copy[i]! ^ 1;
    return `v1.${copy.toString('base64url')}`;
  });
  const attempts: Array<() => string> = [
    () => unseal(secret, 'p', sealed, 'invitation-2'),
    () => unseal(secret, 'q', sealed, 'invitation-1'),
    () => unseal(randomBytes(32), 'p', sealed, 'invitation-1'),
    () => unseal(secret, 'p', `v2${sealed.slice(2)}`, 'invitation-1'),
    () => unseal(secret, 'p', 'v1.', 'invitation-1'),
    () => unseal(secret, 'p', token, 'invitation-1'),
    ...altered.map((a) => () => unseal(secret, 'p', a, 'invitation-1')),
  ];
  for (const attempt of attempts) {
    assert.throws(attempt, (e: unknown) => e instanceof SealError && !e.message.includes(token) && !e.message.includes(sealed));
  }
});
