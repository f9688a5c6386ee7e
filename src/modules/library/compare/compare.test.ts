import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareDocuments, openingOf, wordDiff, type ComparableParagraph } from './compare.ts';
import { increasingSubsequence } from './similarity.ts';

const pre = (n: number, text: string, openingWord: string | null = null): ComparableParagraph => ({ eid: `preamble__p_${n}`, kind: 'preambular', num: null, openingWord, text });
const op = (n: number, text: string, openingWord: string | null = null): ComparableParagraph => ({ eid: `para_${n}`, kind: 'operative', num: String(n), openingWord, text });

const TEXT = [
  pre(1, 'Rappelant ses résolutions 36/103 du 9 décembre 1981 et 71/28 du 5 décembre 2016,', 'Rappelant'),
  pre(2, 'Notant que des progrès considérables ont été faits dans la conception des technologies informatiques,', 'Notant'),
  pre(3, 'Soulignant que la communauté internationale aspire à une utilisation pacifique des technologies numériques,', 'Soulignant'),
  op(1, 'Se félicite du rapport du Groupe d’experts gouvernementaux publié sous la cote A/68/98;', 'Se félicite'),
  op(2, 'Prie le Secrétaire général de lui présenter un rapport à sa soixante-quatorzième session;', 'Prie'),
  op(3, 'Décide d’inscrire à l’ordre du jour provisoire de sa soixante-quatorzième session la question intitulée « Progrès de l’informatique ».', 'Décide'),
];

test('a text compared with itself: every paragraph unchanged, no word diff', () => {
  const r = compareDocuments(TEXT, TEXT);
  assert.deepEqual(r.summary, { unchanged: 6, modified: 0, moved: 0, added: 0, removed: 0, aligned: 0 });
  assert.ok(r.pairs.every((p) => p.a === p.b && p.similarity === 1 && !p.words && !p.verbChange));
});

test('typography is not a change: apostrophes, no-break and doubled spaces', () => {
  const b = TEXT.map((p) => ({ ...p, text: p.text.replace(/’/g, "'").replace(/ /g, '  ').replace('« ', '«\u00a0') }));
  assert.equal(compareDocuments(TEXT, b).summary.unchanged, 6);
});

test('one word changed: modified, with the word-level difference', () => {
  const b = TEXT.map((p) => (p.eid === 'para_2' ? { ...p, text: p.text.replace('soixante-quatorzième', 'soixante-quinzième') } : p));
  const r = compareDocuments(TEXT, b);
  assert.deepEqual(r.summary, { unchanged: 5, modified: 1, moved: 0, added: 0, removed: 0, aligned: 0 });
  const pair = r.pairs.find((p) => p.status === 'modified')!;
  assert.equal(pair.a, 'para_2');
  assert.ok(pair.similarity > 0.8 && pair.similarity < 1);
  assert.deepEqual(pair.words!.filter((w) => w.op !== 'equal'), [
    { op: 'delete', text: 'quatorzième' },
    { op: 'insert', text: 'quinzième' },
  ]);
  assert.equal(pair.words!.map((w) => (w.op === 'insert' ? '' : w.text)).join(''), TEXT[4]!.text, 'the old text is the equal and deleted parts');
});

