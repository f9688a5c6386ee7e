// The acceptance facts of the library issue, on the five seed texts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from './index.ts';
import { byEId, childrenOf, nums, range, readSeed, SEED } from './seeds.testing.ts';
import type { ParsedDocument } from './types.ts';

const parsed = new Map<string, ParsedDocument>();
function parse(name: string, options?: Parameters<typeof parseDocument>[1]): ParsedDocument {
  const key = `${name}${JSON.stringify(options ?? {})}`;
  if (!parsed.has(key)) parsed.set(key, parseDocument(readSeed(name), options));
  return parsed.get(key)!;
}

const cites = (doc: ParsedDocument) => new Set(doc.paragraphs.flatMap((p) => p.citations.map((c) => c.symbol)));
const allText = (doc: ParsedDocument) => [doc.title ?? '', ...doc.sponsors, ...doc.paragraphs.map((p) => p.text), ...doc.footnotes.map((f) => f.text)];

describe('A/RES/73/27 (seed 000)', () => {
  const doc = () => parse(SEED.resolution73_27);

  test('metadata: symbol from the resolution number, kind, session, date, title, language', () => {
    const d = doc();
    assert.equal(d.symbol, 'A/RES/73/27');
    assert.equal(d.kind, 'resolution');
    assert.equal(d.language, 'fr');
    assert.equal(d.session, '73');
    assert.equal(d.date, '2018-12-05');
    assert.equal(d.title, 'Progrès de l’informatique et des télécommunications et sécurité internationale');
    assert.deepEqual(d.sponsors, []);
  });

  test('21 preambular paragraphs with their opening word', () => {
    const pre = doc().paragraphs.filter((p) => p.kind === 'preambular');
    assert.equal(pre.length, 21);
    assert.deepEqual(pre.map((p) => p.eId), range(1, 21).map((n) => `preamble__p_${n}`));
    assert.deepEqual(pre.slice(0, 4).map((p) => p.openingWord), ['Rappelant', 'Notant', 'Soulignant', 'Notant']);
    assert.equal(byEId(doc(), 'preamble__p_9').openingWord, 'Se déclarant préoccupée');
    assert.ok(pre.every((p) => p.openingWord && p.text.startsWith(p.openingWord)));
    assert.ok(byEId(doc(), 'preamble__p_21').text.endsWith('selon qu’il conviendra,'));
  });

  test('operative paragraphs 1–7, the 13 norms 1.1–1.13 under 1, a–d under 4', () => {
    const d = doc();
    const operative = d.paragraphs.filter((p) => p.kind === 'operative');
    assert.deepEqual(nums(operative), range(1, 7));
    assert.ok(operative.every((p) => p.parent === null && p.eId === `para_${p.num}`));
    assert.equal(byEId(d, 'para_1').openingWord, 'Accueille favorablement');
    const norms = childrenOf(d, 'para_1');
    assert.deepEqual(nums(norms), range(1, 13).map((n) => `1.${n}`));
    assert.equal(norms[7]!.eId, 'para_1__para_1-8');
    assert.match(norms[7]!.text, /^Les États répondent aux demandes d’aide/u);
    assert.ok(!norms[7]!.text.includes('1.8'));
    assert.deepEqual(nums(childrenOf(d, 'para_4')), ['a', 'b', 'c', 'd']);
    assert.equal(byEId(d, 'para_4__point_c').text, 'Les principes visés au paragraphe 3 ci-dessus ;');
    assert.deepEqual(childrenOf(d, 'para_5'), []);
  });

  test('5 footnotes, each with its calling paragraph; marks glued to words and years resolve', () => {
    const d = doc();
    assert.deepEqual(d.footnotes.map((f) => [f.num, f.paragraph]), [
      ['1', 'preamble__p_15'],
      ['2', 'preamble__p_16'],
      ['3', 'preamble__p_17'],
      ['4', 'para_1__para_1-5'],
      ['5', 'para_1__para_1-5'],
    ]);
    assert.equal(d.footnotes[0]!.text, 'A/65/201, A/68/98 et A/70/174.');
    // "rapports de 2013 3 et 20152": both marks leave the text and are listed.
    const p17 = byEId(d, 'preamble__p_17');
    assert.deepEqual(p17.footnotes, ['3', '2']);
    assert.match(p17.text, /dans ses rapports de 2013 et 2015, à savoir/u);
    assert.deepEqual(byEId(d, 'para_1').footnotes, ['3', '2']);
    assert.match(byEId(d, 'para_1').text, /dans ses rapports de 2013 et de 2015 et qui/u);
    assert.deepEqual(byEId(d, 'para_4').footnotes, ['1']);
    assert.match(byEId(d, 'preamble__p_15').text, /par le Secrétaire général,$/u);
    // A footnote in the middle of a paragraph does not cut it.
    assert.match(byEId(d, 'para_1__para_1-2').text, /le contexte plus large de l’événement, la difficulté/u);
  });

  test('cites A/68/98 and A/70/174 (through its footnotes) and the resolutions it recalls', () => {
    const d = doc();
    const all = cites(d);
    for (const s of ['A/68/98', 'A/70/174', 'A/65/201', 'A/RES/71/28', 'A/RES/36/103', 'A/RES/58/199', 'A/HRC/RES/20/8']) assert.ok(all.has(s), s);
    const saluant = byEId(d, 'preamble__p_15');
    assert.deepEqual(saluant.citations.map((c) => [c.symbol, c.verb]), [['A/65/201', 'Saluant'], ['A/68/98', 'Saluant'], ['A/70/174', 'Saluant']]);
    assert.equal(byEId(d, 'preamble__p_1').citations.length, 21);
    assert.equal(byEId(d, 'para_1__para_1-7').citations[0]?.verb, 'Accueille favorablement');
  });

  test('spacing errors of the clean text are fixed and recorded', () => {
    const d = doc();
    assert.ok(allText(d).every((t) => !/\b[ld] ’|ceux -ci/u.test(t)));
    assert.ok(d.corrections.some((c) => c.rule === 'compound-spacing' && c.original === 'ceux -ci'));
    // Two words cut by a stray space, mended because the text uses them whole elsewhere.
    assert.ok(allText(d).every((t) => !/\bdro its\b|\bma nière\b/u.test(t)));
    assert.ok(allText(d).some((t) => t.includes('Conseil des droits de l’homme')));
    for (const cut of ['dro its', 'ma nière']) assert.ok(d.corrections.some((c) => c.rule === 'split-word' && c.original === cut), cut);
  });
});

