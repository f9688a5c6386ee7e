// Small texts written for the tests: the same resolution shape in English, Spanish and Russian,
// a text without structure, and the guarantees every parse gives (same text → same eIds).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from './index.ts';
import { byEId, childrenOf, nums } from './seeds.testing.ts';

const ENGLISH = `A/RES/99/1

99/1. Developments in the field of information and telecommunications

The General Assembly,

Recalling its resolutions 73/27 of 5 December 2018 and 75/240 of
31 December 2020,

Noting with concern the reports of the Secretary-General1,
__________________
1 A/68/98 and A/70/174.

Deeply concerned about malicious activities against critical
infrastructure,

1. Welcomes the report of the Group of Governmental Experts;

2. Decides to convene a working group, which will:

(a) Continue to study existing and potential threats;

(b) Report to the General Assembly, taking into account paragraph 16 of resolution 73/27;

3. Decides to include in the provisional agenda of its hundredth session the item entitled
"Developments in the field of information and telecommunications".

10th plenary meeting
5 December 2024
`;

const SPANISH = `A/RES/99/2

99/2. Avances en la esfera de la información y las telecomunicaciones

La Asamblea General,

Recordando sus resoluciones 73/27, de 5 de diciembre de 2018, y 75/240,
de 31 de diciembre de 2020,

Observando con preocupación el informe del Secretario General1,
__________________
1 A/68/98.

Profundamente preocupada por las actividades malintencionadas contra la
infraestructura crítica,

1. Acoge con beneplácito el informe del Grupo de Expertos Gubernamentales;

2. Decide convocar un grupo de trabajo que:

a) Siga estudiando las amenazas existentes;

b) Presente un informe a la Asamblea General;

3. Decide incluir en el programa provisional de su centésimo período de sesiones el tema
titulado «Avances en la esfera de la información y las telecomunicaciones».
`;

const RUSSIAN = `A/RES/99/3

99/3. Достижения в сфере информатизации и телекоммуникаций в контексте
международной безопасности

Генеральная Ассамблея,

ссылаясь на свои резолюции 73/27 от 5 декабря 2018 года и 75/240 от
31 декабря 2020 года,

отмечая с обеспокоенностью доклады Генерального секретаря1,
__________________
1 A/68/98 и A/70/174.

будучи глубоко обеспокоена злонамеренной деятельностью против критической
инфраструктуры,

1. приветствует доклад Группы правительственных экспертов;

2. постановляет созвать рабочую группу, которая:

a) продолжит изучение существующих угроз;

b) представит доклад Генеральной Ассамблее;

3. постановляет включить в предварительную повестку дня своей сотой сессии
пункт, озаглавленный «Достижения в сфере информатизации и телекоммуникаций».
`;

