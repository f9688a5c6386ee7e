import { ActionButton, CsrfField, ErrorSummary, Field, type FieldErrors } from '../../web/forms.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { formatInstant } from '../../web/format.ts';
import type { PasskeyListing } from './passkey.service.ts';
import { PasskeysSection } from './passkey.views.tsx';
import { PreferencesSection, type PreferenceValues } from './preferences.view.tsx';

interface SessionRow {
  id: string;
  created_at: string;
  last_seen_at: string;
  ip: string;
  user_agent: string;
}

interface AccountPageProps {
  ctx: PageContext;
  sessions: SessionRow[];
  currentSessionId: string;
  recoveryLeft: number;
  passkeys: PasskeyListing[];
  errors?: FieldErrors;
  done?: string | undefined;
  /** Values and errors of the preferences form (its own, so that a bad time zone does not show under recovery codes). */
  preferences: { values: PreferenceValues; errors?: FieldErrors | undefined };
  /** The user's State, named in the page's language. */
  stateLabel?: string | undefined;
}

export function AccountPage({ ctx, sessions, currentSessionId, recoveryLeft, passkeys, errors, done, preferences, stateLabel }: AccountPageProps) {
  const { t, principal } = ctx;
  if (!principal) return null;
  return (
    <>
      <dl class="facts">
        <dt>{t('account.email')}</dt>
        <dd dir="ltr">{principal.email}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`role.${principal.role}`)}</dd>
        {principal.state && (
          <>
            <dt>{t('account.state')}</dt>
            <dd>{stateLabel ?? principal.state}</dd>
          </>
        )}
      </dl>

      <PreferencesSection ctx={ctx} values={preferences.values} errors={preferences.errors} done={done === 'preferences'} />

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t('account.sessions')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('account.sessionStarted')}</th>
              <th scope="col">{t('account.sessionLastSeen')}</th>
              <th scope="col">{t('account.sessionFrom')}</th>
              <th scope="col">{t('account.sessionBrowser')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td>
                  {formatInstant(s.created_at, ctx.lang, ctx.timeZone)}
                  {s.id === currentSessionId && <span class="badge badge-ok"> {t('account.thisSession')}</span>}
                </td>
                <td>{formatInstant(s.last_seen_at, ctx.lang, ctx.timeZone)}</td>
                <td class="mono">{s.ip}</td>
                <td>{s.user_agent.slice(0, 80)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ActionButton ctx={ctx} action="/account/sign-out-everywhere" label={t('account.signOutEverywhere')} variant="danger" />
      </section>

      <PasskeysSection ctx={ctx} passkeys={passkeys} done={done} />

      <section aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">{t('account.recoveryCodes')}</h2>
        <p>{t('account.recoveryLeft', { count: recoveryLeft })}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/account/recovery-codes" class="stacked" novalidate>
          <CsrfField ctx={ctx} />
          <Field name="code" label={t('signIn.code')} hint={t('account.recoveryHint')} errors={errors} required autocomplete="one-time-code" inputMode="numeric" dir="ltr" />
          <button type="submit">{t('account.regenerate')}</button>
        </form>
      </section>
    </>
  );
}
