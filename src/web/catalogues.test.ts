// The six catalogues against English, the source: same keys in the same order, every message parses
// and formats, same placeholders, plurals with exactly the CLDR categories of each language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  isArgumentElement,
  isDateElement,
  isLiteralElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { DEFAULT_LANGUAGE, LANGUAGES, direction, loadCatalogue, type Catalogue, type Language } from './i18n.ts';

/**
 * Values that may stay as in English: proper names, codes and punctuation that several languages
 * share (the label separator ': ', which French writes '\u00a0: ' and Chinese '：'). Add to this
 * list deliberately, never to silence an untranslated string.
 */
const SAME_AS_ENGLISH = new Set(['Cadre', ': ']);

const english = loadCatalogue(DEFAULT_LANGUAGE);
const translations = LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE);
const all: Array<[Language, Catalogue]> = LANGUAGES.map((l) => [l, loadCatalogue(l)]);

type Kind = 'argument' | 'number' | 'date' | 'time' | 'plural' | 'selectordinal' | 'select' | 'tag';
interface Plural {
  name: string;
  type: 'cardinal' | 'ordinal';
  categories: string[];
  exact: string[];
}
interface Shape {
  /** placeholder name → its kind; a name used with two kinds is recorded as both */
  placeholders: Map<string, Set<Kind>>;
  plurals: Plural[];
  selects: Map<string, string[]>;
  literals: string[];
}

function shapeOf(ast: MessageFormatElement[], shape: Shape = { placeholders: new Map(), plurals: [], selects: new Map(), literals: [] }): Shape {
  const note = (name: string, kind: Kind) => shape.placeholders.set(name, (shape.placeholders.get(name) ?? new Set()).add(kind));
  for (const el of ast) {
    if (isLiteralElement(el)) shape.literals.push(el.value);
    else if (isArgumentElement(el)) note(el.value, 'argument');
    else if (isNumberElement(el)) note(el.value, 'number');
    else if (isDateElement(el)) note(el.value, 'date');
    else if (isTimeElement(el)) note(el.value, 'time');
    else if (isPluralElement(el)) {
      note(el.value, el.pluralType === 'ordinal' ? 'selectordinal' : 'plural');
      const keys = Object.keys(el.options);
      shape.plurals.push({
        name: el.value,
        type: el.pluralType ?? 'cardinal',
        categories: keys.filter((k) => !k.startsWith('=')).sort(),
        exact: keys.filter((k) => k.startsWith('=')).sort(),
      });
      for (const option of Object.values(el.options)) shapeOf(option.value, shape);
    } else if (isSelectElement(el)) {
      note(el.value, 'select');
      shape.selects.set(el.value, Object.keys(el.options).sort());
      for (const option of Object.values(el.options)) shapeOf(option.value, shape);
    } else if (isTagElement(el)) {
      note(el.value, 'tag');
      shapeOf(el.children, shape);
    }
  }
  return shape;
}

function parse(message: string, lang: Language): { format: IntlMessageFormat; shape: Shape } {
  const format = new IntlMessageFormat(message, lang);
  return { format, shape: shapeOf(format.getAst()) };
}

/** Numbers that reach every CLDR category of the six languages (0, 1, 2, few, many, fractions, millions). */
const SAMPLE_NUMBERS = [0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 111, 1.5, 1_000_000];

/** Sample values for a message's arguments, with `n` for every numeric one. */
function sampleValues(shape: Shape, n: number): Record<string, string | number | Date | ((chunks: unknown[]) => string)> {
  const values: Record<string, string | number | Date | ((chunks: unknown[]) => string)> = {};
  for (const [name, kinds] of shape.placeholders) {
    if (kinds.has('plural') || kinds.has('selectordinal') || kinds.has('number')) values[name] = n;
    else if (kinds.has('date') || kinds.has('time')) values[name] = new Date(Date.UTC(2026, 2, 15, 9, 30));
    else if (kinds.has('tag')) values[name] = (chunks) => chunks.join('');
    else if (kinds.has('select')) values[name] = shape.selects.get(name)?.find((k) => k !== 'other') ?? 'other';
    else values[name] = `‹${name}›`;
  }
  return values;
}

