import { CsrfField, Field, type FieldErrors } from '../../../web/forms.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { DirectorySettings } from './directory.settings.ts';

export function SettingsPage({ ctx, settings, errors, saved }: { ctx: PageContext; settings: DirectorySettings; errors?: FieldErrors | undefined; saved: boolean }) {
  const { t } = ctx;
  return (
    <>
      {saved && (
        <p class="notice notice-ok" role="status">
          {t('directory.settings.saved')}
        </p>
      )}
      <form method="post" action="/directory/settings" class="stacked">
        <CsrfField ctx={ctx} />
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="reciprocity" value="on" checked={settings.reciprocity} /> {t('directory.settings.reciprocity')}
          </label>
          <p class="hint">{t('directory.settings.reciprocityHint')}</p>
        </div>
        <Field name="confirmMonths" label={t('directory.settings.confirmMonths')} type="number" value={String(settings.confirmMonths)} errors={errors} inputMode="numeric" hint={t('directory.settings.confirmMonthsHint')} />
        <Field name="reminderDays" label={t('directory.settings.reminderDays')} type="number" value={String(settings.reminderDays)} errors={errors} inputMode="numeric" hint={t('directory.settings.reminderDaysHint')} />
        <button type="submit">{t('directory.save')}</button>
      </form>
    </>
  );
}
