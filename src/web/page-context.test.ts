import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hrefWith } from './page-context.ts';

test('hrefWith writes the query as URLSearchParams does, extra parameters winning in place', () => {
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{}, {}],
    [{}, { lang: 'fr' }],
    [{ q: 'a b', group: 'Asia-Pacific' }, { lang: 'zh' }],
    [{ q: "!'()~*._-é€😀 &=+%/?#" }, { page: '2' }],
    [{ page: '3', q: 'x' }, { page: '4' }],
    [{ 'k y': 'v', constructor: 'c' }, { lang: 'ar', toString: 't' }],
    [{ q: 'مرحبا', state: 'fra' }, {}],
    [{ q: '\uD800x' }, {}],
  ];
  for (const [query, extra] of cases) {
    const params = new URLSearchParams({ ...query, ...extra }).toString();
    assert.equal(hrefWith('/directory', query, extra), params ? `/directory?${params}` : '/directory', JSON.stringify([query, extra]));
  }
});
