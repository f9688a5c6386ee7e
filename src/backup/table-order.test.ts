import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parentsFirst } from './table-order.ts';

const names = (tables: { name: string }[]) => tables.map((t) => t.name);

test('each table follows the tables it references; free tables keep their order', () => {
  const ordered = parentsFirst([
    { name: 'api_token', parents: ['app_user'] },
    { name: 'app_user', parents: ['state'] },
    { name: 'audit_event', parents: [] },
    { name: 'session', parents: ['app_user'] },
    { name: 'state', parents: [] },
    { name: 'note', parents: ['session', 'elsewhere.table'] },
  ]);
  assert.deepEqual(names(ordered), ['audit_event', 'state', 'app_user', 'api_token', 'session', 'note']);
});

test('a cycle, or a table referencing itself, is refused by name', () => {
  assert.throws(() => parentsFirst([{ name: 'a', parents: ['b'] }, { name: 'b', parents: ['a'] }, { name: 'c', parents: [] }]), /cycle among a, b$/);
  assert.throws(() => parentsFirst([{ name: 'comment', parents: ['comment'] }]), /cycle among comment/);
});
