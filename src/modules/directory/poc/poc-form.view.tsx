import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../../web/forms.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { LANGUAGES } from '../../../web/i18n.ts';
import { languageName } from './contact.ts';
import { weekdayName } from './names.ts';
import { PHONE_LABELS, POC_KINDS, POC_RANKS, WEEKDAYS } from './types.ts';

/** The form's values as posted (every field a string). */
export type PocFormValues = Record<string, string | undefined>;

export const PHONE_ROWS = 3;

interface PocFormProps {
  ctx: PageContext;
  action: string;
  stateLabel: string;
  values: PocFormValues;
  errors?: FieldErrors | undefined;
  timeZones: readonly string[];
  submitLabel: string;
}

/** Nominating or updating a point of contact: every field of the entry, and the note verbale behind it. */
export function PocForm({ ctx, action, stateLabel, values, errors, timeZones, submitLabel }: PocFormProps) {
  const { t } = ctx;
  const v = (k: string) => values[k] ?? '';
  const checked = (k: string, value: string) => v(k) === value;
  const fieldError = (name: string) =>
    errors?.[name] ? (
      <p id={`${name}-error`} class="error-message">
        {errors[name]}
      </p>
    ) : null;
  const alwaysOn = v('availabilityMode') !== 'hours';
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={action} class="stacked poc-form" novalidate>
        <CsrfField ctx={ctx} />
        <p>
          {t('directory.form.state')}
          {t('directory.labelSeparator')}
          <strong>{stateLabel}</strong>
        </p>
        <fieldset class={errors?.kind ? 'field field-error' : 'field'}>
          <legend>{t('directory.kind')}</legend>
          {fieldError('kind')}
          {POC_KINDS.map((k) => (
            <label class="choice">
              <input type="radio" name="kind" value={k} checked={checked('kind', k)} /> {t(`directory.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <fieldset class={errors?.rank ? 'field field-error' : 'field'}>
          <legend>{t('directory.rank')}</legend>
          {fieldError('rank')}
          {POC_RANKS.map((r) => (
            <label class="choice">
              <input type="radio" name="rank" value={r} checked={checked('rank', r)} /> {t(`directory.rank.${r}`)}
            </label>
          ))}
        </fieldset>
        <Field name="name" label={t('directory.name')} value={v('name')} errors={errors} required autocomplete="off" />
        <Field name="title" label={t('directory.title')} value={v('title')} errors={errors} autocomplete="off" />
        <Field name="organisation" label={t('directory.organisation')} value={v('organisation')} errors={errors} autocomplete="off" />
        <Field name="emails" label={t('directory.primaryEmail')} type="email" value={v('emails')} errors={errors} required autocomplete="off" dir="ltr" hint={t('directory.primaryEmailHint')} />
        <div class={errors?.otherEmails ? 'field field-error' : 'field'}>
          <label for="otherEmails">{t('directory.otherEmails')}</label>
          <p id="otherEmails-hint" class="hint">
            {t('directory.otherEmailsHint')}
          </p>
          {fieldError('otherEmails')}
          <textarea id="otherEmails" name="otherEmails" rows={2} dir="ltr" aria-describedby="otherEmails-hint">
            {v('otherEmails')}
          </textarea>
        </div>
        <fieldset class={errors?.phones ? 'field field-error' : 'field'} aria-describedby="phones-hint">
          <legend>{t('directory.phones')}</legend>
          <p id="phones-hint" class="hint">
            {t('directory.phonesHint')}
          </p>
          {fieldError('phones')}
          {Array.from({ length: PHONE_ROWS }, (_, i) => (
            <div class="phone-row">
              <label for={`phone_${i}`} class="visually-hidden">
                {t('directory.phoneNumber', { n: i + 1 })}
              </label>
              <input id={`phone_${i}`} name={`phone_${i}`} type="tel" value={v(`phone_${i}`)} dir="ltr" autocomplete="off" />
              <label for={`phoneLabel_${i}`} class="visually-hidden">
                {t('directory.phoneLabel', { n: i + 1 })}
              </label>
              <select id={`phoneLabel_${i}`} name={`phoneLabel_${i}`}>
                {PHONE_LABELS.map((l) => (
                  <option value={l} selected={v(`phoneLabel_${i}`) === l}>
                    {t(`directory.phone.${l}`)}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <fieldset class={errors?.languages ? 'field field-error' : 'field'}>
          <legend>{t('directory.languages')}</legend>
          {fieldError('languages')}
          {LANGUAGES.map((l) => (
            <label class="choice">
              <input type="checkbox" name={`lang_${l}`} value="on" checked={v(`lang_${l}`) === 'on'} /> {languageName(l, ctx.lang)}
            </label>
          ))}
          <Field name="otherLanguages" label={t('directory.otherLanguages')} value={v('otherLanguages')} hint={t('directory.otherLanguagesHint')} dir="ltr" />
        </fieldset>
        <div class={errors?.timeZone ? 'field field-error' : 'field'}>
          <label for="timeZone">{t('directory.timeZone')}</label>
          {fieldError('timeZone')}
          <select id="timeZone" name="timeZone" required aria-invalid={errors?.timeZone ? 'true' : undefined}>
            <option value="">–</option>
            {timeZones.map((z) => (
              <option value={z} selected={v('timeZone') === z}>
                {z}
              </option>
            ))}
          </select>
        </div>
        <fieldset class={errors?.availability ? 'field field-error' : 'field'}>
          <legend>{t('directory.availability')}</legend>
          {fieldError('availability')}
          <label class="choice">
            <input type="radio" name="availabilityMode" value="always" checked={alwaysOn} /> {t('directory.always')}
          </label>
          <label class="choice">
            <input type="radio" name="availabilityMode" value="hours" checked={!alwaysOn} /> {t('directory.hours')}
          </label>
          <div class="table-scroll">
            <table class="hours-table">
              <caption class="hint">{t('directory.hoursHint', { midnight: '00:00' })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('directory.weekday')}</th>
                  <th scope="col">{t('directory.from')}</th>
                  <th scope="col">{t('directory.to')}</th>
                </tr>
              </thead>
              <tbody>
                {WEEKDAYS.map((d) => (
                  <tr>
                    <th scope="row">{weekdayName(d, ctx.lang)}</th>
                    <td>
                      <input type="time" name={`from_${d}`} value={v(`from_${d}`)} aria-label={`${weekdayName(d, ctx.lang)} – ${t('directory.from')}`} />
                    </td>
                    <td>
                      <input type="time" name={`to_${d}`} value={v(`to_${d}`)} aria-label={`${weekdayName(d, ctx.lang)} – ${t('directory.to')}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <div class={errors?.pgpKey ? 'field field-error' : 'field'}>
          <label for="pgpKey">{t('directory.pgpKey')}</label>
          <p id="pgpKey-hint" class="hint">
            {t('directory.pgpKeyHint')}
          </p>
          {fieldError('pgpKey')}
          <textarea id="pgpKey" name="pgpKey" rows={4} dir="ltr" class="mono" aria-describedby="pgpKey-hint">
            {v('pgpKey')}
          </textarea>
        </div>
        <div class={errors?.notes ? 'field field-error' : 'field'}>
          <label for="notes">{t('directory.notes')}</label>
          {fieldError('notes')}
          <textarea id="notes" name="notes" rows={3}>
            {v('notes')}
          </textarea>
        </div>
        <Field name="nominationRef" label={t('directory.nominationRef')} value={v('nominationRef')} errors={errors} required hint={t('directory.nominationRefHint')} />
        <Field name="nominationDate" label={t('directory.nominationDate')} type="date" value={v('nominationDate')} errors={errors} required />
        <button type="submit">{submitLabel}</button>
      </form>
    </>
  );
}

/** Without SMTP, the links that verify new addresses: the admin hands each to its holder. */
export function VerificationLinks({ ctx, links }: { ctx: PageContext; links: string[] }) {
  if (links.length === 0) return null;
  return (
    <section aria-labelledby="verify-links-h">
      <h2 id="verify-links-h">{ctx.t('directory.verify.linksHeading')}</h2>
      <p>{ctx.t('directory.verify.linksExplain')}</p>
      <ul class="plain">
        {links.map((l) => (
          <li class="secret" data-verification-link>
            {l}
          </li>
        ))}
      </ul>
    </section>
  );
}
