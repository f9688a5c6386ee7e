import type { StateTable } from '../../db/schema.ts';
import { CsrfField, Field, Select, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import { hrefWith, type PageContext } from '../../web/page-context.ts';
import { sortByName, stateName } from '../directory/state.names.ts';
import type { ExerciseInjectTable } from '../../db/schema.ts';
import type { ExerciseRow } from './exercise.service.ts';
import { ExerciseBadge } from './exercise.views.tsx';
import type { InboxRow, ThreadView } from './message.service.ts';
import type { AttachmentListing } from './attachments.ts';
import { RESPONSE_STATES } from './message.service.ts';
import { TemplateForm, type TemplateFormValues } from './template-form.view.tsx';
import type { DateTimeValue, Indicator } from './template-input.ts';
import { TEMPLATES, templateById, type FieldDefinition, type TemplateId } from './templates.ts';

const nameOf = (byIso: Map<string, StateTable>, iso3: string, lang: PageContext['lang']) => (byIso.get(iso3) ? stateName(byIso.get(iso3)!, lang) : iso3);

/** The States as choices, by name in the reader's language (the order is kept per list by sortByName). */
function stateOptions(states: readonly StateTable[], lang: PageContext['lang']) {
  return sortByName(states, lang).map((s) => ({ value: s.iso3, label: stateName(s, lang) }));
}

/** TLP label as FIRST writes it, with a class per label for its colour (text carries the meaning). */
export function TlpBadge({ tlp }: { tlp: string }) {
  return <span class={`badge tlp tlp-${tlp.toLowerCase().replace('+', '-')}`}>TLP:{tlp}</span>;
}

export function InboxPage({ ctx, rows, page = 1, pages = 1, states, canSend, injects = [] }: { ctx: PageContext; rows: InboxRow[]; page?: number; pages?: number; states: readonly StateTable[]; canSend: boolean; injects?: (ExerciseInjectTable & { title: string })[] }) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      <p class="lead">{t('messages.inbox.lead')}</p>
      <ul class="inline-list">
        <li>
          <a href="/messages/statistics">{t('statistics.heading')}</a>
        </li>
        <li>
          <a href="/exercises">{t('exercises.heading')}</a>
        </li>
      </ul>
      {injects.length > 0 && (
        <section class="notice" role="note" aria-labelledby="injects-h">
          <h2 id="injects-h">
            <ExerciseBadge ctx={ctx} /> {t('exercises.injectsDue')}
          </h2>
          <ul class="plain">
            {injects.map((i) => (
              <li data-inject={i.id}>
                <a href={`/exercises/${i.exercise_id}`}>{i.title}</a> — {formatInstant(i.at, lang, ctx.timeZone)}: <span class="pre-line">{i.note}</span>{' '}
                <a href={`/messages/new?template=${i.template}&exercise=${i.exercise_id}`}>{t(`messages.template.${i.template}`)}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {canSend && (
        <p class="actions">
          {TEMPLATES.filter((x) => x.role === 'opens').map((x) => (
            <a class="button button-secondary" href={`/messages/new?template=${x.id}`}>
              {t(`messages.template.${x.id}`)}
            </a>
          ))}
        </p>
      )}
      <form method="get" action="/messages" class="filter-bar">
        <Select
          name="state"
          label={t('messages.inbox.state')}
          value={(ctx.query.state ?? '').toUpperCase()}
          includeEmpty={t('directory.any')}
          options={stateOptions(states, lang)}
        />
        <Select name="status" label={t('messages.inbox.status')} value={ctx.query.status} includeEmpty={t('directory.any')} options={['sent', 'acknowledged', 'answered', 'closed'].map((s) => ({ value: s, label: t(`messages.status.${s}`) }))} />
        <Select name="urgency" label={t('messages.field.urgency')} value={ctx.query.urgency} includeEmpty={t('directory.any')} options={['routine', 'urgent', 'critical'].map((u) => ({ value: u, label: t(`messages.urgency.${u}`) }))} />
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="overdue" value="1" checked={ctx.query.overdue === '1'} /> {t('messages.inbox.overdueOnly')}
          </label>
        </div>
        <button type="submit">{t('form.filter')}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t('messages.inbox.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('messages.inbox.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('messages.inbox.thread')}</th>
                <th scope="col">{t('messages.inbox.states')}</th>
                <th scope="col">{t('messages.field.urgency')}</th>
                <th scope="col">{t('messages.inbox.status')}</th>
                <th scope="col">{t('messages.inbox.ackBy')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-thread={r.id} data-unread={r.unread ? 'yes' : 'no'}>
                  <td>
                    {r.exercise_id && <ExerciseBadge ctx={ctx} />} <a href={`/messages/${r.id}`}>{t(`messages.template.${r.template}`)}</a> {r.unread && <span class="badge badge-warn">{t('messages.inbox.new')}</span>} <TlpBadge tlp={r.tlp} />
                  </td>
                  <td>{r.states.map((s) => nameOf(byIso, s, lang)).join(' → ')}</td>
                  <td>{t(`messages.urgency.${r.urgency}`)}</td>
                  <td>
                    {t(`messages.status.${r.status}`)} {r.overdue && <strong class="badge badge-off">{t('messages.inbox.overdue')}</strong>}
                  </td>
                  <td>{formatInstant(r.ack_deadline_at, lang, ctx.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t('directory.pages')}>
          {page > 1 && <a href={hrefWith('/messages', ctx.query, { page: String(page - 1) })}>{t('form.previous')}</a>}
          <span>{t('directory.pageOf', { page, pages })}</span>
          {page < pages && <a href={hrefWith('/messages', ctx.query, { page: String(page + 1) })}>{t('form.next')}</a>}
        </nav>
      )}
    </>
  );
}

interface NewThreadProps {
  ctx: PageContext;
  template: TemplateId;
  states: readonly StateTable[];
  values: TemplateFormValues;
  errors?: FieldErrors | undefined;
  /** Running exercises the sender's State takes part in: the thread may belong to one. */
  exercises?: ExerciseRow[];
}

/** The template's form, after the recipients: which States, which of their POCs. */
export function NewThreadPage({ ctx, template, states, values, errors, exercises = [] }: NewThreadProps) {
  const { t, lang } = ctx;
  const chosen = ([] as string[]).concat(values.to ?? []);
  return (
    <>
      <TemplateForm ctx={ctx} template={template} action="/messages" values={values} errors={errors} submitLabel={t('messages.send')} attachments>
        <fieldset class={errors?.recipients ? 'field field-error' : 'field'}>
          <legend>{t('messages.recipients')}</legend>
          {errors?.recipients && (
            <p id="recipients-error" class="error-message">
              {errors.recipients}
            </p>
          )}
          <label for="to">{t('messages.toStates')}</label>
          <select id="to" name="to" multiple size={6}>
            {states
              .filter((s) => s.iso3 !== ctx.principal?.state)
              .map((s) => (
                <option value={s.iso3} selected={chosen.includes(s.iso3)}>
                  {stateName(s, lang)}
                </option>
              ))}
          </select>
          <Select name="kind" label={t('messages.toKind')} value={typeof values.kind === 'string' ? values.kind : ''} includeEmpty={t('messages.toAllKinds')} options={['diplomatic', 'technical'].map((k) => ({ value: k, label: t(`directory.kindPlural.${k}`) }))} />
          <Field name="pocs" label={t('messages.toNamed')} value={typeof values.pocs === 'string' ? values.pocs : ''} hint={t('messages.toNamedHint', { red: 'TLP:RED' })} />
          <label class="choice">
            <input type="checkbox" name="hideRecipients" value="1" checked={values.hideRecipients === '1'} /> {t('messages.hideRecipients')}
          </label>
        </fieldset>
        {exercises.length > 0 && (
          <Select
            name="exerciseId"
            label={t('exercises.threadIn')}
            value={typeof values.exerciseId === 'string' ? values.exerciseId : ''}
            errors={errors}
            includeEmpty={t('exercises.realThread')}
            options={exercises.map((x) => ({ value: x.id, label: `${t('exercises.mark')} — ${x.title}` }))}
          />
        )}
      </TemplateForm>
    </>
  );
}

function FieldValueView({ ctx, field, value }: { ctx: PageContext; field: FieldDefinition; value: unknown }) {
  const { t, lang } = ctx;
  switch (field.type) {
    case 'datetime': {
      const v = value as DateTimeValue;
      return (
        <>
          {formatInstant(v.instant, lang, v.timeZone)} <span class="muted">({v.timeZone})</span>
        </>
      );
    }
    case 'multichoice':
      return <>{(value as string[]).map((x) => t(`messages.${field.name}.${x}`)).join(', ')}</>;
    case 'choice':
      return <>{field.name === 'tlp' ? `TLP:${String(value)}` : t(`messages.${field.name}.${String(value)}`)}</>;
    case 'indicators':
      return (
        <ul class="plain mono" dir="ltr">
          {(value as Indicator[]).map((i) => (
            <li>
              {i.type} {i.value}
            </li>
          ))}
        </ul>
      );
    default:
      return <span class="pre-line">{String(value)}</span>;
  }
}

interface ThreadPageProps {
  ctx: PageContext;
  view: ThreadView;
  states: readonly StateTable[];
  canRespond: boolean;
  canClose: boolean;
  replyErrors?: FieldErrors | undefined;
}

export function ThreadPage({ ctx, view, states, canRespond, canClose }: ThreadPageProps) {
  const { t, lang } = ctx;
  const { thread } = view;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  const mine = view.parties.find((p) => p.state_iso3 === ctx.principal?.state && p.role === 'recipient');
  return (
    <>
      <p class="lead">
        {thread.exercise_id && (
          <>
            <ExerciseBadge ctx={ctx} />{' '}
          </>
        )}
        <TlpBadge tlp={thread.tlp} /> · {t(`messages.urgency.${thread.urgency}`)} · {t(`messages.status.${thread.status}`)}
      </p>
      <dl class="facts">
        <dt>{t('messages.from')}</dt>
        <dd>{nameOf(byIso, thread.from_state, lang)}</dd>
        <dt>{t('messages.inbox.ackBy')}</dt>
        <dd>{formatInstant(thread.ack_deadline_at, lang, ctx.timeZone)}</dd>
        <dt>{t('messages.responseBy')}</dt>
        <dd>{formatInstant(thread.response_deadline_at, lang, ctx.timeZone)}</dd>
      </dl>
      <table>
        <caption>{t('messages.parties')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('directory.state')}</th>
            <th scope="col">{t('messages.acknowledged')}</th>
            <th scope="col">{t('messages.responseState')}</th>
          </tr>
        </thead>
        <tbody>
          {view.parties
            .filter((p) => p.role === 'recipient')
            .map((p) => (
              <tr data-party={p.state_iso3}>
                <td>{nameOf(byIso, p.state_iso3, lang)}</td>
                <td>{p.acknowledged_at ? formatInstant(p.acknowledged_at, lang, ctx.timeZone) : '–'}</td>
                <td>
                  {t(`messages.response.${p.response_state}`)}
                  {p.response_reason && view.canRead && <span class="muted"> — {p.response_reason}</span>}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {!view.canRead && (
        <p class="notice" role="note">
          {t('messages.metadataOnly')}
        </p>
      )}
      <ol class="timeline plain">
        {view.messages.map((m) => {
          const definition = templateById(m.template as TemplateId);
          return (
            <li class={m.seq > view.seenBefore && view.seenBefore > 0 ? 'message message-new' : 'message'} id={`m${m.seq}`} data-seq={m.seq}>
              <h2>
                {t(`messages.template.${m.template}`)} <span class="muted">— {nameOf(byIso, m.author_state, lang)}, {formatInstant(m.created_at, lang, ctx.timeZone)}</span>{' '}
                {m.seq > view.seenBefore && view.seenBefore > 0 && <span class="badge badge-warn">{t('messages.inbox.new')}</span>}
              </h2>
              {m.fields && (
                <dl class="facts">
                  {definition.fields
                    .filter(({ field }) => m.fields![field.name] !== undefined)
                    .map(({ field }) => (
                      <>
                        <dt>{t(`messages.field.${field.name}`)}</dt>
                        <dd>
                          <FieldValueView ctx={ctx} field={field} value={m.fields![field.name]} />
                        </dd>
                      </>
                    ))}
                </dl>
              )}
              <AttachmentList ctx={ctx} threadId={thread.id} files={view.attachments.filter((a) => a.message_id === m.id)} />
            </li>
          );
        })}
      </ol>
      {view.canRead && thread.status !== 'closed' && (canRespond || canClose) && (
        <section aria-labelledby="reply-h">
          <h2 id="reply-h">{t('messages.replyHeading')}</h2>
          <ul class="inline-list">
            {[...(canRespond ? ['acknowledgement', 'response'] : []), ...(canClose ? ['closure'] : [])].map((x) => (
              <li>
                <a href={`/messages/${thread.id}/reply?template=${x}`}>{t(`messages.template.${x}`)}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.canRead && canRespond && mine && (
        <form method="post" action={`/messages/${thread.id}/response-state`} class="stacked">
          <CsrfField ctx={ctx} />
          <Select name="responseState" label={t('messages.responseState')} value={mine.response_state} options={RESPONSE_STATES.map((s) => ({ value: s, label: t(`messages.response.${s}`) }))} />
          <Field name="reason" label={t('messages.reason')} value={mine.response_reason ?? ''} hint={t('messages.reasonHint')} />
          <button type="submit">{t('messages.saveResponseState')}</button>
        </form>
      )}
    </>
  );
}

/** A message's files: each a download, with its type and size. */
function AttachmentList({ ctx, threadId, files }: { ctx: PageContext; threadId: string; files: AttachmentListing[] }) {
  if (files.length === 0) return null;
  const { t, lang } = ctx;
  const size = new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
  return (
    <section class="attachments" aria-label={t('messages.attachment.heading')}>
      <h3>{t('messages.attachment.heading')}</h3>
      <ul>
        {files.map((f) => (
          <li data-attachment={f.id}>
            <a href={`/messages/${threadId}/attachments/${f.id}`} download={f.file_name}>
              {f.file_name}
            </a>{' '}
            <span class="muted">
              ({f.media_type}, {size.format(Math.max(0.1, f.size / 1024))})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