describe('A/68/98 (seed 003)', () => {
  const doc = () => parse(SEED.report68_98);

  test('report with its symbol from the page headers', () => {
    assert.equal(doc().kind, 'report');
    assert.equal(doc().symbol, 'A/68/98');
    assert.equal(doc().session, '68');
  });

  test('paragraphs 1–34, a–f under 26, a–e under 32', () => {
    const d = doc();
    const numbered = d.paragraphs.filter((p) => p.kind === 'body' && p.num !== null);
    assert.deepEqual(nums(numbered), range(1, 34));
    assert.ok(numbered.every((p) => p.parent === null && p.eId === `para_${p.num}`));
    assert.deepEqual(nums(childrenOf(d, 'para_26')), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(nums(childrenOf(d, 'para_32')), ['a', 'b', 'c', 'd', 'e']);
    assert.ok(byEId(d, 'para_26__point_c').text.startsWith('Le partage accru entre les États d’informations'));
    assert.deepEqual(nums(d.paragraphs.filter((p) => p.kind === 'heading' && p.num)), ['I', 'II', 'III', 'IV', 'V', 'VI']);
  });

  test('summary, foreword and letter of transmittal are unnumbered body paragraphs', () => {
    const d = doc();
    const body = d.paragraphs.filter((p) => p.kind === 'body' && p.num === null);
    const starts = (s: string) => body.some((p) => p.text.startsWith(s));
    assert.ok(starts('L’informatique et les communications ont radicalement changé'), 'summary');
    assert.ok(starts('Dans son rapport, le Groupe d’experts conclut'), 'summary, after a page break');
    assert.ok(starts('L’informatique et les communications font partie de notre quotidien'), 'foreword');
    assert.ok(starts('J’ai l’honneur de présenter ci-après le rapport'), 'letter');
    assert.ok(body.every((p) => /^body__p_\d+$/u.test(p.eId)));
    const headings = d.paragraphs.filter((p) => p.kind === 'heading' && !p.num).map((p) => p.text);
    assert.deepEqual(headings.slice(0, 3), ['Résumé', 'Avant-propos du Secrétaire général', 'Lettre d’envoi']);
  });

  test('no page header, job number or page number left in any paragraph', () => {
    const d = doc();
    for (const t of allText(d)) {
      assert.ok(!t.includes('A/68/98'), t);
      assert.ok(!/13-3716/u.test(t), t);
    }
    // The header interrupted paragraph 11 in mid-sentence; it reads on.
    assert.match(byEId(d, 'para_11').text, /un environnement informatique pacifique, sûr, ouvert et coopératif\./u);
    assert.deepEqual(d.corrections.filter((c) => c.corrected === '').map((c) => [c.rule, c.original]), [
      ['page-header-symbol', 'A/68/98'], ['job-number', '13-371676'], ['page-header-symbol', 'A/68/98'], ['job-number', '13-371678'],
    ]);
  });
});

describe('A/77/275 (seed 004)', () => {
  const doc = () => parse(SEED.report77_275, { symbol: 'A/77/275' });

  test('body paragraphs 1–17 and annex paragraphs 1–18, numbered separately', () => {
    const d = doc();
    const body = d.paragraphs.filter((p) => p.kind === 'body' && /^para_\d+$/u.test(p.eId));
    assert.deepEqual(nums(body), range(1, 17));
    const annex = d.paragraphs.filter((p) => p.kind === 'body' && /^annex_1__sec_[A-G]__para_\d+$/u.test(p.eId));
    assert.deepEqual(nums(annex), range(1, 18));
    assert.equal(byEId(d, 'annex_1__sec_E__para_16').text.slice(0, 40), 'Les États, réaffirmant le cadre cumulati');
    assert.deepEqual(nums(childrenOf(d, 'annex_1__sec_E__para_16')), ['a', 'b', 'c', 'd', 'e']);
    assert.match(byEId(d, 'annex_1__sec_E__para_16__point_a').text, /répertoire mondial et intergouvernemental de points de contact/u);
    assert.deepEqual(nums(childrenOf(d, 'annex_1__sec_D__para_15__point_b')), ['i', 'ii']);
  });

  test('20 recommended next steps across annex sections B–G', () => {
    const steps = doc().paragraphs.filter((p) => p.kind === 'next-step');
    assert.equal(steps.length, 20);
    const perSection = new Map<string, number>();
    for (const s of steps) {
      const sec = /^annex_1__sec_([B-G])__nextstep_\d+$/u.exec(s.eId)?.[1];
      assert.ok(sec, s.eId);
      perSection.set(sec, (perSection.get(sec) ?? 0) + 1);
    }
    assert.deepEqual([...perSection], [['B', 2], ['C', 3], ['D', 3], ['E', 5], ['F', 4], ['G', 3]]);
    assert.match(byEId(doc(), 'annex_1__sec_E__nextstep_2').text, /^Les États conviennent d’établir un répertoire mondial/u);
  });

  test('a quoted agenda inside paragraph 6 and the bullets of paragraph 7 stay inside them', () => {
    const d = doc();
    assert.deepEqual(nums(childrenOf(d, 'para_6')), range(1, 8));
    assert.deepEqual(nums(childrenOf(d, 'para_6__point_5')), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.equal(childrenOf(d, 'para_7').length, 9);
    assert.ok(byEId(d, 'para_7').text.startsWith('Toujours à la même session'));
  });

  test('footnotes resolve on their page; link lines after them are gone', () => {
    const d = doc();
    assert.equal(d.footnotes.length, 29);
    assert.ok(d.footnotes.every((f) => f.paragraph !== null), JSON.stringify(d.footnotes.filter((f) => !f.paragraph)));
    const of = (num: string) => d.footnotes.find((f) => f.num === num)?.paragraph;
    assert.equal(of('*'), 'annex_1__heading');
    assert.equal(of('1'), 'annex_1__sec_A__para_1');
    assert.equal(of('3'), 'annex_1__sec_A__para_2');
    assert.equal(of('17'), 'annex_1__sec_C__para_14__point_d');
    assert.equal(of('27'), 'annex_1__sec_G__para_18__point_b');
    assert.ok(allText(d).every((t) => !t.includes('undocs.org')));
    assert.equal(d.corrections.filter((c) => c.rule === 'link-line').length, 41);
  });

  test('citations with the paragraph they target', () => {
    const d = doc();
    assert.deepEqual(byEId(d, 'para_16').citations.map((c) => c.symbol), ['A/AC.292/2022/L.1', 'A/AC.292/2022/CRP.1']);
    assert.ok(byEId(d, 'para_6__point_5').citations.some((c) => c.symbol === 'A/RES/75/240' && c.targetParagraph === '1'));
    assert.ok(byEId(d, 'annex_1__sec_A__para_2').citations.some((c) => c.symbol === 'A/75/816' && c.targetParagraph === 'annex I 7'));
    assert.ok(cites(d).has('A/RES/73/27'));
    assert.ok(!cites(d).has('A/77/275'), 'a document does not cite itself');
  });
});

const OCR_L = /(?:^|[^\p{L}])[I1[|]’/u;

describe('the OCR seeds (001: 2019 draft, 002: 2023 draft)', () => {
  test('kinds, language, sponsor lists, titles, agenda item, sessions', () => {
    const d19 = parse(SEED.draft2019);
    const d23 = parse(SEED.draft2023);
    assert.equal(d19.kind, 'draft-resolution');
    assert.equal(d23.kind, 'draft-resolution');
    assert.equal(d19.language, 'fr');
    assert.equal(d23.language, 'fr');
    assert.equal(d19.sponsors.length, 21);
    assert.deepEqual([d19.sponsors[0], d19.sponsors[3], d19.sponsors.at(-1)], ['Algérie', 'Bolivie (État plurinational de)', 'Venezuela (République bolivarienne du)']);
    assert.equal(d23.sponsors.length, 52);
    for (const s of ['Albanie', 'Côte d’Ivoire', 'Équateur', 'États-Unis d’Amérique', 'Grèce', 'Norvège', 'Royaume-Uni de Grande-Bretagne et d’Irlande du Nord', 'Suède', 'Ukraine']) {
      assert.ok(d23.sponsors.includes(s), s);
    }
    assert.equal(d19.title, 'Progrès de l’informatique et des télécommunications et sécurité internationale');
    assert.match(d23.title ?? '', /^Programme d’action destiné à promouvoir le comportement responsable des États en matière d’utilisation du numérique/u);
    assert.equal(d19.agendaItem, '93');
    // The last paragraph puts the item on the NEXT session's provisional agenda.
    assert.equal(d19.session, '74');
    assert.equal(d23.session, '78');
    assert.equal(d19.symbol, null);
    assert.equal(parse(SEED.draft2019, { symbol: 'A/C.1/74/L.50/Rev.1' }).symbol, 'A/C.1/74/L.50/Rev.1');
  });

  test('structure of the two drafts', () => {
    const d19 = parse(SEED.draft2019);
    const d23 = parse(SEED.draft2023);
    assert.equal(d19.paragraphs.filter((p) => p.kind === 'preambular').length, 12);
    assert.deepEqual(nums(d19.paragraphs.filter((p) => p.kind === 'operative')), range(1, 3));
    assert.equal(byEId(d19, 'para_1').openingWord, 'Se félicite');
    assert.equal(d23.paragraphs.filter((p) => p.kind === 'preambular').length, 21);
    assert.deepEqual(nums(d23.paragraphs.filter((p) => p.kind === 'operative')), range(1, 5));
    assert.deepEqual(nums(childrenOf(d23, 'para_3')), ['a', 'b', 'c']);
    assert.ok(byEId(d23, 'para_4').text.includes('compte tenu du rapport du Secrétaire général'));
    assert.ok(byEId(d19, 'preamble__p_1').citations.some((c) => c.symbol === 'A/RES/73/27' && c.verb === 'Rappelant'));
  });

  test('no "I’"/"1’"/"[’" standing for "l’" is left', () => {
    for (const name of [SEED.draft2019, SEED.draft2023]) {
      const original = readSeed(name);
      assert.ok(OCR_L.test(original), 'the seed has the errors to fix');
      for (const t of allText(parse(name))) assert.ok(!OCR_L.test(t), t);
    }
  });

  test('every fix is recorded: each OCR error of the original lies in a correction', () => {
    const errors = /[I1[|]’(?=\p{L})|(?<!\p{L})’(?=[aeiouéh])|(?<!\p{L})Etats?\b|c[ce]uvre|¢|eé|\bD’(?=\p{Ll})|(?<=\p{L} )&(?= \p{L})/gu;
    for (const name of [SEED.draft2019, SEED.draft2023]) {
      const original = readSeed(name);
      const { corrections } = parse(name);
      let checked = 0;
      for (const m of original.matchAll(errors)) {
        const covered = corrections.some((c) => c.offset <= m.index && m.index < c.offset + Math.max(1, c.original.length));
        assert.ok(covered, `${name}: "${original.slice(m.index - 15, m.index + 15)}" has no correction`);
        checked++;
      }
      assert.ok(checked > 40, `${name}: ${checked}`);
    }
  });

  test('the 2023 draft: footnote "%" is number 3 and resolves to its calling paragraph', () => {
    const d = parse(SEED.draft2023);
    assert.deepEqual(d.footnotes.map((f) => f.num), ['1', '2', '3', '4']);
    const three = d.footnotes[2]!;
    assert.equal(three.text, 'Voir A/75/816.');
    assert.equal(three.paragraph, 'preamble__p_15');
    assert.deepEqual(byEId(d, 'preamble__p_15').footnotes, ['3']);
    assert.ok(!byEId(d, 'preamble__p_15').text.includes('®'));
    const original = readSeed(SEED.draft2023);
    const mark = d.corrections.find((c) => c.rule === 'footnote-mark' && c.original === '%');
    assert.ok(mark);
    assert.equal(mark.corrected, '3');
    assert.equal(original.slice(mark.offset, mark.offset + 16), '% Voir A/75/816.');
    // "premier! et deuxième?" call footnotes 1 and 2; "résolution 77/374" calls 4 on resolution 77/37.
    assert.deepEqual(byEId(d, 'preamble__p_8').footnotes, ['1', '2']);
    assert.match(byEId(d, 'preamble__p_8').text, /dans les premier et deuxième rapports d’activité/u);
    assert.deepEqual(d.footnotes.map((f) => f.paragraph), ['preamble__p_8', 'preamble__p_8', 'preamble__p_15', 'preamble__p_21']);
    assert.match(byEId(d, 'preamble__p_21').text, /conformément a sa résolution 77\/37 notamment/u);
  });
});

describe('every seed', () => {
  const names = Object.values(SEED);

  test('each correction names the exact original span at its offset', () => {
    for (const name of names) {
      const original = readSeed(name);
      const { corrections } = parse(name);
      assert.ok(corrections.length > 0, name);
      for (const c of corrections) assert.equal(original.slice(c.offset, c.offset + c.original.length), c.original, `${name} ${c.rule} @${c.offset}`);
    }
  });

  test('eIds are unique and parents come before their children', () => {
    for (const name of names) {
      const d = parse(name);
      const seen = new Set<string>();
      for (const p of d.paragraphs) {
        assert.ok(!seen.has(p.eId), `${name}: duplicate ${p.eId}`);
        if (p.parent) assert.ok(seen.has(p.parent), `${name}: ${p.eId} before its parent`);
        assert.match(p.eId, /^[A-Za-z0-9_-]+$/u);
        seen.add(p.eId);
      }
    }
  });

  test('parsing the same text again gives the same result, eIds included', () => {
    for (const name of names) {
      const again = parseDocument(readSeed(name));
      assert.deepEqual(again, parse(name));
    }
  });
});
