import type { StateTable } from '../../db/schema.ts';
import type { Language } from '../../web/i18n.ts';

export function stateName(state: StateTable, lang: Language): string {
  return state[`name_${lang}`];
}

/** States sorted by their name in the reader's language, with that language's collation. */
const collators = new Map<Language, Intl.Collator>();
// listStates hands out the same array for a minute and several pages show it sorted on every
// request (193 collated names, a quarter of a millisecond in Arabic): each order is kept per array.
const sorted = new WeakMap<readonly StateTable[], Map<Language, StateTable[]>>();

export function sortByName(states: StateTable[], lang: Language): StateTable[] {
  let byLanguage = sorted.get(states);
  const known = byLanguage?.get(lang);
  if (known && known.length === states.length) return [...known];
  let collator = collators.get(lang);
  if (!collator) {
    collator = new Intl.Collator(lang);
    collators.set(lang, collator);
  }
  const order = [...states].sort((a, b) => collator.compare(stateName(a, lang), stateName(b, lang)));
  if (!byLanguage) sorted.set(states, (byLanguage = new Map()));
  byLanguage.set(lang, order);
  return [...order];
}
