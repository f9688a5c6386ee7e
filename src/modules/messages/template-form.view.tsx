// A template's fields as a plain HTML form: it posts without JavaScript, every control has its label,
// hints and errors are tied to the control (aria-describedby), as in src/web/forms.tsx.
import type { ComponentChildren } from 'preact';
import { CsrfField, ErrorSummary, Select, type FieldErrors } from '../../web/forms.tsx';
import { LANGUAGES, direction, type Translate } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { languageName } from '../directory/poc/contact.ts';
import { timeZoneChoices } from '../directory/poc/time-zones.ts';
import { INDICATOR_TYPES, templateById, type FieldDefinition, type TemplateId } from './templates.ts';
import { ACCEPTED_EXTENSIONS, ATTACHMENT_LIMITS } from './attachments.ts';

/** The form as posted: one string per control, or several for checkboxes of one name. */
export type TemplateFormValues = Record<string, string | string[] | undefined>;

/** The second control of a datetime field. */
export const timeZoneControl = (field: string) => `${field}.timeZone`;

// Shorter names people write for the types.
const INDICATOR_ALIASES: Record<string, string> = {
  ipv4: 'ip',
  ipv6: 'ip',
  hostname: 'domain',
  sha256: 'hash-sha256',
  md5: 'hash-md5',
};

/**
 * The indicators textarea: one `type value` per line ("ip 192.0.2.1", "cve CVE-2024-3400"); blank
 * lines skipped. A line without a value keeps an empty one, so the check names it rather than
 * dropping it. The values are checked by validateTemplateInput, not here.
 */
export function parseIndicatorLines(text: string): { type: string; value: string }[] {
  const items: { type: string; value: string }[] = [];
  for (const line of text.split(/\r\n?|\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const space = trimmed.search(/\s/u);
    const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
    items.push({ type: INDICATOR_ALIASES[word] ?? word, value: space < 0 ? '' : trimmed.slice(space).trim() });
  }
  return items;
}

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** The posted form → the input validateTemplateInput takes; controls not in the template are ignored (the CSRF token…). */
export function templateFormValuesToInput(templateId: TemplateId, values: TemplateFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const { field } of templateById(templateId).fields) {
    const raw = values[field.name];
    switch (field.type) {
      case 'multichoice':
        input[field.name] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        break;
      case 'datetime':
        input[field.name] = { local: one(raw), timeZone: one(values[timeZoneControl(field.name)]) };
        break;
      case 'indicators':
        input[field.name] = parseIndicatorLines(one(raw));
        break;
      default:
        input[field.name] = one(raw);
    }
  }
  return input;
}

/** The value a choice shows: TLP labels stay as FIRST writes them, followed by their meaning. */
function choiceLabel(field: FieldDefinition, value: string, t: Translate): string {
  if (field.name === 'tlp') return `TLP:${value} — ${t(`messages.tlp.${value}`)}`;
  return t(`messages.${field.name}.${value}`);
}

interface TemplateFormProps {
  ctx: PageContext;
  template: TemplateId;
  action: string;
  values: TemplateFormValues;
  errors?: FieldErrors | undefined;
  submitLabel: string;
  /** Controls the page adds before the template's own (the recipients of a new thread). */
  children?: ComponentChildren;
  /** Offer files to attach (a message's form): the form then posts as multipart/form-data. */
  attachments?: boolean;
}

export function TemplateForm({ ctx, template, action, values, errors, submitLabel, children, attachments = false }: TemplateFormProps) {
  const { t } = ctx;
  const definition = templateById(template);
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={action} class="stacked template-form" dir={direction(ctx.lang)} data-template={template} novalidate enctype={attachments ? 'multipart/form-data' : undefined}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="template" value={template} />
        <p class="hint">{t(`messages.template.${template}.purpose`)}</p>
        {children}
        {definition.fields.map(({ field, required }) => (
          <TemplateField ctx={ctx} field={field} required={required} values={values} errors={errors} />
        ))}
        {attachments && <AttachmentField ctx={ctx} errors={errors} />}
        <button type="submit">{submitLabel}</button>
      </form>
    </>
  );
}

interface TemplateFieldProps {
  ctx: PageContext;
  field: FieldDefinition;
  required: boolean;
  values: TemplateFormValues;
  errors?: FieldErrors | undefined;
}