test('a paragraph inserted: added, and the others unchanged rather than shifted', () => {
  const inserted = pre(3, 'Consciente que certains États peuvent avoir besoin d’une assistance pour concilier sécurité et développement,', 'Consciente');
  const renumbered = (p: ComparableParagraph, k: number) => (p.kind === 'preambular' ? { ...p, eid: `preamble__p_${k + 1}` } : p);
  const b = [...TEXT.slice(0, 2), inserted, ...TEXT.slice(2)].map(renumbered);
  const r = compareDocuments(TEXT, b);
  assert.deepEqual(r.summary, { unchanged: 6, modified: 0, moved: 0, added: 1, removed: 0, aligned: 0 });
  assert.deepEqual(r.pairs.map((p) => p.status), ['unchanged', 'unchanged', 'added', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
  assert.deepEqual(r.pairs[3], { status: 'unchanged', a: 'preamble__p_3', b: 'preamble__p_4', similarity: 1 }, 'aligned by text, not by number');
});

test('a paragraph removed appears where it stood in the first text', () => {
  const r = compareDocuments(TEXT, TEXT.filter((p) => p.eid !== 'preamble__p_2'));
  assert.deepEqual(r.pairs.map((p) => `${p.status}:${p.a ?? '-'}`), ['unchanged:preamble__p_1', 'removed:preamble__p_2', 'unchanged:preamble__p_3', 'unchanged:para_1', 'unchanged:para_2', 'unchanged:para_3']);
});

test('two paragraphs swapped: one of them moved, the rest unchanged', () => {
  const b = [TEXT[0]!, TEXT[2]!, TEXT[1]!, ...TEXT.slice(3)];
  const r = compareDocuments(TEXT, b);
  assert.deepEqual(r.summary, { unchanged: 5, modified: 0, moved: 1, added: 0, removed: 0, aligned: 0 });
  const moved = r.pairs.find((p) => p.status === 'moved')!;
  assert.ok(moved.a === moved.b && ['preamble__p_2', 'preamble__p_3'].includes(moved.a!));
});

test('a moved paragraph that was also edited keeps its word diff', () => {
  const edited = { ...TEXT[5]!, text: TEXT[5]!.text.replace('provisoire ', '') };
  const b = [edited, ...TEXT.slice(0, 5)];
  const r = compareDocuments(TEXT, b);
  const moved = r.pairs.find((p) => p.status === 'moved')!;
  assert.equal(moved.a, 'para_3');
  assert.deepEqual(moved.words!.filter((w) => w.op !== 'equal').map((w) => w.text.trim()), ['provisoire']);
});

test('a change of operative verb is listed as such ("Se félicite" → "Accueille favorablement")', () => {
  const b = TEXT.map((p) => (p.eid === 'para_1' ? { ...p, openingWord: 'Accueille favorablement', text: p.text.replace('Se félicite du', 'Accueille favorablement le') } : p));
  const r = compareDocuments(TEXT, b);
  assert.deepEqual(r.verbChanges, [{ a: 'para_1', b: 'para_1', from: 'Se félicite', to: 'Accueille favorablement' }]);
  assert.equal(r.pairs.find((p) => p.a === 'para_1')!.status, 'modified');
});

test('without the parser’s opening word, the first words of the text are the verb', () => {
  assert.equal(openingOf(op(1, 'Se félicite du rapport')), 'Se félicite');
  assert.equal(openingOf(op(1, 'Decides to convene')), 'Decides');
  assert.equal(openingOf({ ...op(1, 'Texte'), kind: 'body' }), null);
  const a = [op(1, 'Se félicite du rapport du Groupe publié sous la cote A/68/98;')];
  const b = [op(1, 'Accueille favorablement le rapport du Groupe publié sous la cote A/68/98;')];
  assert.deepEqual(compareDocuments(a, b).verbChanges, [{ a: 'para_1', b: 'para_1', from: 'Se félicite', to: 'Accueille' }]);
});

test('OCR accents and case do not break the alignment; different texts are added and removed', () => {
  const a = [pre(1, 'Notant que le renforcement des capacités est indispensable à la coopération entre les États,')];
  const b = [pre(1, 'Notant que le renforcement des capacites est indispensable a la coopération entre les Etats,'), op(1, 'Décide de créer un mécanisme permanent.')];
  const r = compareDocuments(a, b);
  assert.deepEqual(r.pairs.map((p) => p.status), ['modified', 'added']);
  assert.ok(r.pairs[0]!.similarity === 1, 'the same words once folded');
  const far = compareDocuments([op(1, 'Décide de créer un mécanisme permanent.')], [op(1, 'Prie le Secrétaire général de présenter un rapport.')]);
  assert.deepEqual(far.pairs.map((p) => p.status), ['added', 'removed']);
  assert.deepEqual(compareDocuments([], TEXT).summary.added, 6);
  assert.deepEqual(compareDocuments(TEXT, []).summary.removed, 6);
});

test('a heading never pairs with a paragraph', () => {
  const heading = { eid: 'sec_A', kind: 'heading', num: 'A', openingWord: null, text: 'Décide de créer un mécanisme' };
  const r = compareDocuments([heading], [op(1, 'Décide de créer un mécanisme')]);
  assert.deepEqual(r.pairs.map((p) => p.status), ['added', 'removed']);
});

test('word diff: each side exactly its text, punctuation readable, changed phrases whole, Chinese segmented', () => {
  const [a, b] = ['2015 et 71/28 du 5 décembre 2016,', '2015, 71/28 du 5 décembre 2016 et 73/27 du 5 décembre 2018,'];
  const ops = wordDiff(a, b);
  assert.equal(ops.filter((o) => o.op !== 'insert').map((o) => o.text).join(''), a);
  assert.equal(ops.filter((o) => o.op !== 'delete').map((o) => o.text).join(''), b);
  assert.ok(ops.some((o) => o.op === 'insert' && o.text.trim() === 'et 73/27 du 5 décembre 2018'));
  assert.deepEqual(wordDiff('Se félicite du rapport publié;', 'Accueille favorablement le rapport publié;'), [
    { op: 'delete', text: 'Se félicite du' },
    { op: 'insert', text: 'Accueille favorablement le' },
    { op: 'equal', text: ' rapport publié;' },
  ]);
  const zh = wordDiff('大会注意到报告', '大会欢迎报告', 'zh');
  assert.ok(zh.some((o) => o.op === 'equal' && o.text.includes('大会')));
  assert.ok(zh.some((o) => o.op === 'insert'));
});

test('the heaviest increasing subsequence keeps the paragraphs that stayed in order', () => {
  assert.deepEqual([...increasingSubsequence([0, 2, 1, 3], [1, 1, 1.1, 1])].sort(), [0, 2, 3]);
  assert.deepEqual([...increasingSubsequence([3, 0, 1, 2], [1, 1, 1, 1])].sort(), [1, 2, 3]);
  assert.equal(increasingSubsequence([], []).size, 0);
});

test('two language versions: aligned in order by structure, numbers and symbols; what one lacks stands alone', () => {
  const fr: ComparableParagraph[] = [
    pre(1, 'Rappelant ses résolutions 53/70 du 4 décembre 1998 et 73/27 du 5 décembre 2018,'),
    pre(2, 'Notant avec satisfaction les travaux du Groupe d’experts gouvernementaux (A/68/98),'),
    pre(3, 'Soulignant qu’il importe de respecter les droits de l’homme,'),
    op(1, 'Se félicite du rapport du Groupe d’experts gouvernementaux publié sous la cote A/70/174 ;'),
    op(2, 'Prie le Secrétaire général de lui présenter un rapport à sa soixante-quinzième session ;'),
  ];
  const en: ComparableParagraph[] = [
    pre(1, 'Recalling its resolutions 53/70 of 4 December 1998 and 73/27 of 5 December 2018,'),
    pre(2, 'Noting with appreciation the work of the Group of Governmental Experts (A/68/98),'),
    op(1, 'Welcomes the report of the Group of Governmental Experts issued as A/70/174;'),
    op(2, 'Requests the Secretary-General to submit a report at its seventy-fifth session;'),
    op(3, 'Decides to include the item in the provisional agenda of its seventy-fifth session.'),
  ];
  const r = compareDocuments(fr, en, { languages: ['fr', 'en'] });
  assert.equal(r.mode, 'translation');
  assert.deepEqual(
    r.pairs.map((p) => [p.status, p.a ?? null, p.b ?? null]),
    [
      ['aligned', 'preamble__p_1', 'preamble__p_1'],
      ['aligned', 'preamble__p_2', 'preamble__p_2'],
      ['removed', 'preamble__p_3', null],
      ['aligned', 'para_1', 'para_1'],
      ['aligned', 'para_2', 'para_2'],
      ['added', null, 'para_3'],
    ],
  );
  assert.deepEqual(r.summary, { unchanged: 0, modified: 0, moved: 0, added: 1, removed: 1, aligned: 4 });
  assert.ok(r.pairs.every((p) => p.words === undefined && p.verbChange === undefined), 'no word differences across languages');
  assert.deepEqual(r.verbChanges, []);
  // One language (or none given): the comparison of wording, as before.
  assert.equal(compareDocuments(fr, fr, { languages: ['fr', 'fr'] }).mode, 'text');
  assert.equal(compareDocuments(fr, en).mode, 'text');
});
