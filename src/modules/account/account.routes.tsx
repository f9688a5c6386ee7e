import { Type, type Static } from '@sinclair/typebox';
import QRCode from 'qrcode';
import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { PUBLIC, SIGNED_IN } from '../../auth/policy.ts';
import { destroySession, destroyUserSessions, listUserSessions } from '../../auth/sessions.ts';
import { totpUri } from '../../auth/totp.ts';
import { CadreError, InvalidFields } from '../../errors.ts';
import { LANG_COOKIE, rememberLanguage, SESSION_COOKIE } from '../../web/app.ts';
import { fieldErrorsFrom, problemMessages, type FieldErrors } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Reply, Req } from '../../web/types.ts';
import { countUnusedRecoveryCodes } from '../users/user.repository.ts';
import { AccountPage } from './account-page.view.tsx';
import { EnrolForm, RecoveryCodes, SignInForm } from './account.views.tsx';
import { completeEnrolment, openEnrolment, type Client } from './enrolment.service.ts';
import { regenerateRecoveryCodes } from './recovery.service.ts';
import { signInWithPassword } from './sign-in.service.ts';
import { listPasskeysFor } from './passkey.service.ts';
import { savePreferences } from './preferences.service.ts';
import { findState } from '../directory/state.repository.ts';
import { stateName } from '../directory/state.names.ts';
import type { PreferenceValues } from './preferences.view.tsx';

const SignInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  code: Type.String({ minLength: 1, maxLength: 32 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});
const EnrolBody = Type.Object({
  password: Type.String({ minLength: 1, maxLength: 256 }),
  confirm: Type.String({ minLength: 1, maxLength: 256 }),
  code: Type.String({ minLength: 1, maxLength: 16 }),
});
const PreferencesBody = Type.Object({ language: Type.String({ maxLength: 8 }), timeZone: Type.String({ maxLength: 64 }) });
const CodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });
const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });

export function clientOf(req: Req): Client {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
}

