import type { PocRevisionTable, StateTable } from '../../../db/schema.ts';
import { ActionButton, CsrfField, Field } from '../../../web/forms.tsx';
import { formatInstant } from '../../../web/format.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { stateName } from '../state.names.ts';
import { formatAvailability } from './availability.ts';
import { ConsentSection } from './consent.view.tsx';
import { RevisionsTable } from './revisions.view.tsx';
import { EntryBadges } from './directory.view.tsx';
import { languageName } from './contact.ts';
import { listOf, localTime, weekdayName } from './names.ts';
import type { ReadEntry } from './poc.read.ts';
import { WEEKDAYS, type Availability, type Phone } from './types.ts';

export interface EntryAbilities {
  update: boolean;
  withdraw: boolean;
  confirm: boolean;
  history: boolean;
}

interface EntryPageProps {
  ctx: PageContext;
  entry: ReadEntry;
  state: StateTable | undefined;
  /** Addresses given but not verified yet (shown to the entry's own State). */
  awaiting: string[];
  can: EntryAbilities;
  history: PocRevisionTable[];
  now: Date;
  pgpWarnDays: number;
}

/** One point of contact: how to reach them, when, and how current the entry is. */
export function EntryPage({ ctx, entry: e, state, awaiting, can, history, now, pgpWarnDays }: EntryPageProps) {
  const { t, lang } = ctx;
  const pgpSoon = e.pgpExpiresAt !== null && Date.parse(e.pgpExpiresAt) - now.getTime() < pgpWarnDays * 86_400_000;
  return (
    <>
      <p class="lead">
        {t(`directory.kind.${e.kind}`)} · {t(`directory.rank.${e.rank}`)} · {state ? <a href={`/directory/states/${state.iso3}`}>{stateName(state, lang)}</a> : e.state}
      </p>
      <p>
        <EntryBadges ctx={ctx} entry={e} />
      </p>
      {e.status === 'pending' && (
        <p class="notice notice-warn" role="note">
          {t('directory.pendingNotice')}
        </p>
      )}
      <dl class="facts entry-facts">
        {e.title && (
          <>
            <dt>{t('directory.title')}</dt>
            <dd>{e.title}</dd>
          </>
        )}
        {e.organisation && (
          <>
            <dt>{t('directory.organisation')}</dt>
            <dd>{e.organisation}</dd>
          </>
        )}
        <dt>{t('directory.emails')}</dt>
        <dd>
          <ul class="plain">
            {e.emails.map((a) => (
              <li>
                <a href={`mailto:${a}`} dir="ltr">
                  {a}
                </a>
              </li>
            ))}
            {awaiting.map((a) => (
              <li>
                <span dir="ltr">{a}</span> <span class="badge badge-warn">{t('directory.awaitingVerification')}</span>
              </li>
            ))}
          </ul>
        </dd>
        {e.phones.length > 0 && (
          <>
            <dt>{t('directory.phones')}</dt>
            <dd>
              <ul class="plain">
                {e.phones.map((p) => (
                  <PhoneLine ctx={ctx} phone={p} />
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('directory.languages')}</dt>
        <dd>{listOf(e.languages.map((l) => languageName(l, lang)), lang)}</dd>
        <dt>{t('directory.timeZone')}</dt>
        <dd>
          <span dir="ltr">{e.timeZone}</span> — {t('directory.localTimeNow', { time: localTime(e.timeZone, lang, now) })}
        </dd>
        <dt>{t('directory.availability')}</dt>
        <dd>
          <AvailabilityText ctx={ctx} availability={e.availability} />
        </dd>
        {e.pgpFingerprint && (
          <>
            <dt>{t('directory.pgpKey')}</dt>
            <dd>
              <code class="mono fingerprint">{e.pgpFingerprint.replace(/(.{4})/g, '$1 ').trim()}</code>
              <br />
              {e.pgpExpiresAt ? t('directory.pgpExpires', { date: formatInstant(e.pgpExpiresAt, lang, ctx.timeZone) }) : t('directory.pgpNoExpiry')}
              {pgpSoon && (
                <p class="notice notice-warn" role="note">
                  {t('directory.pgpExpiresSoon')}
                </p>
              )}
            </dd>
          </>
        )}
        {e.notes && (
          <>
            <dt>{t('directory.notes')}</dt>
            <dd class="pre-line">{e.notes}</dd>
          </>
        )}
        <dt>{t('directory.confirmedUntil')}</dt>
        <dd>{formatInstant(e.confirmedUntil, lang, ctx.timeZone)}</dd>
        <dt>{t('directory.nomination')}</dt>
        <dd>{t('directory.nominationLine', { ref: e.nominationRef, date: e.nominationDate })}</dd>
      </dl>
      <div class="actions">
        {can.confirm && <ActionButton ctx={ctx} action={`/directory/entries/${e.id}/confirm`} label={t('directory.confirm')} />}
        {can.update && (
          <a class="button" href={`/directory/entries/${e.id}/edit`}>
            {t('directory.edit')}
          </a>
        )}
        <a href={`/directory/entries/${e.id}/vcard`}>{t('directory.vcard')}</a>
      </div>
      {can.withdraw && (
        <details class="danger-zone">
          <summary>{t('directory.withdraw')}</summary>
          <form method="post" action={`/directory/entries/${e.id}/withdraw`} class="stacked">
            <CsrfField ctx={ctx} />
            <p>{t('directory.withdrawExplain')}</p>
            <Field name="nominationRef" label={t('directory.withdrawalRef')} required />
            <Field name="nominationDate" label={t('directory.nominationDate')} type="date" required />
            <button type="submit" class="button-danger">
              {t('directory.withdraw')}
            </button>
          </form>
        </details>
      )}
      <ConsentSection ctx={ctx} entry={e} />
      {can.history && history.length > 0 && <History ctx={ctx} history={history} />}
    </>
  );
}

/** A telephone number to dial, with what kind of line it is. */
export function PhoneLine({ ctx, phone }: { ctx: PageContext; phone: Phone }) {
  return (
    <li>
      <a href={`tel:${phone.number}`} dir="ltr">
        {phone.number}
      </a>{' '}
      ({ctx.t(`directory.phone.${phone.label}`)})
    </li>
  );
}

export function AvailabilityText({ ctx, availability }: { ctx: PageContext; availability: Availability }) {
  const { t, lang } = ctx;
  if (availability.always) return <>{t('directory.always')}</>;
  const days = WEEKDAYS.filter((d) => availability.hours[d]?.length);
  if (days.length === 0) return <>{t('directory.noHours')}</>;
  return (
    <ul class="plain" data-availability={formatAvailability(availability)}>
      {days.map((d) => (
        <li>
          {weekdayName(d, lang)}
          {t('directory.labelSeparator')}
          <span dir="ltr">{availability.hours[d]!.map((s) => `${s.from}–${s.to}`).join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

function History({ ctx, history }: { ctx: PageContext; history: PocRevisionTable[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">{t('directory.history')}</h2>
      <RevisionsTable ctx={ctx} revisions={{ of: 'entry', rows: history }} />
    </section>
  );
}
