import { CsrfField, ErrorSummary, Select, type FieldErrors } from '../../web/forms.tsx';
import { LANGUAGES, LANGUAGE_NAMES } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { timeZoneChoices } from '../directory/poc/time-zones.ts';

export interface PreferenceValues {
  language: string;
  timeZone: string;
}

const offsets = new Map<string, string>();
let offsetsHour = -1;

/** "UTC+05:30" for a zone now; kept for the hour, since a time zone list is 400 names long. */
function offsetOf(zone: string, now: Date): string {
  const hour = Math.floor(now.getTime() / 3_600_000);
  if (hour !== offsetsHour) {
    offsets.clear();
    offsetsHour = hour;
  }
  let text = offsets.get(zone);
  if (text === undefined) {
    // "GMT+05:30", or plain "GMT" for a zone at UTC.
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName');
    text = part?.value && part.value !== 'GMT' ? part.value.replace('GMT', 'UTC') : 'UTC±00:00';
    offsets.set(zone, text);
  }
  return text;
}

/** The user's language (for pages and e-mails) and time zone (for every date Cadre shows them). */
export function PreferencesSection({ ctx, values, errors, done }: { ctx: PageContext; values: PreferenceValues; errors?: FieldErrors | undefined; done?: boolean }) {
  const { t } = ctx;
  const now = new Date();
  return (
    <section aria-labelledby="preferences-heading" id="preferences">
      <h2 id="preferences-heading">{t('account.preferences')}</h2>
      {done && (
        <p class="notice notice-ok" role="status">
          {t('account.preferencesSaved')}
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/account/preferences" class="stacked" novalidate>
        <CsrfField ctx={ctx} />
        <Select
          name="language"
          label={t('account.language')}
          hint={t('account.languageHint')}
          includeEmpty={t('account.languageBrowser')}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          value={values.language}
          errors={errors}
        />
        <Select
          name="timeZone"
          label={t('account.timeZone')}
          hint={t('account.timeZoneHint')}
          includeEmpty={t('account.timeZoneUtc')}
          options={timeZoneChoices().map((z) => ({ value: z, label: `${z} (${offsetOf(z, now)})` }))}
          value={values.timeZone}
          errors={errors}
        />
        <button type="submit">{t('account.savePreferences')}</button>
      </form>
    </section>
  );
}
