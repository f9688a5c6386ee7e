// Normalisation: each OCR repair on a small French sample, correct text left alone, other
// languages untouched by French rules, page furniture removed, offsets kept.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalise } from './normalise.ts';
import type { Language } from './types.ts';

function fix(text: string, language: Language = 'fr') {
  const n = normalise(text, language);
  return { text: n.text, rules: n.corrections.map((c) => c.rule), corrections: n.corrections, origin: n.origin, headerSymbols: n.headerSymbols };
}

describe('French OCR repairs', () => {
  const cases: [string, string, string][] = [
    ['inscrire a I’ordre du jour', 'inscrire à l’ordre du jour', 'ocr-a-grave,ocr-elision'],
    ['I’Assemblée générale décide', 'L’Assemblée générale décide', 'ocr-elision'],
    ['de promouvoir 1’utilisation pacifique', 'de promouvoir l’utilisation pacifique', 'ocr-elision'],
    ['les droits de [’homme', 'les droits de l’homme', 'ocr-elision'],
    ['il est dans D’intérêt des États', 'il est dans l’intérêt des États', 'ocr-elision'],
    ['le besoin D’une aide', 'le besoin d’une aide', 'ocr-elision'],
    ['les progrès de ’informatique', 'les progrès de l’informatique', 'ocr-elision'],
    ['de promouvoir 1 utilisation du numérique', 'de promouvoir l’utilisation du numérique', 'ocr-elision'],
    ['tous les Etats Membres et les Etats-Unis', 'tous les États Membres et les États-Unis', 'capital-accent,capital-accent'],
    ['la mise en ccuvre et la mise en ceuvre', 'la mise en œuvre et la mise en œuvre', 'ocr-oe,ocr-oe'],
    ['la probabilit¢é et les questions li¢es', 'la probabilité et les questions liées', 'ocr-cent-sign,ocr-cent-sign'],
    ['c¢) faciliter le dialogue', 'c) faciliter le dialogue', 'ocr-cent-sign'],
    ['le groupe de travail & composition non limitée', 'le groupe de travail à composition non limitée', 'ocr-ampersand'],
    ['1. Se feélicite et Reéaffirmant', '1. Se félicite et Réaffirmant', 'doubled-accent,doubled-accent'],
    ['en matiére de régles, la sphére, sa deuxiéme session', 'en matière de règles, la sphère, sa deuxième session', 'grave-accent,grave-accent,grave-accent,grave-accent'],
    ['l’intérét que revét la question', 'l’intérêt que revêt la question', 'circumflex,circumflex'],
    ['un rdle de premier plan, de fagon complémentaire', 'un rôle de premier plan, de façon complémentaire', 'ocr-word,ocr-word'],
    ['du ler décembre 1999 et du 1°° décembre 2000', 'du 1er décembre 1999 et du 1er décembre 2000', 'ocr-word,ocr-word'],
    ['Soulignant 1a nécessité', 'Soulignant la nécessité', 'ocr-word'],
    ['un environnement ouvert, sir, stable', 'un environnement ouvert, sûr, stable', 'ocr-word'],
    ['Cote d’Ivoire', 'Côte d’Ivoire', 'ocr-word'],
    ['les recommandations montre4nt la voie', 'les recommandations montrent la voie', 'stray-digit'],
    ['afin que ceux -ci conviennent, le Groupe lui -même', 'afin que ceux-ci conviennent, le Groupe lui-même', 'compound-spacing,compound-spacing'],
    ['le bien commun de l ’humanité, qu ’il', 'le bien commun de l’humanité, qu’il', 'elision-spacing,elision-spacing'],
    ['le cadre de comportemen t responsable, la paix, d e la', 'le cadre de comportement responsable, la paix, de la', 'split-word,split-word'],
    ['destiné a promouvoir et a réduire', 'destiné à promouvoir et à réduire', 'ocr-a-grave,ocr-a-grave'],
    // Cut words the document itself mends: each half stands nowhere else, the whole word does.
    ['les dro its de l’homme et les droits des États, de ma nière responsable ; la manière', 'les droits de l’homme et les droits des États, de manière responsable ; la manière', 'split-word,split-word'],
  ];
  for (const [input, expected, rules] of cases) {
    test(`${input} → ${expected}`, () => {
      const r = fix(input);
      assert.equal(r.text, expected);
      assert.deepEqual(r.rules.flatMap((x) => x.split('+')).sort(), rules.split(',').sort());
      for (const c of r.corrections) assert.equal(input.slice(c.offset, c.offset + c.original.length), c.original);
    });
  }

  test('several repairs in one word are one correction naming each rule', () => {
    const r = fix('les Progreés de la science');
    assert.equal(r.text, 'les Progrès de la science');
    assert.deepEqual(r.corrections, [{ rule: 'doubled-accent+ocr-word', original: 'Progreés', corrected: 'Progrès', offset: 4 }]);
  });

  test('correct French is left exactly as it is', () => {
    const correct = [
      'L’Assemblée générale, rappelant sa résolution 73/27, a décidé que les États Membres, même ceux-ci,',
      'examineraient à cet égard la règle, le système, le précédent, la réglementation et l’intérêt',
      'de l’Organisation ; il a été prié de présenter un rapport. Le rôle des États-Unis d’Amérique',
      'et de la Côte d’Ivoire a été souligné. Il a examiné la cote A/AC.292/2022/1, à titre facultatif,',
      'avec l’aide d’autres États, dans d’autres instances. Une enquête nationale sur la mise en œuvre',
      'sera menée par la Présidente ; le dialogue sera peut-être utile au bien-être de tous. Sir Nigel',
      'a pris la parole. Il a la responsabilité de l’appui. Le Secrétaire général a l’honneur, et a deux',
      'rapports, au point e) de l’alinéa 4 ; l’ensemble a été adopté le 1er juin 2021.',
    ].join('\n');
    const r = fix(correct);
    assert.deepEqual(r.corrections, []);
    assert.equal(r.text, correct);
  });

  test('words hyphenated at a line end are rejoined, and the hyphen stays where French writes one', () => {
    const r = fix('de sa soixante-\n\ndix-neuvième session, les experts gouverne-\nmentaux, les gouvernementaux');
    assert.equal(r.text, 'de sa soixante-dix-neuvième session, les experts gouvernementaux, les gouvernementaux');
    assert.deepEqual(r.corrections.map((c) => [c.rule, c.original, c.corrected]), [['hyphenation', '-\n\n', '-'], ['hyphenation', '-\n', '']]);
  });
});

