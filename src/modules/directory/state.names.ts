import type { StateTable } from '../../db/schema.ts';
import type { Language } from '../../web/i18n.ts';

export function stateName(state: StateTable, lang: Language): string {
  return state[`name_${lang}`];
}

/** States sorted by their name in the reader's language, with that language's collation. */
const collators = new Map<Language, Intl.Collator>();

export function sortByName(states: StateTable[], lang: Language): StateTable[] {
  let collator = collators.get(lang);
  if (!collator) {
    collator = new Intl.Collator(lang);
    collators.set(lang, collator);
  }
  return [...states].sort((a, b) => collator.compare(stateName(a, lang), stateName(b, lang)));
}
