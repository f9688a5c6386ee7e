import { ActionButton } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { PasskeyListing } from './passkey.service.ts';
import { PASSKEY_NAME_MAX } from './passkey.service.ts';

/** Messages passkeys.js shows when the browser, not the server, says no. */
function clientErrors(ctx: PageContext) {
  return {
    'data-error-cancelled': ctx.t('passkey.cancelled'),
    'data-error-failed': ctx.t('passkey.failed'),
  };
}

/**
 * The account page's passkeys: the list (deleting works without JavaScript) and, revealed by
 * passkeys.js only where the browser has WebAuthn, the form that adds one.
 */
export function PasskeysSection({ ctx, passkeys, done }: { ctx: PageContext; passkeys: PasskeyListing[]; done?: string | undefined }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="passkeys-heading" id="passkeys">
      <h2 id="passkeys-heading">{t('account.passkeys')}</h2>
      <p>{t('account.passkeysIntro')}</p>
      {done === 'passkey-added' && (
        <p class="notice notice-ok" role="status">
          {t('passkey.added')}
        </p>
      )}
      {done === 'passkey-deleted' && (
        <p class="notice notice-ok" role="status">
          {t('passkey.deleted')}
        </p>
      )}
      {passkeys.length === 0 ? (
        <p data-passkey-none>{t('passkey.none')}</p>
      ) : (
        <table data-passkey-list>
          <thead>
            <tr>
              <th scope="col">{t('passkey.name')}</th>
              <th scope="col">{t('passkey.created')}</th>
              <th scope="col">{t('passkey.lastUsed')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('passkey.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr>
                <td>{p.name}</td>
                <td>{formatInstant(p.created_at, ctx.lang, ctx.timeZone)}</td>
                <td>{p.last_used_at ? formatInstant(p.last_used_at, ctx.lang, ctx.timeZone) : t('passkey.neverUsed')}</td>
                <td>
                  <ActionButton
                    ctx={ctx}
                    action={`/account/passkeys/${p.id}/delete`}
                    label={t('passkey.delete')}
                    ariaLabel={t('passkey.deleteNamed', { name: p.name })}
                    variant="danger"
                    inline
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="hint" data-passkey-unsupported>
        {t('passkey.unsupported')}
      </p>
      <div class="passkey-box" data-passkey-register hidden>
        <div class="field">
          <label for="passkey-name">{t('passkey.nameLabel')}</label>
          <p id="passkey-name-hint" class="hint">
            {t('passkey.nameHint')}
          </p>
          <input id="passkey-name" name="passkey-name" type="text" maxLength={PASSKEY_NAME_MAX} autocomplete="off" aria-describedby="passkey-name-hint" />
        </div>
        <button type="button" class="button" data-passkey-add data-csrf={ctx.csrfToken} data-error-name={t('passkey.nameRequired')} data-error-exists={t('passkey.exists')} {...clientErrors(ctx)}>
          {t('passkey.add')}
        </button>
        <p class="error-message" data-passkey-error role="alert" hidden></p>
      </div>
      <script src="/static/passkeys.js" type="module"></script>
    </section>
  );
}

/** The data attributes the sign-in page's passkey button carries for passkeys.js. */
export function passkeySignInErrors(ctx: PageContext) {
  return clientErrors(ctx);
}