describe('language awareness', () => {
  test('French repairs never touch English, Spanish or Russian text', () => {
    for (const [language, text] of [
      ['en', 'I’m sure I’ll see the Etats a des fins, 1’000 & more'],
      ['es', 'Los Estados a la vez y la Cote de la ceuvre'],
      ['ru', 'Генеральная Ассамблея, I’ll a des fins'],
    ] as const) {
      const r = fix(text, language);
      assert.equal(r.text, text, language);
      assert.deepEqual(r.corrections, [], language);
    }
  });
});

describe('page furniture', () => {
  test('header symbol, job number and page mark lines go; the sentence they cut reads on', () => {
    const text = 'un environnement informatique\n\n\n\nA/68/98  \n \n\n13-371678 \n\n3/20\n\npacifique, sûr, ouvert.\n\n3/20\n';
    const r = fix(text);
    assert.equal(r.text, 'un environnement informatique\n\f\npacifique, sûr, ouvert.\n');
    assert.deepEqual(r.corrections.map((c) => [c.rule, c.original]), [['page-header-symbol', 'A/68/98'], ['job-number', '13-371678'], ['page-number', '3/20'], ['page-number', '3/20']]);
    assert.deepEqual(r.headerSymbols, ['A/68/98']);
  });

  test('link lines after footnotes go; a link inside a sentence and a lone number elsewhere stay', () => {
    const text = '1 A/75/816.\nhttps://undocs.org/fr/A/75/816\nhttps://undocs.org/fr/A/RES/75/240\nVoir https://meetings.unoda.org/x.\n\n150\n\norganisations';
    const r = fix(text);
    assert.equal(r.text, '1 A/75/816.\n\f\nVoir https://meetings.unoda.org/x.\n\n150\n\norganisations');
    assert.deepEqual(r.rules, ['link-line', 'link-line']);
  });

  test('every normalised character maps back to its place in the original', () => {
    const text = 'A/68/98\n\nLes Etats et I’ONU,\n13-37167\nla mise en ccuvre';
    const r = fix(text);
    assert.equal(r.text, '\f\nLes États et l’ONU,\n\f\nla mise en œuvre'.replace(/^\f\n/u, ''));
    const at = (s: string) => r.origin[r.text.indexOf(s)]!;
    assert.equal(text.slice(at('ONU'), at('ONU') + 3), 'ONU');
    assert.equal(text.slice(at('mise'), at('mise') + 4), 'mise');
    assert.equal(r.origin[r.text.length], text.length);
  });
});
