import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from './i18n.ts';

test('a message formatted again with the same values says the same; other values, languages formatted anew', () => {
  const en = translator('en');
  const ru = translator('ru');
  assert.equal(en('directory.resultCount', { count: 1 }), '1 entry matches.');
  assert.equal(en('directory.resultCount', { count: 2 }), '2 entries match.');
  assert.equal(en('directory.resultCount', { count: 1 }), '1 entry matches.', 'kept, and still the singular');
  assert.equal(en('directory.resultCount', { count: 0 }), 'No entry matches.');
  assert.notEqual(ru('directory.resultCount', { count: 2 }), en('directory.resultCount', { count: 2 }), 'each language its own');
  assert.match(ru('directory.resultCount', { count: 5 }), /5/);
  assert.equal(en('directory.pageOf', { page: 2, pages: 3 }), en('directory.pageOf', { pages: 3, page: 2 }), 'the same words whatever the order of the values');
});
