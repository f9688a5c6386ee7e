// Footnotes on small texts: the ways a call is printed, the page it must be on, the numbers an
// OCR'd mark stands for, and the text left once the marks are gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from './index.ts';
import { byEId } from './seeds.testing.ts';

const report = (body: string) => parseDocument(`Rapport du Groupe\n\n${body}`, { language: 'fr' });

test('a mark spaced after a word is a call, a number after "paragraphe" is not', () => {
  const d = report(`1. Comme le prévoit le paragraphe 1 de la résolution, les États ont rappelé les rapports des groupes
d’experts gouvernementaux 1 . Ils ont noté le rapport de 2021 2 et les rapports de 2013 et 20153.

2. Dans les paragraphes 2 et 3, rien n’est appelé.
__________________
1 Résolutions 70/237 et 76/19.
2 A/75/816.
3 A/70/174.
`);
  assert.deepEqual(d.footnotes.map((f) => [f.num, f.paragraph]), [['1', 'para_1'], ['2', 'para_1'], ['3', 'para_1']]);
  assert.equal(byEId(d, 'para_1').text, 'Comme le prévoit le paragraphe 1 de la résolution, les États ont rappelé les rapports des groupes d’experts gouvernementaux. Ils ont noté le rapport de 2021 et les rapports de 2013 et 2015.');
  assert.deepEqual(byEId(d, 'para_2').footnotes, []);
  assert.deepEqual(byEId(d, 'para_1').citations.map((c) => c.symbol), ['A/RES/70/237', 'A/RES/76/19', 'A/75/816', 'A/70/174']);
});

test('calls are looked for on the footnote\'s own page', () => {
  const d = report(`1. Les travaux de 20152 sont cités sur la première page, dont la note est appelée ici1.
__________________
1 Première note.

2. La note de la deuxième page est appelée dans les travaux de 20152 que rappelle ce paragraphe.
__________________
2 Deuxième note.
`);
  assert.deepEqual(d.footnotes.map((f) => [f.num, f.paragraph]), [['1', 'para_1'], ['2', 'para_2']]);
  assert.equal(byEId(d, 'para_1').text, 'Les travaux de 20152 sont cités sur la première page, dont la note est appelée ici.');
  assert.equal(byEId(d, 'para_2').text, 'La note de la deuxième page est appelée dans les travaux de 2015 que rappelle ce paragraphe.');
});

test('OCR: a glyph for the number of a footnote and for its call; a mark glued to a resolution number', () => {
  const d = parseDocument(`L’Assemblée générale,

Rappelant les premier! et deuxième? rapports du Groupe de travail, et soulignant que le programme
d’action doit

1 Voir A/77/275.
2 Voir A/78/265.
 tenir compte des conclusions du groupe de travail à composition non limitée® et de sa résolution 77/37,

% Voir A/75/816.
 Rappelant enfin le rapport présenté conformément à sa résolution 77/374 notamment,

1. Décide de poursuivre l’examen de la question, compte tenu du rapport

4 A/78/76.
 du Secrétaire général.
`, { language: 'fr' });
  assert.deepEqual(d.footnotes.map((f) => [f.num, f.text, f.paragraph]), [
    ['1', 'Voir A/77/275.', 'preamble__p_1'],
    ['2', 'Voir A/78/265.', 'preamble__p_1'],
    ['3', 'Voir A/75/816.', 'preamble__p_1'],
    ['4', 'A/78/76.', 'preamble__p_2'],
  ]);
  assert.equal(byEId(d, 'preamble__p_1').text, 'Rappelant les premier et deuxième rapports du Groupe de travail, et soulignant que le programme d’action doit tenir compte des conclusions du groupe de travail à composition non limitée et de sa résolution 77/37,');
  assert.equal(byEId(d, 'preamble__p_2').text, 'Rappelant enfin le rapport présenté conformément à sa résolution 77/37 notamment,');
  assert.equal(byEId(d, 'para_1').text, 'Décide de poursuivre l’examen de la question, compte tenu du rapport du Secrétaire général.');
  assert.deepEqual(d.corrections.filter((c) => c.rule === 'footnote-mark').map((c) => [c.original, c.corrected]), [['!', '1'], ['?', '2'], ['®', '3'], ['%', '3']]);
});

test('a footnote whose call cannot be found is kept, with a warning', () => {
  const d = report(`1. Rien n’appelle la note.
__________________
1 Une note orpheline.
`);
  assert.deepEqual(d.footnotes, [{ num: '1', text: 'Une note orpheline.', paragraph: null }]);
  assert.ok(d.warnings.includes('footnote 1: no call found'));
});
