import { PUBLIC } from '../../auth/policy.ts';
import { mailAddress, publishedKey } from '../../crypto/signing-key.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext, type PageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';

/** Where the armored key is served: the well-known name, and a short one to quote in mail and notes verbales. */
export const KEY_PATHS = ['/.well-known/cadre-openpgp-key.asc', '/pgp-key.asc'] as const;

/** `ABCD1234…` → `ABCD 1234 …`: the grouping gpg prints, easier to read aloud over the phone. */
export function groupFingerprint(fingerprint: string): string {
  return fingerprint.replace(/\s+/g, '').toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

function KeyPage({ ctx, fingerprint, address }: { ctx: PageContext; fingerprint: string; address: string }) {
  const { t } = ctx;
  const file = KEY_PATHS[0].split('/').pop()!;
  return (
    <>
      <p class="lead">{t('pgpKey.lead')}</p>
      <dl class="facts">
        <dt>{t('pgpKey.fingerprint')}</dt>
        <dd>
          <code class="mono" dir="ltr" data-fingerprint={fingerprint}>
            {groupFingerprint(fingerprint)}
          </code>
        </dd>
        <dt>{t('pgpKey.download')}</dt>
        <dd dir="ltr">
          {KEY_PATHS.map((path, i) => (
            <>
              {i > 0 && ' · '}
              <a href={path} type="application/pgp-keys">
                {path}
              </a>
            </>
          ))}
        </dd>
      </dl>
      <h2>{t('pgpKey.howHeading')}</h2>
      <ol>
        <li>
          {t('pgpKey.stepImport')}
          <pre dir="ltr">
            <code>{`gpg --import ${file}`}</code>
          </pre>
        </li>
        <li>
          {t('pgpKey.stepCompare')}
          <pre dir="ltr">
            <code>{`gpg --fingerprint ${address}`}</code>
          </pre>
        </li>
        <li>
          {t('pgpKey.stepVerify')}
          <pre dir="ltr">
            <code>gpg --verify message.asc</code>
          </pre>
        </li>
      </ol>
      <p class="notice" role="note">
        {t('pgpKey.warning')}
      </p>
    </>
  );
}

/** Cadre's OpenPGP public key (src/crypto/signing-key.ts), published so recipients can check the mail it signs. */
export async function keyRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const key = () => publishedKey(cadre.database.db, cadre.config);
  for (const path of KEY_PATHS) {
    app.get(path, { config: { policy: PUBLIC } }, async (_req, reply) => {
      const { armored } = await key();
      return reply.type('application/pgp-keys').header('cache-control', 'public, max-age=3600').send(armored);
    });
  }
  app.get('/pgp-key', { config: { policy: PUBLIC } }, async (req, reply) => {
    const { fingerprint } = await key();
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('pgpKey.heading')}><KeyPage ctx={ctx} fingerprint={fingerprint} address={mailAddress(cadre.config.mailFrom)} /></Layout>);
  });
}
