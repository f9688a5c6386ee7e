import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../web/forms.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { passkeySignInErrors } from './passkey.views.tsx';

export interface SignInFormProps {
  ctx: PageContext;
  errors?: FieldErrors;
  email?: string;
  next?: string;
  notice?: string;
}

export function SignInForm({ ctx, errors, email, next, notice }: SignInFormProps) {
  const { t } = ctx;
  return (
    <>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/sign-in" class="stacked" novalidate>
        <CsrfField ctx={ctx} />
        {next && <input type="hidden" name="next" value={next} />}
        <Field name="email" label={t('signIn.email')} type="email" value={email} errors={errors} required autocomplete="username webauthn" dir="ltr" />
        <Field name="password" label={t('signIn.password')} type="password" errors={errors} required autocomplete="current-password" />
        <Field
          name="code"
          label={t('signIn.code')}
          hint={t('signIn.codeHint')}
          errors={errors}
          required
          autocomplete="one-time-code"
          inputMode="numeric"
          dir="ltr"
        />
        <button type="submit">{t('signIn.submit')}</button>
      </form>
      <div id="passkey-sign-in" class="passkey-box" hidden>
        <p>{t('signIn.passkeyIntro')}</p>
        <button type="button" class="button button-secondary" data-passkey-sign-in data-csrf={ctx.csrfToken} data-next={next ?? ''} {...passkeySignInErrors(ctx)}>
          {t('signIn.passkey')}
        </button>
        <p class="error-message" data-passkey-error role="alert" hidden></p>
        <script src="/static/passkeys.js" type="module"></script>
      </div>
    </>
  );
}

export interface EnrolFormProps {
  ctx: PageContext;
  token: string;
  email: string;
  totpSecret: string;
  totpUri: string;
  qrSvg: string;
  errors?: FieldErrors;
}

export function EnrolForm({ ctx, token, email, totpSecret, totpUri, qrSvg, errors }: EnrolFormProps) {
  const { t } = ctx;
  return (
    <>
      <p class="lead">{t('enrol.lead', { email })}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`/enrol/${token}`} class="stacked" novalidate>
        <CsrfField ctx={ctx} />
        <h2>{t('enrol.step1')}</h2>
        <Field name="password" label={t('enrol.password')} hint={t('enrol.passwordHint', { min: 12 })} type="password" errors={errors} required autocomplete="new-password" />
        <Field name="confirm" label={t('enrol.confirm')} type="password" errors={errors} required autocomplete="new-password" />
        <h2>{t('enrol.step2')}</h2>
        <p>{t('enrol.totpIntro')}</p>
        <img class="qr" src={`data:image/svg+xml;base64,${Buffer.from(qrSvg).toString('base64')}`} alt={t('enrol.qrAlt')} width={200} height={200} />
        <p>
          {t('enrol.secretLabel')} <span class="secret" data-totp-secret>{totpSecret}</span>
        </p>
        <p>
          <a href={totpUri}>{t('enrol.openApp')}</a>
        </p>
        <Field name="code" label={t('enrol.code')} errors={errors} required autocomplete="one-time-code" inputMode="numeric" dir="ltr" />
        <button type="submit">{t('enrol.submit')}</button>
      </form>
    </>
  );
}

export function RecoveryCodes({ ctx, codes }: { ctx: PageContext; codes: string[] }) {
  const { t } = ctx;
  return (
    <>
      <p class="notice notice-ok" role="status">
        {t('recovery.intro', { count: codes.length })}
      </p>
      <ul class="codes" data-recovery-codes>
        {codes.map((c) => (
          <li>{c}</li>
        ))}
      </ul>
      <p>
        <a class="button" href="/account">
          {t('recovery.continue')}
        </a>
      </p>
    </>
  );
}
