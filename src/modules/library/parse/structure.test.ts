// Structure and eIds on a small English report with an annex: preface, summary, sections and
// subsections, points and sub-points, recommended next steps in the body and in the annex.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from './index.ts';

const REPORT = `Report of the Open-ended Working Group

Summary
This report sets out the progress made.

I. Introduction

1. The Working Group met three times.

II. Recommendations

A. Norms

2. States should:
(a) Cooperate;
(b) Report, either:
(i) Annually; or
(ii) When asked;

Recommended next steps

1. States continue the exchanges.
2. States consider a directory.

B. Confidence-building measures

3. States may establish a directory.

Annex

A. Proposals

1. The Group may establish a directory.

Recommended next steps

1. The Secretariat is requested to collect views.
`;

test('a report: every paragraph with its kind, number, parent and eId', () => {
  const d = parseDocument(REPORT);
  assert.equal(d.kind, 'report');
  assert.equal(d.language, 'en');
  assert.equal(d.title, 'Report of the Open-ended Working Group');
  assert.deepEqual(d.paragraphs.map((p) => [p.eId, p.kind, p.num, p.parent]), [
    ['preface__p_1', 'heading', null, null],
    ['heading_1', 'heading', null, null],
    ['body__p_1', 'body', null, null],
    ['sec_I__heading', 'heading', 'I', null],
    ['para_1', 'body', '1', null],
    ['sec_II__heading', 'heading', 'II', null],
    ['sec_II__sec_A__heading', 'heading', 'A', null],
    ['para_2', 'body', '2', null],
    ['para_2__point_a', 'point', 'a', 'para_2'],
    ['para_2__point_b', 'point', 'b', 'para_2'],
    ['para_2__point_b__point_i', 'point', 'i', 'para_2__point_b'],
    ['para_2__point_b__point_ii', 'point', 'ii', 'para_2__point_b'],
    ['sec_II__sec_A__heading_1', 'heading', null, null],
    ['sec_II__sec_A__nextstep_1', 'next-step', '1', null],
    ['sec_II__sec_A__nextstep_2', 'next-step', '2', null],
    ['sec_II__sec_B__heading', 'heading', 'B', null],
    ['para_3', 'body', '3', null],
    ['annex_1__heading', 'heading', null, null],
    ['annex_1__sec_A__heading', 'heading', 'A', null],
    ['annex_1__sec_A__para_1', 'body', '1', null],
    ['annex_1__sec_A__heading_1', 'heading', null, null],
    ['annex_1__sec_A__nextstep_1', 'next-step', '1', null],
  ]);
  const text = (eId: string) => d.paragraphs.find((p) => p.eId === eId)?.text;
  assert.equal(text('sec_II__sec_B__heading'), 'Confidence-building measures');
  assert.equal(text('para_2__point_b__point_ii'), 'When asked;');
  assert.equal(text('sec_II__sec_A__heading_1'), 'Recommended next steps');
  assert.deepEqual(d.warnings, ['no document symbol found in the text']);
});

test('"I." after "H." is the ninth lettered section, not a Roman one', () => {
  const sections = 'ABCDEFGHI'.split('').map((l, k) => `${l}. Section ${l}\n\n${k + 1}. Text ${k + 1}.\n`).join('\n');
  const d = parseDocument(`Report\n\nI. Part one\n\n${sections}\nII. Part two\n\n10. Text 10.\n`);
  const headings = d.paragraphs.filter((p) => p.kind === 'heading' && p.num).map((p) => p.eId);
  assert.deepEqual(headings, [
    'sec_I__heading', ...'ABCDEFGHI'.split('').map((l) => `sec_I__sec_${l}__heading`), 'sec_II__heading',
  ]);
  assert.deepEqual(d.paragraphs.filter((p) => p.kind === 'body' && p.num).map((p) => p.num), Array.from({ length: 10 }, (_, k) => String(k + 1)));
});

test('a number inside a sentence at the start of a line does not start a paragraph', () => {
  const d = parseDocument('Report\n\n1. The Group examined items 3\n5. and 6 of its agenda, and items\nb) to d) of the list.\n\n2. It adopted the report.\n');
  assert.deepEqual(d.paragraphs.filter((p) => p.num).map((p) => [p.eId, p.text]), [
    ['para_1', 'The Group examined items 3 5. and 6 of its agenda, and items b) to d) of the list.'],
    ['para_2', 'It adopted the report.'],
  ]);
});

test('numbering that starts again in each section: the section keeps the eIds apart', () => {
  const d = parseDocument('Report\n\nI. Norms\n\n1. First.\n\n2. Second.\n\nII. Measures\n\n1. First again.\n\n2. Second again.\n');
  assert.deepEqual(d.paragraphs.filter((p) => p.num && p.kind === 'body').map((p) => [p.eId, p.num, p.text]), [
    ['para_1', '1', 'First.'],
    ['para_2', '2', 'Second.'],
    ['sec_II__para_1', '1', 'First again.'],
    ['sec_II__para_2', '2', 'Second again.'],
  ]);
});
