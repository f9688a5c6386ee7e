import type { RegionalOrganisationTable, Role, StateTable, UserTable } from '../../db/schema.ts';
import type { InvitationMailDelivery } from '../../mail/invitation.job.ts';
import { ActionButton, CsrfField, ErrorSummary, Field, Select, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import { hrefWith, type PageContext } from '../../web/page-context.ts';
import { stateName } from '../directory/state.names.ts';

function StatusBadge({ ctx, status }: { ctx: PageContext; status: UserTable['status'] }) {
  const cls = status === 'active' ? 'badge badge-ok' : status === 'invited' ? 'badge badge-warn' : 'badge badge-off';
  return <span class={cls}>{ctx.t(`users.status.${status}`)}</span>;
}

interface ListProps {
  ctx: PageContext;
  users: UserTable[];
  states: readonly StateTable[];
  filterState: string | undefined;
  page: number;
  hasMore: boolean;
  canInvite: boolean;
}

export function UserList({ ctx, users, states, filterState, page, hasMore, canInvite }: ListProps) {
  const { t, principal } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      {canInvite && (
        <p>
          <a class="button" href="/users/new">
            {t('users.invite')}
          </a>
        </p>
      )}
      {principal?.role === 'secretariat' && (
        <form method="get" action="/users" class="filter-bar">
          <Select
            name="state"
            label={t('users.filterState')}
            value={filterState}
            includeEmpty={t('users.allStates')}
            options={states.map((s) => ({ value: s.iso3, label: stateName(s, ctx.lang) }))}
          />
          <button type="submit">{t('form.filter')}</button>
        </form>
      )}
      {users.length === 0 ? (
        <p>{t('users.none')}</p>
      ) : (
        <div class="table-scroll">
        <table>
          <caption class="visually-hidden">{t('users.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.state')}</th>
              <th scope="col">{t('users.status')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>
                  <a href={`/users/${u.id}`}>{u.display_name}</a>
                </td>
                <td class="mono">{u.email}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{u.state_iso3 ? stateName(byIso.get(u.state_iso3)!, ctx.lang) : '–'}</td>
                <td>
                  <StatusBadge ctx={ctx} status={u.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <nav class="pager" aria-label={t('form.pagination')}>
        {page > 1 && <a href={hrefWith('/users', filterState ? { state: filterState } : {}, { page: String(page - 1) })}>{t('form.previous')}</a>}
        {hasMore && <a href={hrefWith('/users', filterState ? { state: filterState } : {}, { page: String(page + 1) })}>{t('form.next')}</a>}
      </nav>
    </>
  );
}

interface InviteProps {
  ctx: PageContext;
  roles: Role[];
  states: readonly StateTable[];
  organisations: RegionalOrganisationTable[];
  values?: Record<string, string | undefined>;
  errors?: FieldErrors;
}

export function InviteForm({ ctx, roles, states, organisations, values = {}, errors }: InviteProps) {
  const { t, principal } = ctx;
  const fixedState = principal?.role === 'state-admin' ? principal.state : null;
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/users" class="stacked" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="email" label={t('users.email')} type="email" value={values.email} errors={errors} required autocomplete="off" dir="ltr" />
        <Field name="displayName" label={t('users.name')} value={values.displayName} errors={errors} autocomplete="off" hint={t('users.nameHint')} />
        <Select name="role" label={t('users.role')} value={values.role} errors={errors} required options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        {fixedState ? (
          <input type="hidden" name="state" value={fixedState} />
        ) : (
          <Select
            name="state"
            label={t('users.state')}
            value={values.state}
            errors={errors}
            includeEmpty={t('users.noState')}
            options={states.map((s) => ({ value: s.iso3, label: stateName(s, ctx.lang) }))}
          />
        )}
        {roles.includes('regional-org') && (
          <Select
            name="organisation"
            label={t('users.organisation')}
            hint={t('users.organisationHint')}
            value={values.organisation}
            errors={errors}
            includeEmpty="–"
            options={organisations.map((o) => ({ value: o.id, label: t(`regional.name.${o.id}`) }))}
          />
        )}
        <button type="submit">{t('users.sendInvitation')}</button>
      </form>
    </>
  );
}

interface IssuedProps {
  ctx: PageContext;
  purpose: 'enrol' | 'reset';
  user: UserTable;
  expiresAt: string;
  /** Mailed: the page says so and never sees the link. Not mailed: the inviter delivers the link. */
  delivery: { mailed: true } | { mailed: false; link: string };
}

export function InvitationIssued({ ctx, purpose, user, expiresAt, delivery }: IssuedProps) {
  const { t } = ctx;
  return (
    <>
      <p class="notice notice-ok" role="status">
        {t(purpose === 'reset' ? 'users.resetIssued' : 'users.invitationCreated', { email: user.email, until: formatInstant(expiresAt, ctx.lang, ctx.timeZone) })}
      </p>
      {delivery.mailed ? (
        <p data-invitation-mailed>{t('users.invitationMailed', { email: user.email })}</p>
      ) : (
        <>
          <p>{t('users.deliverLink')}</p>
          <p class="secret" data-enrolment-link>
            {delivery.link}
          </p>
        </>
      )}
      <p>
        <a href={`/users/${user.id}`}>{t('users.viewAccount')}</a>
      </p>
    </>
  );
}

interface DetailProps {
  ctx: PageContext;
  user: UserTable;
  state: StateTable | undefined;
  can: { reset: boolean; disable: boolean; enable: boolean };
  /** How the open enrolment link is being e-mailed, when it is. */
  delivery: InvitationMailDelivery | undefined;
}

/** Says what the job table knows, no more: "sent" means an SMTP server accepted the message. */
function MailDelivery({ ctx, delivery }: { ctx: PageContext; delivery: InvitationMailDelivery }) {
  const { t } = ctx;
  const text = delivery.status === 'sent' ? t('users.mail.sent', { when: formatInstant(delivery.at, ctx.lang, ctx.timeZone) }) : t(`users.mail.${delivery.status}`);
  const cls = delivery.status === 'sent' ? 'badge badge-ok' : delivery.status === 'failed' ? 'badge badge-off' : 'badge badge-warn';
  return (
    <span class={cls} data-mail-status={delivery.status}>
      {text}
    </span>
  );
}

export function UserDetail({ ctx, user, state, can, delivery }: DetailProps) {
  const { t } = ctx;
  return (
    <>
      <dl class="facts">
        <dt>{t('users.email')}</dt>
        <dd class="mono">{user.email}</dd>
        <dt>{t('users.role')}</dt>
        <dd>{t(`role.${user.role}`)}</dd>
        <dt>{t('users.state')}</dt>
        <dd>{state ? stateName(state, ctx.lang) : '–'}</dd>
        <dt>{t('users.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={user.status} />
        </dd>
        <dt>{t('users.created')}</dt>
        <dd>{formatInstant(user.created_at, ctx.lang, ctx.timeZone)}</dd>
        {delivery && (
          <>
            <dt>{t('users.invitationEmail')}</dt>
            <dd>
              <MailDelivery ctx={ctx} delivery={delivery} />
            </dd>
          </>
        )}
      </dl>
      <div class="actions">
        {can.reset && <ActionButton ctx={ctx} action={`/users/${user.id}/reset`} label={t('users.reset')} variant="secondary" />}
        {can.disable && user.status !== 'disabled' && <ActionButton ctx={ctx} action={`/users/${user.id}/disable`} label={t('users.disable')} variant="danger" />}
        {can.enable && user.status === 'disabled' && <ActionButton ctx={ctx} action={`/users/${user.id}/enable`} label={t('users.enable')} />}
      </div>
    </>
  );
}