function describe(shape: Shape): Record<string, string[]> {
  return Object.fromEntries([...shape.placeholders].map(([name, kinds]) => [name, [...kinds].sort()]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

test('English has at least one message and only non-empty string values', () => {
  assert.ok(Object.keys(english).length > 0);
  for (const [key, value] of Object.entries(english)) assert.equal(typeof value, 'string', key);
});

for (const lang of translations) {
  const catalogue = loadCatalogue(lang);

  test(`${lang}: has every English key, no other key, in the English order`, () => {
    const missing = Object.keys(english).filter((k) => !(k in catalogue));
    const extra = Object.keys(catalogue).filter((k) => !(k in english));
    assert.deepEqual(missing, [], `${lang} lacks keys`);
    assert.deepEqual(extra, [], `${lang} has keys English does not`);
    assert.deepEqual(Object.keys(catalogue), Object.keys(english), `${lang} keys are not in the order of en.json`);
  });

  test(`${lang}: every message is translated (not the English text), except allowed names`, () => {
    const same = Object.keys(english).filter((k) => catalogue[k] === english[k] && !SAME_AS_ENGLISH.has(english[k]!));
    assert.deepEqual(same, [], `${lang} values identical to English`);
  });
}

// English too: its own plurals must follow CLDR, and it is compared with itself for placeholders.
for (const [lang, catalogue] of all) {
  test(`${lang}: same placeholders as English, plural categories per CLDR, exact matches kept`, () => {
    const pluralRules = {
      cardinal: new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort(),
      ordinal: new Intl.PluralRules(lang, { type: 'ordinal' }).resolvedOptions().pluralCategories.slice().sort(),
    };
    for (const key of Object.keys(english)) {
      const source = catalogue[key];
      if (source === undefined) continue; // reported by the key test
      const en = parse(english[key]!, DEFAULT_LANGUAGE).shape;
      const tr = parse(source, lang).shape;
      assert.deepEqual(describe(tr), describe(en), `${lang} ${key}: placeholders differ from English`);
      for (const p of tr.plurals) {
        assert.deepEqual(p.categories, pluralRules[p.type], `${lang} ${key}: {${p.name}} must have exactly the ${p.type} categories ${pluralRules[p.type].join(', ')}`);
      }
      const exact = (s: Shape) => s.plurals.map((p) => `${p.name}:${p.exact.join(',')}`).sort();
      assert.deepEqual(exact(tr), exact(en), `${lang} ${key}: exact matches (=0…) differ from English`);
      for (const [name, options] of en.selects) assert.deepEqual(tr.selects.get(name), options, `${lang} ${key}: {${name}} select options differ`);
    }
  });
}

for (const [lang, catalogue] of all) {
  test(`${lang}: every message is non-empty, parses and formats with sample values`, () => {
    for (const [key, message] of Object.entries(catalogue)) {
      assert.equal(typeof message, 'string', `${lang} ${key}`);
      assert.notEqual(message.trim(), '', `${lang} ${key} is empty`);
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(message, lang);
      } catch (e) {
        assert.fail(`${lang} ${key} does not parse: ${(e as Error).message}`);
      }
      const numbers = parsed.shape.plurals.length > 0 || [...parsed.shape.placeholders.values()].some((k) => k.has('number')) ? SAMPLE_NUMBERS : [1];
      for (const n of numbers) {
        const values = sampleValues(parsed.shape, n);
        const out = parsed.format.format(values);
        const text = Array.isArray(out) ? out.join('') : String(out);
        assert.notEqual(text.trim(), '', `${lang} ${key} formats to nothing for ${n}`);
        for (const [name, kinds] of parsed.shape.placeholders) {
          if (kinds.size === 1 && kinds.has('argument')) assert.ok(text.includes(`‹${name}›`), `${lang} ${key}: {${name}} does not reach the output (quoted by an apostrophe?)`);
        }
      }
    }
  });
}

test('fr: French typography (no-break space before : ; ! ? and inside « », typographic apostrophe)', () => {
  const catalogue = loadCatalogue('fr');
  const nbsp = '[\u00a0\u202f]';
  const rules: Array<[RegExp, string]> = [
    [new RegExp(`(^|[^\u00a0\u202f])[:;!?]`), 'a no-break space (U+00A0 or U+202F) before : ; ! ?'],
    [new RegExp(`«(?!${nbsp})`), 'a no-break space after «'],
    [new RegExp(`(?<!${nbsp})»`), 'a no-break space before »'],
    [/'/, 'the apostrophe ’ (U+2019), not \''],
    [/[“”"]/, '« » quotes'],
  ];
  for (const [key, message] of Object.entries(catalogue)) {
    for (const literal of parse(message, 'fr').shape.literals) {
      for (const [pattern, wanted] of rules) assert.doesNotMatch(literal, pattern, `fr ${key}: use ${wanted} in “${literal}”`);
    }
  }
});

test('dir is rtl for Arabic only', () => {
  for (const lang of LANGUAGES) assert.equal(direction(lang), lang === 'ar' ? 'rtl' : 'ltr', lang);
});
