import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldProblem } from '../errors.ts';
import type { PageContext } from './page-context.ts';
import type { Translate } from './i18n.ts';

/** Field name → localized message. */
export type FieldErrors = Record<string, string>;

/** The service's field problems as the form's messages; several on one field are joined. */
export function problemMessages(problems: FieldProblem[], t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems) {
    const message = t(p.messageKey, p.values);
    errors[p.field] = errors[p.field] ? `${errors[p.field]} ${message}` : message;
  }
  return errors;
}

/** Turns schema validation failures into one localized message per field. */
export function fieldErrorsFrom(validation: FastifySchemaValidationError[] | undefined, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  for (const v of validation ?? []) {
    const params = v.params as Record<string, unknown>;
    const field =
      typeof params.missingProperty === 'string' ? params.missingProperty : (v.instancePath ?? '').replace(/^\//, '').split('/')[0] || '_form';
    if (errors[field]) continue;
    errors[field] = validationMessage(v, t);
  }
  return errors;
}

export function validationMessage(v: FastifySchemaValidationError, t: Translate): string {
  const params = v.params as Record<string, unknown>;
  switch (v.keyword) {
    case 'required':
      return t('validation.required');
    case 'minLength':
      return Number(params.limit) <= 1 ? t('validation.required') : t('validation.minLength', { limit: Number(params.limit) });
    case 'maxLength':
      return t('validation.maxLength', { limit: Number(params.limit) });
    case 'format':
      return params.format === 'email' ? t('validation.email') : t('validation.format');
    case 'pattern':
      return t('validation.format');
    case 'enum':
    case 'anyOf':
    case 'const':
      return t('validation.choice');
    case 'additionalProperties':
      return t('validation.unknownField', { field: String(params.additionalProperty ?? '') });
    case 'type':
      return t('validation.type');
    case 'minimum':
    case 'maximum':
      return t('validation.range');
    default:
      return t('validation.invalid');
  }
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

interface ActionButtonProps {
  ctx: PageContext;
  action: string;
  label: string;
  /** `secondary` or `danger`; the plain primary button otherwise. */
  variant?: 'secondary' | 'danger';
  /** A fuller name for screen readers when the label alone is ambiguous in a list. */
  ariaLabel?: string;
  inline?: boolean;
}

/** One button that POSTs to `action` with the CSRF token: every state-changing link-like action. */
export function ActionButton({ ctx, action, label, variant, ariaLabel, inline }: ActionButtonProps) {
  return (
    <form method="post" action={action} class={inline ? 'inline-form' : undefined}>
      <CsrfField ctx={ctx} />
      <button type="submit" class={variant ? `button button-${variant}` : 'button'} aria-label={ariaLabel}>
        {label}
      </button>
    </form>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  type?: string;
  value?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  dir?: 'ltr' | 'rtl' | 'auto';
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ name, label, errors, type = 'text', value, required, autocomplete, hint, inputMode, dir }: FieldProps) {
  const error = errors?.[name];
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
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
      <input
        id={name}
        name={name}
        type={type}
        value={value}
        required={required}
        autocomplete={autocomplete}
        inputMode={inputMode}
        dir={dir}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
  );
}

interface SelectProps {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  required?: boolean;
  includeEmpty?: string;
  hint?: string;
}

export function Select({ name, label, options, value, errors, required, includeEmpty, hint }: SelectProps) {
  const error = errors?.[name];
  const hintId = hint ? `${name}-hint` : undefined;
  const described = [hintId, error ? `${name}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} class="error-message">
          {error}
        </p>
      )}
      <select id={name} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={described}>
        {includeEmpty !== undefined && <option value="">{includeEmpty}</option>}
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The summary at the top of a form with errors, linking to each field (WCAG 3.3.1). */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FieldErrors | undefined }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{ctx.t('form.errorSummary')}</h2>
      <ul>
        {Object.entries(errors).map(([field, message]) => (
          <li>{field === '_form' ? message : <a href={`#${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}
