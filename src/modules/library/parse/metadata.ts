// What the text says about itself: kind, symbol, session, agenda item, title, sponsors, date.
// The symbol comes from the options, else a page-header symbol line, else the resolution number
// printed before the title ("73/27. Progrès de …" → A/RES/73/27). The session of a resolution or
// draft without a symbol comes from its last paragraph, which puts the item on the provisional
// agenda of the NEXT session ("… de sa soixante-quatorzième session" → 73).
import { findDate } from './dates.ts';
import type { TextLine } from './lines.ts';
import type { DocumentKind, Language } from './types.ts';
import type { Vocabulary } from './vocabulary.ts';

const RESOLUTION_NUMBER = /^(\d{1,3})\/(\d{1,4})\s*\.\s+(\S.*)$/u;

export function detectKind(lines: readonly TextLine[], vocab: Vocabulary, symbol: string | null): DocumentKind {
  const head = lines.slice(0, 60);
  const formula = lines.some((l) => vocab.formula.test(l.text));
  const headText = head.map((l) => l.text).join(' ');
  const draft = new RegExp(vocab.draftMarker.source.replace(/\$$/u, '(?:\\s|$)'), 'u').test(headText) || (symbol !== null && /\/L\.\d+/u.test(symbol));
  if (symbol && /\/DEC\//u.test(symbol)) return 'decision';
  if (formula) return draft ? 'draft-resolution' : 'resolution';
  if (draft) return 'draft-resolution';
  if (head.slice(0, 5).some((l) => vocab.decisionWord.test(l.text))) return 'decision';
  if (symbol && /\/RES\//u.test(symbol)) return 'resolution';
  const reportish = head.slice(0, 8).some((l) => vocab.reportWord.test(l.text))
    || head.some((l) => vocab.summary.test(l.text) || vocab.transmittal.test(l.text) || vocab.foreword.test(l.text));
  return reportish ? 'report' : 'other';
}

export interface PrefaceBlock {
  text: string;
  lines: readonly string[];
  heading: boolean;
}

export interface Metadata {
  symbol: string | null;
  title: string | null;
  session: string | null;
  agendaItem: string | null;
  date: string | null;
  sponsors: string[];
}

export function extractMetadata(input: {
  kind: DocumentKind;
  language: Language;
  vocab: Vocabulary;
  optionSymbol: string | undefined;
  headerSymbols: readonly string[];
  preface: readonly PrefaceBlock[];
  /** Texts of the operative (or last numbered) paragraphs, last one last. */
  closingTexts: readonly string[];
  conclusions: readonly string[];
  firstTexts: string;
}): Metadata {
  const { kind, vocab, preface } = input;
  const numbered = preface.map((b) => RESOLUTION_NUMBER.exec(b.text)).find((m) => m);
  const headerSymbol = mostFrequent(input.headerSymbols);
  const symbol = input.optionSymbol?.trim() || headerSymbol
    || (numbered ? `A/${kind === 'decision' ? 'DEC' : 'RES'}/${numbered[1]}/${numbered[2]}` : null);

  const sponsorIndex = preface.findIndex((b) => vocab.draftMarker.test(b.text));
  const sponsors = sponsorIndex >= 0 ? splitSponsors(sponsorList(preface[sponsorIndex]!, vocab), vocab) : [];

  let title: string | null = null;
  if (numbered) title = numbered[3]!;
  else {
    const candidates = preface.filter((b, k) => b.heading && k !== sponsorIndex && !vocab.agendaItem.test(b.text));
    const chosen = sponsorIndex >= 0 ? preface.slice(sponsorIndex + 1).find((b) => b.heading) : kind === 'report' || kind === 'other' ? candidates[0] : candidates.at(-1);
    title = chosen?.text ?? null;
  }

  const agendaItem = vocab.agendaItem.exec(input.firstTexts)?.[1]?.replace(/\s+/gu, '') ?? null;
  let session = symbol ? (/^A\/(?:RES\/|DEC\/|C\.\d\/|INF\/|ES-\d+\/)?(\d{2,3})\//u.exec(symbol)?.[1] ?? null) : null;
  if (!session && (kind === 'resolution' || kind === 'draft-resolution' || kind === 'decision')) {
    const next = input.closingTexts.map((t) => nextSessionOf(t, input.language)).findLast((n) => n !== null);
    if (next) session = String(next - 1);
  }
  const plenaryAt = input.conclusions.findIndex((t) => vocab.plenary.test(t));
  const date = plenaryAt >= 0 ? findDate(input.conclusions.slice(plenaryAt).join(' '), vocab) : null;
  return { symbol, title, session, agendaItem, date, sponsors };
}

/** The lines of the block that hold the list: back from the marker while a line ends with a comma. */
function sponsorList(block: PrefaceBlock, vocab: Vocabulary): string {
  const lines = block.lines.map((l) => l.replace(/\s+/gu, ' ').trim());
  const text = lines.join(' ');
  const marker = vocab.draftMarker.exec(text);
  if (!marker) return '';
  let at = 0;
  let last = 0;
  lines.forEach((line, k) => {
    if (at <= marker.index) last = k;
    at += line.length + 1;
  });
  let first = last;
  while (first > 0 && (/,$/u.test(lines[first - 1]!) || /^\p{Ll}/u.test(lines[first]!))) first--;
  const before = lines.slice(0, first).join(' ').length + (first > 0 ? 1 : 0);
  return text.slice(before, marker.index);
}

// Member States whose name holds the word that ends a list ("Trinidad and Tobago").
const COMPOUND_NAMES = [
  'Trinidad and Tobago', 'Antigua and Barbuda', 'Saint Kitts and Nevis', 'Saint Vincent and the Grenadines', 'Bosnia and Herzegovina',
  'Sao Tome and Principe', 'United Kingdom of Great Britain and Northern Ireland', 'Royaume-Uni de Grande-Bretagne et d’Irlande du Nord',
  "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", 'Trinidad y Tabago', 'Antigua y Barbuda', 'Saint Kitts y Nevis',
  'San Vicente y las Granadinas', 'Bosnia y Herzegovina', 'Santo Tomé y Príncipe', 'Reino Unido de Gran Bretaña e Irlanda del Norte',
  'Тринидад и Тобаго', 'Антигуа и Барбуда', 'Сент-Китс и Невис', 'Сент-Винсент и Гренадины', 'Босния и Герцеговина', 'Сан-Томе и Принсипи',
  'Соединенное Королевство Великобритании и Северной Ирландии',
];
const PROTECT = '\u0001';

function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}

/** "Algérie, Bolivie (État plurinational de), …, Tadjikistan et Venezuela (…)". */
export function splitSponsors(sponsors: string, vocab: Vocabulary): string[] {
  let list = sponsors.replace(/\s+/gu, ' ');
  for (const name of COMPOUND_NAMES) if (list.includes(name)) list = list.split(name).join(name.replace(/ /gu, PROTECT));
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === ',' || c === '،' || c === '、') && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  const last = parts.pop() ?? '';
  // Only the last item is split on "et"/"and", at its last one outside parentheses.
  const and = new RegExp(vocab.and.source, 'gu');
  let cut = -1;
  let cutLength = 0;
  let d = 0;
  let k = 0;
  for (const m of last.matchAll(and)) {
    for (; k < m.index; k++) d += last[k] === '(' ? 1 : last[k] === ')' ? -1 : 0;
    if (d === 0) {
      cut = m.index;
      cutLength = m[0].length;
    }
  }
  if (cut >= 0 && parts.length > 0) parts.push(last.slice(0, cut), last.slice(cut + cutLength));
  else parts.push(last);
  return parts.map((p) => p.replaceAll(PROTECT, ' ').trim()).filter((p) => p.length > 0);
}

const FR_UNITS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12,
  treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60, cent: 100,
};
const FR_ORDINALS: Record<string, number> = {
  premier: 1, première: 1, unième: 1, deuxième: 2, second: 2, seconde: 2, troisième: 3, quatrième: 4, cinquième: 5, sixième: 6,
  septième: 7, huitième: 8, neuvième: 9, dixième: 10, onzième: 11, douzième: 12, treizième: 13, quatorzième: 14, quinzième: 15,
  seizième: 16, vingtième: 20, trentième: 30, quarantième: 40, cinquantième: 50, soixantième: 60, centième: 100,
};
const EN_TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const EN_ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
  thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20,
  thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100,
};

