// Citations: document symbols and resolution numbers in each language, the series they belong to,
// and the paragraph of the cited text when one is named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCitations } from './citations.ts';
import type { Language } from './types.ts';
import { VOCABULARY } from './vocabulary.ts';

const cite = (text: string, language: Language = 'fr', self: string | null = null) =>
  findCitations(text, VOCABULARY[language], self).map((c) => (c.targetParagraph ? `${c.symbol} §${c.targetParagraph}` : c.symbol));

test('document symbols as printed, punctuation around them left out', () => {
  assert.deepEqual(cite('Voir A/65/201, A/68/98 et A/70/174.'), ['A/65/201', 'A/68/98', 'A/70/174']);
  assert.deepEqual(cite('(A/AC.292/2022/L.1) et A/AC.292/2021/INF/1/Add.1; A/C.1/78/L.60/Rev.1, S/RES/2341 (2017)'), [
    'A/AC.292/2022/L.1', 'A/AC.292/2021/INF/1/Add.1', 'A/C.1/78/L.60/Rev.1', 'S/RES/2341',
  ]);
  assert.deepEqual(cite('le point A/B ou la note EA/12 ne sont pas des cotes'), []);
});

test('"résolution(s) N/M" in French, with the dates between the numbers', () => {
  assert.deepEqual(cite('Rappelant ses résolutions 70/237 et 73/27,'), ['A/RES/70/237', 'A/RES/73/27']);
  assert.deepEqual(cite('ses résolutions 36/103 du 9 décembre 1981, 43/78 H du 7 décembre 1988, 54/49 du 1er décembre 1999 et 73/27 du 5 décembre 2018,'), [
    'A/RES/36/103', 'A/RES/43/78', 'A/RES/54/49', 'A/RES/73/27',
  ]);
  assert.deepEqual(cite('dans ses résolutions 64/25, 65/41et 66/24, ainsi que'), ['A/RES/64/25', 'A/RES/65/41', 'A/RES/66/24']);
  assert.deepEqual(cite('la présente résolution et la résolution'), []);
});

test('other series: Human Rights Council, Economic and Social Council', () => {
  assert.deepEqual(cite('les résolutions 20/8 et 26/13 du Conseil des dro its de l’homme'), ['A/HRC/RES/20/8', 'A/HRC/RES/26/13']);
  assert.deepEqual(cite('conformément à la résolution 1996/31 du Conseil économique et social'), ['E/RES/1996/31']);
});

test('the paragraph a citation names, before or after the symbol', () => {
  assert.deepEqual(cite('en application du paragraphe 4 de la résolution 66/24 de l’Assemblée'), ['A/RES/66/24 §4']);
  assert.deepEqual(cite('Rapport de 2021, A/75/816, annexe I, par. 7.'), ['A/75/816 §annex I 7']);
  assert.deepEqual(cite('A/76/135, par. 57 b), et résolution 76/19'), ['A/76/135 §57 b', 'A/RES/76/19']);
  assert.deepEqual(cite('in paragraph 1.8 of resolution 73/27', 'en'), ['A/RES/73/27 §1.8']);
});

test('English, Spanish and Russian wording', () => {
  assert.deepEqual(cite('Recalling its resolutions 73/27 of 5 December 2018 and 75/240 of 31 December 2020,', 'en'), ['A/RES/73/27', 'A/RES/75/240']);
  assert.deepEqual(cite('Recordando sus resoluciones 73/27, de 5 de diciembre de 2018, y 75/240,', 'es'), ['A/RES/73/27', 'A/RES/75/240']);
  assert.deepEqual(cite('ссылаясь на свои резолюции 73/27 от 5 декабря 2018 года и 75/240,', 'ru'), ['A/RES/73/27', 'A/RES/75/240']);
});

test('the same symbol once per target; never the document itself', () => {
  assert.deepEqual(cite('la résolution 73/27 et A/RES/73/27, puis le paragraphe 2 de la résolution 73/27'), ['A/RES/73/27', 'A/RES/73/27 §2']);
  assert.deepEqual(cite('Le présent rapport (A/77/275) cite A/76/135.', 'fr', 'A/77/275'), ['A/76/135']);
});
