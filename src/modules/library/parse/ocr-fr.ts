// OCR repairs for French, each one applied only where the text cannot be correct French as it
// stands ("I’ordre", "Etats", "ccuvre", "matiére", "feélicite"), so correct text is never touched.
// Works on whitespace-separated chunks of the original text and returns edits on it, each with
// the rule (or rules, joined by "+") that produced it.

export interface Chunk {
  start: number;
  text: string;
  /** First chunk of its line. */
  lineStart: boolean;
}

export interface ChunkEdit {
  start: number;
  end: number;
  text: string;
  rule: string;
  /** What the correction shows when the edit itself is only a removed space: "l ’" → "l’". */
  shown?: { start: number; original: string; corrected: string };
}

const VOWEL = 'aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÉÈÊÎÔŒ';
const VOWEL_START = new RegExp(`^[${VOWEL}¢]`, 'u');
const ELIDABLE = new Set(['l', 'd', 'qu', 'n', 's', 'j', 'm', 't', 'c', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'L', 'D', 'Qu']);
// After these words "D’" before a vowel can only stand for "l’" ("dans l’intérêt", "de l’homme").
const ARTICLE_CONTEXT = new Set(['dans', 'sur', 'pour', 'par', 'avec', 'sous', 'vers', 'contre', 'selon', 'de', 'à', 'a', 'envers', 'après', 'avant', 'devant', 'chez', 'entre', 'depuis', 'pendant', 'durant', 'malgré', 'concernant', 'que', 'est']);
const MONTHS = /^(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b/u;

// Words that are not French as printed and have exactly one reading.
const LEXICON = new Map<string, string>([
  ['progres', 'progrès'], ['progrés', 'progrès'], ['rdle', 'rôle'], ['réle', 'rôle'], ['rdles', 'rôles'], ['réles', 'rôles'],
  ['fagon', 'façon'], ['fagons', 'façons'], ['étre', 'être'], ['méme', 'même'], ['mémes', 'mêmes'], ['déja', 'déjà'],
  ['apres', 'après'], ['aprés', 'après'], ['auprés', 'auprès'], ['trés', 'très'], ['accés', 'accès'], ['succés', 'succès'],
  ['procés', 'procès'], ['excés', 'excès'], ['sir', 'sûr'], ['sirs', 'sûrs'], ['norvege', 'norvège'], ['fenétre', 'fenêtre'],
  ['peut-étre', 'peut-être'], ['bien-étre', 'bien-être'], ['extréme', 'extrême'], ['extrémes', 'extrêmes'],
  ['supréme', 'suprême'], ['enquéte', 'enquête'], ['enquétes', 'enquêtes'], ['requéte', 'requête'], ['requétes', 'requêtes'],
  ['conquéte', 'conquête'], ['téte', 'tête'], ['féte', 'fête'], ['tempéte', 'tempête'], ['honnéte', 'honnête'],
  ['gréle', 'grêle'], ['fréle', 'frêle'], ['bléme', 'blême'], ['baptéme', 'baptême'], ['caréme', 'carême'],
]);

// English has "Sir": only the lowercase form is an OCR error.
const LOWERCASE_ONLY = new Set(['sir', 'sirs']);

// Words whose capital É the OCR or the typist dropped ("Etats" → "États").
const E_ACUTE = new Set([
  'état', 'états', 'équateur', 'égypte', 'éthiopie', 'érythrée', 'émirats', 'élaboration', 'élection', 'élections',
  'économie', 'économique', 'économiques', 'école', 'écoles', 'éducation', 'énergie', 'évaluation', 'évaluations',
  'égalité', 'échange', 'échanges', 'étude', 'études', 'événement', 'événements', 'également', 'élément', 'éléments',
  'équipe', 'équipes', 'établissement', 'étape', 'étapes', 'élaborer', 'établir', 'éviter', 'éliminer', 'étant',
]);

// "é" + consonant(s) + final "e": modern French writes "è" (matière, règle, système, Grèce). Clusters
// that also end words written with "ê" (même, tête, être, rêve, pêche) are left out.
const GRAVE = /é((?:[bcdglmrsz]|[bcdfgpv][lr]|gn))e(s?)$/u;
const INFINITIVE = /^\p{Ll}{2,}(?:er|ir|oir|ttre|dre|uire|ire|vre|aître|indre|ondre|endre)$/u;
const NOT_INFINITIVE = new Set(['premier', 'dernier', 'hier', 'cher', 'fer', 'mer', 'fier', 'entier', 'léger', 'amer', 'hiver', 'enfer',
  'pouvoir', 'espoir', 'soir', 'noir', 'miroir', 'couloir', 'tiroir', 'plaisir', 'désir', 'avenir', 'souvenir', 'martyr', 'ordre', 'cadre', 'empire', 'navire', 'délire', 'sourire']);
// "a" before these can only be "à": "à composition non limitée", "à des fins", "à titre".
// (Only idioms where the verb "a" cannot stand: "il a l'appui de" is French, "il a composition" is not.)
const A_GRAVE_NEXT = new Set(['composition', 'titre', 'l’égard', 'l’issue', 'partir', 'savoir', 'condition', 'compter', 'travers', 'propos', 'côté']);
const A_GRAVE_PAIRS = new Set(['des fins', 'la fois', 'cet égard', 'l’ordre du']);
const SPLIT_LETTERS = new Set([...'bcefghjkmnpqrstuvwxz']);
const LABEL_WORDS = new Set(['alinéa', 'alinéas', 'point', 'points', 'lettre', 'paragraphe', 'annexe', 'colonne', 'section', 'catégorie', 'type', 'option', 'variante', 'niveau', 'partie', 'chapitre', 'groupe', 'liste', 'et', 'ou', 'à']);

const SENTENCE_END = /[.!?:]$/u;
const PUNCT_SPLIT = /^([^\p{L}\d’']*)(.*?)([^\p{L}\d’']*)$/u;
const ELISION_PREFIX = /^((?:[ldnsjmtcLDNSJMTC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)[’'])/u;

function capitaliseLike(model: string, word: string): string {
  const first = model.charAt(0);
  return first !== first.toLowerCase() ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

function core(text: string): string {
  return (PUNCT_SPLIT.exec(text)?.[2] ?? text).toLowerCase();
}

/** Repairs inside one word (the part between punctuation, after an elided article). */
function fixWord(word: string, rules: string[]): string {
  let w = word;
  const lower = w.toLowerCase();
  const lex = LEXICON.get(lower);
  if (lex && (w === lower || !LOWERCASE_ONLY.has(lower))) {
    rules.push('ocr-word');
    return capitaliseLike(w, lex);
  }
  if (/i[eé]me(s?)$/u.test(w) && !/ième(s?)$/u.test(w)) {
    w = w.replace(/i[eé]me(s?)$/u, 'ième$1');
    rules.push('grave-accent');
  } else if (/iere(s?)$/u.test(w)) {
    w = w.replace(/iere(s?)$/u, 'ière$1');
    rules.push('grave-accent');
  } else if (GRAVE.test(w) && w.length > 3) {
    w = w.replace(GRAVE, 'è$1e$2');
    rules.push('grave-accent');
  }
  if (/\p{L}{2}ét(s?)$/u.test(w)) {
    w = w.replace(/ét(s?)$/u, 'êt$1');
    rules.push('circumflex');
  }
  const head = w.split('-')[0] ?? w;
  if (/^E\p{Ll}/u.test(w) && E_ACUTE.has('é' + head.slice(1).toLowerCase())) {
    w = 'É' + w.slice(1);
    rules.push('capital-accent');
  }
  return w;
}

// A chunk worth a closer look: most words of a correct text fail this single test.
const SUSPECT = /[¢’'\[|&°\dé]|eé|[cC][ce]uvr|i[eé]mes?$|ieres?$|(?<!\p{L})E\p{Ll}|^\(?(?:[Pp]rogres|rdles?|fagons?|sirs?|[Nn]orvege|apres|ler)[,.;:)]?$/u;

/** A chunk and the start of the next one, shown with and without the space between them. */
function joined(chunk: Chunk, nextPart: string) {
  return { start: chunk.start, original: `${chunk.text} ${nextPart}`, corrected: chunk.text + nextPart };
}

const LOWER_WORD = /^\p{Ll}{2,}$/u;
/** A chunk that is a lower-case word, perhaps between brackets or before punctuation: the word. */
const LOWER_CHUNK = /^\(?(\p{Ll}+)[,.;:!?)»]*$/u;

/**
 * Words cut in two by a stray space ("dro its", "ma nière") that no rule of French can see: the
 * text itself tells. Both halves stand nowhere else in the document, and joined they make a word
 * the document uses elsewhere. Common words ("de puis") never qualify, since they recur.
 */
function splitByDocumentWords(chunks: readonly Chunk[]): ChunkEdit[] {
  // Only lower-case words can be halves or wholes: one plain pattern per chunk, no backtracking.
  const seen = new Map<string, number>();
  for (const c of chunks) {
    const w = LOWER_CHUNK.exec(c.text)?.[1];
    if (w) seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  const edits: ChunkEdit[] = [];
  for (let i = 0; i + 1 < chunks.length; i++) {
    const a = chunks[i]!;
    const b = chunks[i + 1]!;
    if (b.lineStart || seen.get(a.text) !== 1 || !LOWER_WORD.test(a.text)) continue;
    const tail = LOWER_CHUNK.exec(b.text)?.[1];
    if (!tail || tail.length < 2 || b.text.startsWith('(') || seen.get(tail) !== 1 || !seen.get(a.text + tail)) continue;
    edits.push({ start: a.start + a.text.length, end: b.start, text: '', rule: 'split-word', shown: joined(a, tail) });
    i++;
  }
  return edits;
}

export function frenchEdits(chunks: readonly Chunk[]): ChunkEdit[] {
  const edits: ChunkEdit[] = splitByDocumentWords(chunks);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const prev = i > 0 ? chunks[i - 1]! : null;
    const next = i + 1 < chunks.length ? chunks[i + 1]! : null;
    const sameLineNext = next !== null && !next.lineStart;
    let s = chunk.text;
    const nextFirst = next?.text.charCodeAt(0) ?? 0;

    // Gaps between chunks: "l ’humanité", "ceux -ci", "comportemen t".
    if (sameLineNext && (nextFirst === 0x2019 || nextFirst === 0x27) && ELIDABLE.has(s) && /^[’'][\p{L}]/u.test(next.text)) {
      edits.push({ start: chunk.start + s.length, end: next.start, text: '', rule: 'elision-spacing', shown: joined(chunk, next.text.slice(0, 1)) });
    } else if (sameLineNext && nextFirst === 0x2d && /\p{L}$/u.test(s) && /^-(?:ci|là|même|mêmes)(?![\p{L}])/u.test(next.text)) {
      edits.push({ start: chunk.start + s.length, end: next.start, text: '', rule: 'compound-spacing', shown: joined(chunk, /^-\p{L}+/u.exec(next.text)?.[0] ?? '-') });
    }
    if (s.length > 4 && !SUSPECT.test(s)) continue;
    const sentenceStart = prev === null || SENTENCE_END.test(prev.text);
    const rules: string[] = [];
    if (prev && !chunk.lineStart && s.length === 1 && SPLIT_LETTERS.has(s) && (/\p{Ll}{2}$/u.test(prev.text) || (s === 'e' && /^[dl]$/u.test(prev.text)))
      && !LABEL_WORDS.has(prev.text.toLowerCase()) && !(next && /^\)/u.test(next.text))) {
      edits.push({ start: prev.start + prev.text.length, end: chunk.start, text: '', rule: 'split-word', shown: joined(prev, s) });
      continue;
    }
    // "1 utilisation" for "l’utilisation" after a verb or a preposition.
    if (s === '1' && sameLineNext && prev && /^\p{Ll}{4,}/u.test(next.text) && VOWEL_START.test(next.text)
      && (/(?:ir|er|re|oir)$/u.test(prev.text) || ARTICLE_CONTEXT.has(prev.text)) && !prev.text.includes('paragraphe')) {
      edits.push({ start: chunk.start, end: next.start, text: 'l’', rule: 'ocr-elision' });
      continue;
    }
    if (s === '&' && prev && next && /\p{L}$/u.test(prev.text) && /^\p{L}/u.test(next.text)) {
      edits.push({ start: chunk.start, end: chunk.start + 1, text: 'à', rule: 'ocr-ampersand' });
      continue;
    }
    if (s === 'a' && prev && next && !sentenceStart) {
      const n = core(next.text);
      const n2 = i + 2 < chunks.length ? core(chunks[i + 2]!.text) : '';
      const nextWord = n.replace(/^[1i\[|]?’/u, 'l’');
      if ((INFINITIVE.test(n) && !NOT_INFINITIVE.has(n)) || A_GRAVE_NEXT.has(nextWord) || A_GRAVE_PAIRS.has(`${nextWord} ${n2}`)) {
        edits.push({ start: chunk.start, end: chunk.start + 1, text: 'à', rule: 'ocr-a-grave' });
      }
      continue;
    }
    if (s === 'Cote' && next && /^d[’']Ivoire/u.test(next.text)) {
      edits.push({ start: chunk.start, end: chunk.start + 4, text: 'Côte', rule: 'ocr-word' });
      continue;
    }

    if (!SUSPECT.test(s)) continue;
    if (s.includes('¢')) {
      const before = s;
      s = s.replace(/¢(?=é)|(?<=é)¢/gu, '').replace(/^(\p{Ll})¢(?=\))/u, '$1').replace(/(?<=[\p{L}’'])¢(?=\p{L}|$)/gu, 'é');
      if (s !== before) rules.push('ocr-cent-sign');
    }
    // "I’ordre", "1’Organisation", "[’homme", "’informatique", "D’intérêt" for l’/d’.
    const elided = /^([(«]?)([I1\[|]?)([’'])(?=\S)/u.exec(s);
    if (elided && VOWEL_START.test(s.slice(elided[0].length))) {
      const [all, open, mark, apostrophe] = elided as unknown as [string, string, string, string];
      const prevIsElidable = prev !== null && !chunk.lineStart && ELIDABLE.has(prev.text);
      // After a lone "l"/"d" the apostrophe is only spaced off: elision-spacing handles it.
      if (mark !== '' || !prevIsElidable) {
        s = `${open}${sentenceStart ? 'L' : 'l'}${apostrophe}${s.slice(all.length)}`;
        rules.push('ocr-elision');
      }
    } else if (/^D[’']\p{Ll}/u.test(s) && !sentenceStart && prev && /^\p{Ll}+$/u.test(core(prev.text)) && VOWEL_START.test(s.slice(2))) {
      const article = /^D[’']autre/u.test(s) ? 'd' : ARTICLE_CONTEXT.has(core(prev.text)) ? 'l' : 'd';
      s = article + s.slice(1);
      rules.push('ocr-elision');
    }
    if (s.includes('eé')) {
      s = s.replace(/eé/gu, 'é');
      rules.push('doubled-accent');
    }
    if (/[cC][ce]uvr/u.test(s)) {
      s = s.replace(/c[ce]uvr/gu, 'œuvr').replace(/C[ce]uvr/gu, 'Œuvr');
      rules.push('ocr-oe');
    }
    if ((s === 'ler' || /^1°+$/u.test(s) || s === '1°') && next && MONTHS.test(next.text)) {
      s = '1er';
      rules.push('ocr-word');
    } else if (s === '1a' && next && /^\p{Ll}/u.test(next.text) && prev && /\p{Ll}$/u.test(prev.text)) {
      s = 'la';
      rules.push('ocr-word');
    }
    if (/\p{Ll}\d\p{Ll}/u.test(s)) {
      s = s.replace(/(?<=\p{Ll})\d(?=\p{Ll})/gu, '');
      rules.push('stray-digit');
    }
    const parts = PUNCT_SPLIT.exec(s);
    if (parts) {
      const [, lead = '', body = '', tail = ''] = parts;
      const prefix = ELISION_PREFIX.exec(body)?.[1] ?? '';
      const word = body.slice(prefix.length);
      if (/\p{L}/u.test(word)) {
        const fixed = fixWord(word, rules);
        if (fixed !== word) s = lead + prefix + fixed + tail;
      }
    }
    if (s !== chunk.text) edits.push({ start: chunk.start, end: chunk.start + chunk.text.length, text: s, rule: [...new Set(rules)].join('+') });
  }
  return edits;
}
