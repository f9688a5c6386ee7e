// Citations of other documents in a paragraph: document symbols as printed (A/68/98,
// A/AC.292/2022/L.1, A/RES/75/240) and resolution numbers after the word "resolution" in the
// text's language ("résolutions 70/237 et 73/27" → A/RES/70/237, A/RES/73/27; "résolution 1996/31"
// of the Economic and Social Council → E/RES/1996/31; those "du Conseil des droits de l'homme" →
// A/HRC/RES/…), with the paragraph of the cited text when one is named ("paragraphe 16 de la
// résolution …", "A/75/816, annexe I, par. 7").
import { datePattern } from './dates.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface FoundCitation {
  symbol: string;
  targetParagraph: string | null;
}

const SEGMENT = String.raw`(?:RES|DEC|INF|PRST|Add\.\d+|Rev\.\d+|Corr\.\d+|Amend\.\d+|[A-Z]{1,6}\.\d{1,4}|[A-Z]{1,6}|\d{1,5})`;
const SYMBOL = new RegExp(String.raw`(?<![\p{L}\d/.])(?:A|S|E|ST|TD|DP|UNEP|HRC|CRC|CCPR)(?:\/${SEGMENT}){1,7}(?![\p{L}\d])`, 'gu');
const NUMBER = /^(\d{1,4})\/(\d{1,4})(?!\d)(?:\s?[A-Z](?![\p{L}\d]))?/u;
const HRC_KEYS = ['duconseildesdroitsdel’homme', "duconseildesdroitsdel'homme", 'ofthehumanrightscouncil', 'delconsejodederechoshumanos', 'советапоправамчеловека'];
const PARAGRAPH_REF = String.raw`(\d{1,3}(?:\.\d{1,3})?(?:\s?[a-z]\))?(?:\s?[a-z]\)?-[a-z]\))?)`;
const TARGET_BEFORE = new RegExp(String.raw`(?:paragraphes?|par\.|alinéa|paragraphs?|paras?\.|párrafos?|párr\.|пункт(?:а|е|ом)?|п\.)\s+${PARAGRAPH_REF}\s+(?:de la|du|de|of|del|of the|de l[’'])?\s*(?:présente\s+|sa\s+|la\s+|its\s+|su\s+)?$`, 'iu');
const TARGET_AFTER = new RegExp(String.raw`^\s*,?\s*(?:(?:annexe|annex|anexo|приложение)\s+([IVXL]+|\d+)\s*,?\s*)?(?:paragraphes?|par\.|paragraphs?|paras?\.|párrafos?|párr\.|пункт|п\.)\s*${PARAGRAPH_REF}`, 'iu');
const FILLER = /^(?:\s|,|;|(?<!\p{L})(?:et|and|y|и|ainsi que|as well as|así como|а также)(?!\p{L}))+/u;

const dateCache = new WeakMap<Vocabulary, RegExp>();

function target(text: string, start: number, end: number): string | null {
  const before = TARGET_BEFORE.exec(text.slice(Math.max(0, start - 80), start));
  if (before) return clean(before[1]!);
  const after = TARGET_AFTER.exec(text.slice(end, end + 60));
  if (after) return after[1] ? `annex ${after[1]} ${clean(after[2]!)}` : clean(after[2]!);
  return null;
}

function clean(ref: string): string {
  return ref.replace(/\)/gu, '').replace(/\s+/gu, ' ').trim();
}

export function findCitations(text: string, vocab: Vocabulary, self: string | null): FoundCitation[] {
  const found: FoundCitation[] = [];
  const seen = new Set<string>();
  const add = (symbol: string, targetParagraph: string | null) => {
    const key = `${symbol}#${targetParagraph ?? ''}`;
    if (symbol === self || seen.has(key)) return;
    seen.add(key);
    found.push({ symbol, targetParagraph });
  };

  for (const m of text.matchAll(SYMBOL)) {
    if (!/\d/u.test(m[0])) continue;
    add(m[0], target(text, m.index, m.index + m[0].length));
  }

  let dates = dateCache.get(vocab);
  if (!dates) dateCache.set(vocab, (dates = datePattern(vocab)));
  for (const m of text.matchAll(vocab.resolutionWord)) {
    const listStart = m.index;
    let at = m.index + m[0].length;
    const numbers: { session: string; number: string; start: number; end: number }[] = [];
    for (;;) {
      const rest = text.slice(at);
      const filler = FILLER.exec(rest)?.[0].length ?? 0;
      const n = NUMBER.exec(rest.slice(filler));
      if (!n) break;
      const start = at + filler;
      at = start + n[0].length;
      numbers.push({ session: n[1]!, number: n[2]!, start, end: at });
      const date = dates.exec(text.slice(at));
      if (date) at += date[0].length;
      const gluedAnd = /^(?:et|and|y|и)(?=\s)/u.exec(text.slice(at));
      if (gluedAnd) at += gluedAnd[0].length;
    }
    if (numbers.length === 0) continue;
    const after = text.slice(at, at + 60).replace(/\s+/gu, '').toLowerCase();
    const council = HRC_KEYS.some((k) => after.startsWith(k)) ? 'A/HRC/RES' : null;
    for (const n of numbers) {
      const ecosoc = n.session.length === 4 && /^(?:19|20)/u.test(n.session);
      const series = council ?? (ecosoc ? 'E/RES' : 'A/RES');
      const only = numbers.length === 1;
      add(`${series}/${n.session}/${n.number}`, only ? target(text, listStart, at) : target(text, n.start, n.end));
    }
  }
  return found;
}