/** "soixante-dix-neuvième" → 79, "quatre-vingtième" → 80, "seventy-fourth" → 74. */
export function ordinalValue(words: string, language: Language): number | null {
  const tokens = words.toLowerCase().split(/[\s-]+/u).filter((t) => t && t !== 'et' && t !== 'and');
  let total = 0;
  let prev = 0;
  for (const t of tokens) {
    const v = language === 'fr' ? FR_UNITS[t] ?? FR_ORDINALS[t] : EN_TENS[t] ?? EN_ORDINALS[t] ?? (t === 'hundred' ? 100 : undefined);
    if (v === undefined) return null;
    if (v === 20 && prev === 4 && language === 'fr') total += 80 - 4;
    else if (v === 100) total = (total || 1) * 100;
    else total += v;
    prev = v;
  }
  return total > 0 ? total : null;
}

function nextSessionOf(text: string, language: Language): number | null {
  const digits = /ordre du jour provisoire de sa (\d{2,3})e session|provisional agenda of its (\d{2,3})(?:st|nd|rd|th) session/u.exec(text);
  if (digits) return Number(digits[1] ?? digits[2]);
  const words = language === 'fr'
    ? /ordre du jour provisoire de sa ((?:\p{L}+[\s-])*?\p{L}+)\s+session/u.exec(text)
    : language === 'en' ? /provisional agenda of its ((?:\p{L}+[\s-])*?\p{L}+)\s+session/u.exec(text) : null;
  return words ? ordinalValue(words[1]!, language) : null;
}