/** Only same-site paths are followed after sign-in. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function setSessionCookie(req: Req, reply: Reply, token: string): void {
  const { config } = req.server.cadre;
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https:'),
    maxAge: config.sessionAbsoluteSeconds,
  });
}

function errorsOf(e: CadreError, req: Req): FieldErrors {
  return { [e.field ?? '_form']: req.t(e.messageKey, e.values) };
}

export async function accountRoutes(app: App): Promise<void> {
  const cadre = app.cadre;

  app.get<{ Querystring: { next?: string; expired?: string } }>('/sign-in', { config: { policy: PUBLIC } }, async (req, reply) => {
    const ctx = pageContext(req);
    if (req.principal) return reply.redirect(safeNext(req.query.next), 303);
    const notice = req.query.expired || req.sessionExpired ? ctx.t('error.sessionExpired') : undefined;
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('signIn.title')}><SignInForm ctx={ctx} next={req.query.next} {...(notice ? { notice } : {})} /></Layout>);
  });

  app.post<{ Body: Static<typeof SignInBody> }>(
    '/sign-in',
    { config: { policy: PUBLIC }, schema: { body: SignInBody }, attachValidation: true },
    async (req, reply) => {
      const body = (req.body ?? {}) as Partial<Static<typeof SignInBody>>;
      const render = (errors: FieldErrors, status: number) => {
        const ctx = pageContext(req);
        return sendPage(reply, <Layout ctx={ctx} title={ctx.t('signIn.title')}><SignInForm ctx={ctx} errors={errors} email={body.email} next={body.next} /></Layout>, status);
      };
      if (req.validationError) return render(fieldErrorsFrom(req.validationError.validation, req.t), 400);
      try {
        const { session } = await signInWithPassword(cadre, req.body, clientOf(req), req.principal?.sessionId);
        setSessionCookie(req, reply, session.token);
        return reply.redirect(safeNext(req.body.next), 303);
      } catch (e) {
        if (!(e instanceof CadreError)) throw e;
        if (e.statusCode === 429) reply.header('retry-after', String(e.values.seconds ?? 60));
        return render(errorsOf(e, req), e.statusCode);
      }
    },
  );

  app.post('/sign-out', { config: { policy: SIGNED_IN } }, async (req, reply) => {
    const p = req.principal!;
    await cadre.database.db.transaction().execute(async (trx) => {
      await destroySession(trx, p.sessionId!);
      await appendAuditEvent(trx, cadre.database.engine, {
        actor: { id: p.userId, label: p.email },
        action: 'auth.sign-out',
        targetType: 'user',
        targetId: p.userId,
        state: p.state,
        ip: req.ip,
      });
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  const renderEnrol = async (req: Req, reply: Reply, token: string, errors?: FieldErrors, status = 200) => {
    const ctx = pageContext(req);
    const open = await openEnrolment(cadre, token, clientOf(req));
    const uri = totpUri(open.totpSecret, open.user.email);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2 });
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('enrol.title')}>
        <EnrolForm ctx={ctx} token={token} email={open.user.email} totpSecret={open.totpSecret} totpUri={uri} qrSvg={qrSvg} {...(errors ? { errors } : {})} />
      </Layout>,
      status,
    );
  };

  app.get<{ Params: Static<typeof TokenParams> }>('/enrol/:token', { config: { policy: PUBLIC }, schema: { params: TokenParams } }, async (req, reply) =>
    renderEnrol(req, reply, req.params.token),
  );

  app.post<{ Params: Static<typeof TokenParams>; Body: Static<typeof EnrolBody> }>(
    '/enrol/:token',
    { config: { policy: PUBLIC }, schema: { params: TokenParams, body: EnrolBody }, attachValidation: true },
    async (req, reply) => {
      if (req.validationError) return renderEnrol(req, reply, req.params.token, fieldErrorsFrom(req.validationError.validation, req.t), 400);
      try {
        const done = await completeEnrolment(cadre, req.params.token, req.body, clientOf(req));
        setSessionCookie(req, reply, done.session.token);
        const ctx = { ...pageContext(req), principal: null };
        return sendPage(reply, <Layout ctx={ctx} title={ctx.t('recovery.title')}><RecoveryCodes ctx={ctx} codes={done.recoveryCodes} /></Layout>);
      } catch (e) {
        if (!(e instanceof CadreError) || e.statusCode === 410) throw e;
        return renderEnrol(req, reply, req.params.token, errorsOf(e, req), e.statusCode);
      }
    },
  );

  const renderAccount = async (
    req: Req,
    reply: Reply,
    extra: { errors?: FieldErrors; done?: string | undefined; preferences?: { values: PreferenceValues; errors?: FieldErrors } } = {},
    status = 200,
  ) => {
    const ctx = pageContext(req);
    const p = req.principal!;
    const preferences = extra.preferences ?? { values: { language: p.locale ?? '', timeZone: p.timeZone ?? '' } };
    const [sessions, recoveryLeft, passkeys, state] = await Promise.all([
      listUserSessions(cadre.database.db, p.userId),
      countUnusedRecoveryCodes(cadre.database.db, p.userId),
      listPasskeysFor(cadre, p),
      p.state ? findState(cadre.database.db, p.state) : undefined,
    ]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('account.title')}>
        <AccountPage ctx={ctx} sessions={sessions} currentSessionId={p.sessionId!} recoveryLeft={recoveryLeft} passkeys={passkeys} {...extra} preferences={preferences} stateLabel={state ? stateName(state, ctx.lang) : undefined} />
      </Layout>,
      status,
    );
  };

  app.get<{ Querystring: { done?: string } }>('/account', { config: { policy: SIGNED_IN } }, async (req, reply) =>
    renderAccount(req, reply, { done: req.query.done }),
  );

  app.post<{ Body: Static<typeof PreferencesBody> }>(
    '/account/preferences',
    { config: { policy: SIGNED_IN }, schema: { body: PreferencesBody }, attachValidation: true },
    async (req, reply) => {
      const values = { language: req.body?.language ?? '', timeZone: req.body?.timeZone ?? '' };
      if (req.validationError) return renderAccount(req, reply, { preferences: { values, errors: fieldErrorsFrom(req.validationError.validation, req.t) } }, 400);
      try {
        const saved = await savePreferences(cadre, req.principal!, values, req.ip);
        // The saved language applies at once, also over a language chosen earlier in this browser.
        if (saved.language) rememberLanguage(reply, saved.language);
        else reply.clearCookie(LANG_COOKIE, { path: '/' });
        return reply.redirect('/account?done=preferences#preferences', 303);
      } catch (e) {
        if (!(e instanceof InvalidFields)) throw e;
        return renderAccount(req, reply, { preferences: { values, errors: problemMessages(e.fields, req.t) } }, 400);
      }
    },
  );

  app.post('/account/sign-out-everywhere', { config: { policy: SIGNED_IN } }, async (req, reply) => {
    const p = req.principal!;
    const ended = await cadre.database.db.transaction().execute(async (trx) => {
      const n = await destroyUserSessions(trx, p.userId);
      await appendAuditEvent(trx, cadre.database.engine, {
        actor: { id: p.userId, label: p.email },
        action: 'auth.sign-out-everywhere',
        targetType: 'user',
        targetId: p.userId,
        state: p.state,
        ip: req.ip,
        details: { sessions: n },
      });
      return n;
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`/sign-in?signedOut=${ended}`, 303);
  });

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/account/recovery-codes',
    { config: { policy: SIGNED_IN }, schema: { body: CodeBody }, attachValidation: true },
    async (req, reply) => {
      const ctx = pageContext(req);
      try {
        if (req.validationError) throw new CadreError(400, 'signIn.badCode', {}, 'code');
        const codes = await regenerateRecoveryCodes(cadre, req.principal!, req.body.code, req.ip);
        return sendPage(reply, <Layout ctx={ctx} title={ctx.t('recovery.title')}><RecoveryCodes ctx={ctx} codes={codes} /></Layout>);
      } catch (e) {
        if (!(e instanceof CadreError)) throw e;
        return renderAccount(req, reply, { errors: errorsOf(e, req) }, e.statusCode);
      }
    },
  );
}
