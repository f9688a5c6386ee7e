import type { StateTable } from '../../db/schema.ts';
import type { Language } from '../../web/i18n.ts';

export function stateName(state: StateTable, lang: Language): string {
  return state[`name_${lang}`];
}

/** States sorted by their name in the reader's language, with that language's collation. */
const collators = new Map<Language, Intl.Collator>();
// listStates hands out the same array for a minute and several pages show it sorted on every
// request (193 collated names, a quarter of a millisecond in Arabic): each order is kept per array,
// and handed out itself (frozen), so that what views key on it (an index by code) is kept too.
const sorted = new WeakMap<readonly StateTable[], Map<Language, readonly StateTable[]>>();

export function sortByName(states: readonly StateTable[], lang: Language): readonly StateTable[] {
  let byLanguage = sorted.get(states);
  const known = byLanguage?.get(lang);
  if (known && known.length === states.length) return known;
  let collator = collators.get(lang);
  if (!collator) {
    collator = new Intl.Collator(lang);
    collators.set(lang, collator);
  }
  const order = [...states].sort((a, b) => collator.compare(stateName(a, lang), stateName(b, lang)));
  if (!byLanguage) sorted.set(states, (byLanguage = new Map()));
  byLanguage.set(lang, Object.freeze(order));
  return order;
}
