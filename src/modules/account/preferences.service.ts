import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { nowIso } from '../../auth/crypto.ts';
import type { Principal } from '../../auth/principal.ts';
import { InvalidFields, type FieldProblem } from '../../errors.ts';
import { isLanguage, type Language } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';
import { checkTimeZone } from '../directory/poc/contact.ts';
import { updateUser } from '../users/user.repository.ts';

export interface PreferencesInput {
  /** One of the six languages, or '' to follow the browser. */
  language: string;
  /** An IANA time zone, or '' to read dates in UTC. */
  timeZone: string;
}

export interface Preferences {
  language: Language | null;
  timeZone: string | null;
}

/** Checks both fields at once; a bad one is named, nothing is saved. */
export function checkPreferences(input: PreferencesInput): Preferences {
  const problems: FieldProblem[] = [];
  const language = input.language.trim();
  if (language && !isLanguage(language)) problems.push({ field: 'language', messageKey: 'account.badLanguage' });
  let timeZone: string | null = null;
  if (input.timeZone.trim()) {
    const zone = checkTimeZone(input.timeZone);
    if (zone.ok) timeZone = zone.value;
    else problems.push({ field: 'timeZone', messageKey: 'account.badTimeZone', values: { value: input.timeZone.trim().slice(0, 64) } });
  }
  if (problems.length) throw new InvalidFields(problems);
  return { language: language ? (language as Language) : null, timeZone };
}

/** Saves the signed-in user's language and time zone, with its audit event, in one transaction. */
export async function savePreferences(cadre: Cadre, principal: Principal, input: PreferencesInput, ip: string | null): Promise<Preferences> {
  const preferences = checkPreferences(input);
  await cadre.database.db.transaction().execute(async (trx) => {
    await updateUser(trx, principal.userId, { locale: preferences.language, time_zone: preferences.timeZone, updated_at: nowIso() });
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: principal.userId, label: principal.email },
      action: 'account.preferences-changed',
      targetType: 'user',
      targetId: principal.userId,
      state: principal.state,
      ip,
      details: { language: preferences.language, timeZone: preferences.timeZone },
    });
  });
  return preferences;
}
