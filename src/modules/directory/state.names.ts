import type { StateTable } from '../../db/schema.ts';
import type { Language } from '../../web/i18n.ts';

export function stateName(state: StateTable, lang: Language): string {
  return state[`name_${lang}`];
}

/** States sorted by their name in the reader's language, with that language's collation. */
export function sortByName(states: StateTable[], lang: Language): StateTable[] {
  const collator = new Intl.Collator(lang);
  return [...states].sort((a, b) => collator.compare(stateName(a, lang), stateName(b, lang)));
}