function TemplateField({ ctx, field, required, values, errors }: TemplateFieldProps) {
  const { t } = ctx;
  const name = field.name;
  const label = required ? t(`messages.field.${name}`) : t('messages.form.optional', { label: t(`messages.field.${name}`) });
  const hint = field.hint ? t(`messages.field.${name}.hint`) : undefined;
  const error = errors?.[name];
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const hintAndError = (
    <>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} class="error-message">
          {error}
        </p>
      )}
    </>
  );
  const fieldClass = (...names: string[]) => (names.some((n) => errors?.[n]) ? 'field field-error' : 'field');

  switch (field.type) {
    case 'text':
    case 'contact':
      return (
        <div class={fieldClass(name)}>
          <label for={name}>{label}</label>
          {hintAndError}
          <input id={name} name={name} type="text" value={one(values[name])} required={required} dir="auto" autocomplete="off" aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
        </div>
      );
    case 'longtext':
    case 'indicators':
      return (
        <div class={fieldClass(name)}>
          <label for={name}>{label}</label>
          {hintAndError}
          <textarea
            id={name}
            name={name}
            rows={field.type === 'indicators' ? 6 : 5}
            required={required}
            dir={field.type === 'indicators' ? 'ltr' : 'auto'}
            class={field.type === 'indicators' ? 'mono' : undefined}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={described}
          >
            {one(values[name])}
          </textarea>
          {field.type === 'indicators' && <p class="hint">{t('messages.form.indicatorTypes', { types: INDICATOR_TYPES.join(', ') })}</p>}
        </div>
      );
    case 'choice':
      return (
        <Select
          name={name}
          label={label}
          options={(field.choices ?? []).map((c) => ({ value: c, label: choiceLabel(field, c, t) }))}
          value={one(values[name])}
          errors={errors}
          required={required}
          includeEmpty={t('messages.form.choose')}
          hint={hint}
        />
      );
    case 'language':
      return (
        <Select
          name={name}
          label={label}
          options={LANGUAGES.map((l) => ({ value: l, label: languageName(l, ctx.lang) }))}
          value={one(values[name])}
          errors={errors}
          required={required}
          includeEmpty={t('messages.form.choose')}
        />
      );
    case 'multichoice': {
      const chosen = new Set(Array.isArray(values[name]) ? values[name] : values[name] ? [values[name] as string] : []);
      return (
        <fieldset class={fieldClass(name)} id={name} aria-describedby={described}>
          <legend>{label}</legend>
          {hintAndError}
          {(field.choices ?? []).map((c) => (
            <label class="choice" for={`${name}-${c}`}>
              <input type="checkbox" id={`${name}-${c}`} name={name} value={c} checked={chosen.has(c)} /> {choiceLabel(field, c, t)}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'datetime': {
      const zoneName = timeZoneControl(name);
      const zoneError = errors?.[zoneName];
      return (
        <fieldset class={fieldClass(name, zoneName)} aria-describedby={described}>
          <legend>{label}</legend>
          {hintAndError}
          <label for={name}>{t('messages.form.localTime')}</label>
          <input id={name} name={name} type="datetime-local" value={one(values[name])} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={errorId} />
          <label for={zoneName}>{t('messages.form.timeZone')}</label>
          {zoneError && (
            <p id={`${zoneName}-error`} class="error-message">
              {zoneError}
            </p>
          )}
          <select id={zoneName} name={zoneName} required={required} dir="ltr" aria-invalid={zoneError ? 'true' : undefined} aria-describedby={zoneError ? `${zoneName}-error` : undefined}>
            <option value="">{t('messages.form.choose')}</option>
            {timeZoneChoices().map((z) => (
              <option value={z} selected={one(values[zoneName]) === z}>
                {z}
              </option>
            ))}
          </select>
        </fieldset>
      );
    }
  }
}

/** Files to send with the message: what is accepted, the limits, and after an error, that files must be chosen again. */
function AttachmentField({ ctx, errors }: { ctx: PageContext; errors?: FieldErrors | undefined }) {
  const { t } = ctx;
  const error = errors?.attachments;
  const again = errors && Object.keys(errors).length > 0;
  const described = ['attachments-hint', error ? 'attachments-error' : null].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="attachments">{t('messages.attachment.label')}</label>
      <p id="attachments-hint" class="hint">
        {t('messages.attachment.hint', { accepted: ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(' '), files: ATTACHMENT_LIMITS.files, each: ATTACHMENT_LIMITS.fileBytes / 1024 / 1024, total: ATTACHMENT_LIMITS.totalBytes / 1024 / 1024 })}
        {again && ` ${t('messages.attachment.again')}`}
      </p>
      {error && (
        <p id="attachments-error" class="error-message">
          {error}
        </p>
      )}
      <input type="file" id="attachments" name="attachments" multiple accept={ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',')} aria-describedby={described} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
}