describe('the same short resolution in English, Spanish and Russian', () => {
  const cases = [
    { language: 'en', text: ENGLISH, symbol: 'A/RES/99/1', openers: ['Recalling', 'Noting with concern', 'Deeply concerned'], operative: ['Welcomes', 'Decides', 'Decides'], points: ['a', 'b'] },
    { language: 'es', text: SPANISH, symbol: 'A/RES/99/2', openers: ['Recordando', 'Observando con preocupación', 'Profundamente preocupada'], operative: ['Acoge con beneplácito', 'Decide', 'Decide'], points: ['a', 'b'] },
    { language: 'ru', text: RUSSIAN, symbol: 'A/RES/99/3', openers: ['ссылаясь', 'отмечая с обеспокоенностью', 'будучи глубоко обеспокоена'], operative: ['приветствует', 'постановляет', 'постановляет'], points: ['a', 'b'] },
  ] as const;

  for (const c of cases) {
    test(`${c.language}: language, symbol, kind, preamble, operative paragraphs, points, footnote, citations`, () => {
      const d = parseDocument(c.text);
      assert.equal(d.language, c.language);
      assert.equal(d.symbol, c.symbol);
      assert.equal(d.kind, 'resolution');
      assert.equal(d.session, '99');
      const pre = d.paragraphs.filter((p) => p.kind === 'preambular');
      assert.deepEqual(pre.map((p) => p.openingWord), c.openers);
      assert.deepEqual(pre.map((p) => p.eId), ['preamble__p_1', 'preamble__p_2', 'preamble__p_3']);
      const operative = d.paragraphs.filter((p) => p.kind === 'operative');
      assert.deepEqual(nums(operative), ['1', '2', '3']);
      assert.deepEqual(operative.map((p) => p.openingWord), c.operative);
      assert.deepEqual(nums(childrenOf(d, 'para_2')), c.points);
      assert.equal(byEId(d, 'para_2__point_b').parent, 'para_2');
      assert.deepEqual(d.footnotes.map((f) => [f.num, f.paragraph]), [['1', 'preamble__p_2']]);
      assert.deepEqual(byEId(d, 'preamble__p_2').footnotes, ['1']);
      assert.ok(!/\d,$/u.test(byEId(d, 'preamble__p_2').text), 'the footnote mark leaves the text');
      assert.ok(byEId(d, 'preamble__p_2').citations.some((x) => x.symbol === 'A/68/98' && x.verb === c.openers[1]));
      assert.deepEqual(byEId(d, 'preamble__p_1').citations.map((x) => x.symbol), ['A/RES/73/27', 'A/RES/75/240']);
      assert.ok(byEId(d, 'preamble__p_3').text.endsWith(','), 'the preambular paragraph runs over two lines');
      assert.deepEqual(d.corrections.map((x) => x.rule), ['page-header-symbol']);
    });
  }

  test('en: title, date of adoption, the paragraph a citation targets', () => {
    const d = parseDocument(ENGLISH);
    assert.equal(d.title, 'Developments in the field of information and telecommunications');
    assert.equal(d.date, '2024-12-05');
    assert.deepEqual(byEId(d, 'para_2__point_b').citations, [{ symbol: 'A/RES/73/27', verb: 'Decides', targetParagraph: '16' }]);
    assert.deepEqual(d.paragraphs.filter((p) => p.eId.startsWith('conclusions')).map((p) => p.text), ['10th plenary meeting', '5 December 2024']);
  });

  test('a draft: the sponsor list before ": draft resolution" and the session from the provisional agenda', () => {
    const draft = `Agenda item 93
Developments in the field of information and telecommunications
Canada, France, Kenya, Trinidad and Tobago and United Kingdom of Great Britain and Northern Ireland: draft resolution

Developments in the field of information and telecommunications

The General Assembly,

Recalling its resolution 73/27,

1. Decides to include in the provisional agenda of its seventy-ninth session the item entitled "Developments".
`;
    const d = parseDocument(draft);
    assert.equal(d.kind, 'draft-resolution');
    assert.equal(d.agendaItem, '93');
    assert.equal(d.session, '78');
    assert.deepEqual(d.sponsors, ['Canada', 'France', 'Kenya', 'Trinidad and Tobago', 'United Kingdom of Great Britain and Northern Ireland']);
    assert.equal(d.title, 'Developments in the field of information and telecommunications');
  });
});

