import { API_SCOPES } from '../../auth/api-tokens.ts';
import { ActionButton, CsrfField, ErrorSummary, Field, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { TokenRow } from './token.repository.ts';

interface Props {
  ctx: PageContext;
  tokens: TokenRow[];
  canCreate: boolean;
  created?: string;
  errors?: FieldErrors;
}

export function TokensPage({ ctx, tokens, canCreate, created, errors }: Props) {
  const { t } = ctx;
  return (
    <>
      <p class="lead">{t('tokens.lead')}</p>
      {created && (
        <div class="notice notice-ok" role="status">
          <p>{t('tokens.created')}</p>
          <p class="secret" data-new-token>
            {created}
          </p>
        </div>
      )}
      {tokens.length === 0 ? (
        <p>{t('tokens.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              {ctx.principal?.role === 'secretariat' && <th scope="col">{t('tokens.owner')}</th>}
              <th scope="col">{t('tokens.scopes')}</th>
              <th scope="col">{t('tokens.createdAt')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">{t('tokens.status')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tok) => (
              <tr>
                <td>{tok.name}</td>
                {ctx.principal?.role === 'secretariat' && <td class="mono">{tok.email}</td>}
                <td class="mono">{tok.scopes}</td>
                <td>{formatInstant(tok.created_at, ctx.lang, ctx.timeZone)}</td>
                <td>{tok.last_used_at ? formatInstant(tok.last_used_at, ctx.lang, ctx.timeZone) : '–'}</td>
                <td>
                  {tok.revoked_at ? (
                    <span class="badge badge-off">{t('tokens.revoked')}</span>
                  ) : tok.expires_at && Date.parse(tok.expires_at) < Date.now() ? (
                    <span class="badge badge-warn">{t('tokens.expired')}</span>
                  ) : (
                    <ActionButton ctx={ctx} action={`/tokens/${tok.id}/revoke`} label={t('tokens.revoke')} variant="danger" inline />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canCreate && (
        <section aria-labelledby="new-token">
          <h2 id="new-token">{t('tokens.new')}</h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="post" action="/tokens" class="stacked" novalidate>
            <CsrfField ctx={ctx} />
            <Field name="name" label={t('tokens.name')} hint={t('tokens.nameHint')} errors={errors} required />
            <fieldset class={errors?.scopes ? 'field field-error' : 'field'}>
              <legend>{t('tokens.scopes')}</legend>
              {errors?.scopes && <p class="error-message">{errors.scopes}</p>}
              {API_SCOPES.map((s) => (
                <div>
                  <input type="checkbox" id={`scope-${s}`} name="scopes" value={s} />
                  <label for={`scope-${s}`}>
                    <code>{s}</code> {t(`tokens.scope.${s}`)}
                  </label>
                </div>
              ))}
            </fieldset>
            <Field name="expiresInDays" label={t('tokens.expiresInDays')} hint={t('tokens.expiresHint')} errors={errors} inputMode="numeric" value="365" />
            <button type="submit">{t('tokens.create')}</button>
          </form>
        </section>
      )}
    </>
  );
}
