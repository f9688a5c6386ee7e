import { CLDR_TO_IANA } from './contact.ts';

let choices: readonly string[] | undefined;

/** IANA zones offered in forms: what this runtime knows under their current names, plus UTC, sorted. */
export function timeZoneChoices(): readonly string[] {
  choices ??= [...new Set([...Intl.supportedValuesOf('timeZone').map((z) => CLDR_TO_IANA[z] ?? z), 'UTC'])].sort();
  return choices;
}