describe('Arabic and Chinese: the shape of a resolution', () => {
  test('formula, preambular and operative paragraphs, opening words, citations', () => {
    const arabic = parseDocument('إن الجمعية العامة،\n\nإذ تشير إلى قرارها 73/27،\n\nوإذ تلاحظ تقارير الأمين العام،\n\n1 - ترحب بتقرير الفريق؛\n\n2 - تقرر مواصلة النظر في المسألة.\n');
    const chinese = parseDocument('大会，\n\n回顾其第73/27号决议，\n\n注意到秘书长的报告，\n\n1. 欢迎政府专家组的报告；\n\n2. 决定继续审议这个问题。\n');
    assert.equal(arabic.language, 'ar');
    assert.equal(chinese.language, 'zh');
    for (const d of [arabic, chinese]) {
      assert.deepEqual(d.paragraphs.map((p) => p.eId), ['preamble__formula', 'preamble__p_1', 'preamble__p_2', 'para_1', 'para_2']);
      assert.deepEqual(byEId(d, 'preamble__p_1').citations.map((c) => c.symbol), ['A/RES/73/27']);
    }
    assert.deepEqual(arabic.paragraphs.map((p) => p.openingWord).slice(1), ['إذ تشير', 'وإذ تلاحظ', 'ترحب', 'تقرر']);
    assert.deepEqual(chinese.paragraphs.map((p) => p.openingWord).slice(1), ['回顾', '注意到', '欢迎', '决定']);
  });
});

describe('line endings and page breaks', () => {
  test('CRLF line endings parse as LF does', () => {
    const lf = parseDocument(ENGLISH);
    const crlf = parseDocument(ENGLISH.replace(/\n/gu, '\r\n'));
    assert.deepEqual(crlf.paragraphs, lf.paragraphs);
    assert.deepEqual(crlf.footnotes, lf.footnotes);
  });

  test('a form feed between pages (PDF text) is a page break, not a paragraph break', () => {
    const d = parseDocument('Report of the Group\n\n1. The Group met three times and\f\nadopted its report.\n\n2. It closed.\n');
    assert.equal(byEId(d, 'para_1').text, 'The Group met three times and adopted its report.');
    assert.equal(byEId(d, 'para_2').text, 'It closed.');
  });
});

describe('texts without the shape of a UN document', () => {
  test('no recognisable structure: unnumbered body paragraphs and a warning', () => {
    const d = parseDocument('These notes were taken during the meeting.\nNothing in them is numbered.\n\nA second paragraph follows the blank line.\n\nAnd a third one.\n');
    assert.equal(d.kind, 'other');
    assert.deepEqual(d.paragraphs.map((p) => [p.eId, p.kind]), [['body__p_1', 'body'], ['body__p_2', 'body'], ['body__p_3', 'body']]);
    assert.equal(d.paragraphs[0]!.text, 'These notes were taken during the meeting. Nothing in them is numbered.');
    assert.ok(d.warnings.some((w) => w.includes('no recognisable structure')));
  });

  test('an empty text parses to nothing, with a warning', () => {
    const d = parseDocument('  \n\n ');
    assert.deepEqual(d.paragraphs, []);
    assert.ok(d.warnings.includes('the text is empty'));
  });

  test('the language can be given instead of detected', () => {
    assert.equal(parseDocument('Rappelant ses résolutions', { language: 'es' }).language, 'es');
    assert.equal(parseDocument('Rappelant ses résolutions antérieures sur la question et le rapport').language, 'fr');
  });
});

describe('identifiers', () => {
  test('parsing twice gives the same eIds; a change elsewhere leaves the others in place', () => {
    const first = parseDocument(ENGLISH).paragraphs.map((p) => p.eId);
    assert.deepEqual(parseDocument(ENGLISH).paragraphs.map((p) => p.eId), first);
    const edited = parseDocument(ENGLISH.replace('Welcomes the report', 'Welcomes with appreciation the report')).paragraphs.map((p) => p.eId);
    assert.deepEqual(edited, first);
  });

  test('a repeated number gets a suffix, never a duplicate eId', () => {
    const d = parseDocument('The General Assembly,\n\nRecalling its work,\n\n1. Decides one thing;\n\n2. Decides another;\n\n2. Decides a third;\n');
    assert.deepEqual(d.paragraphs.filter((p) => p.kind === 'operative').map((p) => [p.eId, p.num]), [['para_1', '1'], ['para_2', '2'], ['para_2_2', '2']]);
    assert.ok(d.warnings.includes('paragraph number 2 appears twice'));
  });
});
