// Akoma Ntoso / AKN4UN style eIds, built only from the document's structure (container, sections,
// printed numbers, order) so that parsing the same text twice gives the same identifiers:
//   preamble__p_3                     3rd preambular paragraph
//   para_1, para_1__para_1-8          operative or numbered body paragraph, numbered subparagraph
//   para_26__point_c, para_4__point_b__point_ii, para_7__item_2 (unnumbered bullet)
//   annex_1__sec_E__para_16           annex paragraphs carry their section (annex next steps
//   annex_1__sec_B__nextstep_1        restart per section, so the section is part of their name)
//   body__p_2, annex_1__body__p_1     unnumbered body paragraphs (summary, foreword, letter)
//   heading_1, sec_II__heading, sec_II__sec_A__heading, annex_1__heading
//   preface__p_1, preamble__formula, conclusions__p_1

/** The part of an eId a printed number becomes: "1.8" → "1-8"; anything else than letters and digits → "-". */
export function numToken(num: string): string {
  return num.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/gu, '') || 'x';
}

export function join(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join('__');
}

/** Hands out eIds, keeping them unique within a document: a repeat of `base` becomes `base_2`, `base_3`… */
export class EIdRegistry {
  private readonly used = new Set<string>();

  has(eId: string): boolean {
    return this.used.has(eId);
  }

  claim(base: string): string {
    let eId = base;
    for (let n = 2; this.used.has(eId); n++) eId = `${base}_${n}`;
    this.used.add(eId);
    return eId;
  }
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

export function romanValue(roman: string): number {
  const s = roman.toLowerCase();
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]!] ?? 0;
    const next = ROMAN[s[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

export function isRoman(s: string): boolean {
  return /^[ivxlc]+$/iu.test(s) && romanValue(s) > 0;
}

export function toRoman(n: number): string {
  const table: [number, string][] = [[100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  let rest = n;
  for (const [v, s] of table) {
    while (rest >= v) {
      out += s;
      rest -= v;
    }
  }
  return out;
}
