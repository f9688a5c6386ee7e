import type { CaughtMailTable } from '../../db/schema.ts';
import { formatInstant } from '../../web/format.ts';
import type { PageContext } from '../../web/page-context.ts';
import { KEEP_CAUGHT_MAIL, type CaughtMailSummary } from './mailcatcher.repository.ts';

function recipientsOf(json: string): string {
  return (JSON.parse(json) as string[]).join(', ');
}

/** Said on every page of the catcher: it is the demo's, and real installations have none. */
function DemoOnly({ ctx }: { ctx: PageContext }) {
  return (
    <p class="notice notice-warn" role="note" data-demo-only>
      {ctx.t('mailcatcher.demoOnly', { keep: KEEP_CAUGHT_MAIL })}
    </p>
  );
}

export function CaughtMailList({ ctx, messages }: { ctx: PageContext; messages: CaughtMailSummary[] }) {
  const { t } = ctx;
  return (
    <>
      <DemoOnly ctx={ctx} />
      <p>{t('mailcatcher.linksWork')}</p>
      {messages.length === 0 ? (
        <p>{t('mailcatcher.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('mailcatcher.time')}</th>
                <th scope="col">{t('mailcatcher.to')}</th>
                <th scope="col">{t('mailcatcher.subject')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr>
                  <td>{formatInstant(m.received_at, ctx.lang, ctx.timeZone)}</td>
                  <td class="mono" dir="ltr">
                    {recipientsOf(m.recipients)}
                  </td>
                  <td>
                    <a href={`/mail/${m.id}`}>{m.subject || t('mailcatcher.noSubject')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function CaughtMailPage({ ctx, mail }: { ctx: PageContext; mail: CaughtMailTable }) {
  const { t } = ctx;
  return (
    <>
      <DemoOnly ctx={ctx} />
      <p>
        <a href="/mail">{t('mailcatcher.back')}</a>
      </p>
      <dl class="facts">
        <dt>{t('mailcatcher.time')}</dt>
        <dd>{formatInstant(mail.received_at, ctx.lang, ctx.timeZone)}</dd>
        <dt>{t('mailcatcher.from')}</dt>
        <dd>
          <span class="mono" dir="ltr">
            {mail.mail_from}
          </span>
        </dd>
        <dt>{t('mailcatcher.to')}</dt>
        <dd>
          <span class="mono" dir="ltr">
            {recipientsOf(mail.recipients)}
          </span>
        </dd>
        <dt>{t('mailcatcher.messageId')}</dt>
        <dd>
          <span class="mono" dir="ltr">
            {mail.message_id ?? ''}
          </span>
        </dd>
        <dt>{t('mailcatcher.size')}</dt>
        <dd>{new Intl.NumberFormat(ctx.lang).format(mail.raw_size)}</dd>
      </dl>
      <h2>{t('mailcatcher.textPart')}</h2>
      {/* Plain text, escaped by Preact: links stay text to copy, nothing in a message can run here. */}
      {mail.text ? (
        <pre class="caught-mail-text" dir="auto" data-caught-text>
          {mail.text}
        </pre>
      ) : (
        <p>{t('mailcatcher.noText')}</p>
      )}
      <h2>{t('mailcatcher.htmlPart')}</h2>
      {mail.html === null ? (
        <p>{t('mailcatcher.noHtml')}</p>
      ) : (
        <>
          <p>{t('mailcatcher.htmlSafe')}</p>
          <p>
            <a href={`/mail/${mail.id}.html`} rel="noopener noreferrer" target="_blank">
              {t('mailcatcher.openHtml')}
            </a>
          </p>
        </>
      )}
    </>
  );
}
