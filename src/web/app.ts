import Fastify, { type FastifyError } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { Principal } from '../auth/principal.ts';
import { recordAuditEvent } from '../audit/audit.repository.ts';
import { lookupSession } from '../auth/sessions.ts';
import { lookupApiToken } from '../auth/api-tokens.ts';
import { hmacHex, randomToken, safeEqual } from '../auth/crypto.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { isLanguage, negotiateLanguage, translator, type Language } from './i18n.ts';
import { enforcePolicy } from './guard.ts';
import { handleError, handleNotFound } from './errors.tsx';
import { securityHeaders } from './security-headers.ts';
import type { App, Cadre, Req, Reply } from './types.ts';
import { registerRoutes } from './routes.ts';

export const SESSION_COOKIE = 'cadre_session';
export const VISITOR_COOKIE = 'cadre_visitor';
export const LANG_COOKIE = 'cadre_lang';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RouteEntry {
  method: string;
  url: string;
  policy: string | undefined;
}

export interface AppOptions {
  /** Access log through pino; off in tests. */
  logger?: boolean;
}

/** Builds the HTTP application: hooks for language, identity, policy and CSRF, then every module's routes. */
export async function buildApp(cadre: Cadre, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: cadre.config.logLevel,
          redact: ['req.headers.cookie', 'req.headers.authorization'],
          serializers: {
            // Enrolment links carry their token in the path: it never reaches a log.
            req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactSecretPaths(req.url), remoteAddress: req.ip }),
          },
        }
      : false,
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === 'true',
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });
  app.decorate('cadre', cadre);
  // Every route and the policy it names: the route-table test walks this.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routeTable.push({ method, url: route.url, policy: route.config?.policy?.name });
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('lang', 'en');
  app.decorateRequest('t', () => '');
  app.decorateRequest('csrf', () => '');
  app.decorateRequest('sessionExpired', false);

  await app.register(cookie);
  await app.register(formbody);
  // Uploads (documents, message files): fields land in req.body, so the CSRF check reads `_csrf` like any
  // form; a message form holds a few dozen fields (checkboxes, indicators), hence the field counts.
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: 25 * 1024 * 1024, files: 20, fields: 200, parts: 220 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Cadre API', version: '1', description: 'The JSON API of Cadre. Errors are RFC 9457 problem details.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (regional-org clients)' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    hideUntagged: true,
  });

  app.addHook('onRequest', async (req, reply) => {
    securityHeaders(reply, req.url.startsWith('/api/'));
    const query = req.query as Record<string, unknown>;
    req.lang = negotiateLanguage(query?.lang, req.cookies[LANG_COOKIE], req.headers['accept-language']);
    req.t = translator(req.lang);
    if (typeof query?.lang === 'string' && query.lang === req.lang && req.cookies[LANG_COOKIE] !== req.lang) rememberLanguage(reply, req.lang);
    await identify(app, req, reply);
    // A signed-in user's saved language counts when the request names none (no ?lang, no cookie).
    const saved = req.principal?.locale;
    if (saved && saved !== req.lang && isLanguage(saved) && !isLanguage(query?.lang) && !isLanguage(req.cookies[LANG_COOKIE])) {
      req.lang = saved;
      req.t = translator(saved);
    }
    req.csrf = lazyCsrfToken(cadre, req, reply);
  });
  app.addHook('onRequest', enforcePolicy);
  app.addHook('preValidation', async (req, reply) => {
    if (!UNSAFE_METHODS.has(req.method)) return;
    if (req.principal?.via === 'token') return; // bearer tokens are not sent by browsers on their own
    const body = req.body as Record<string, unknown> | undefined;
    const field = body?._csrf;
    const fromBody = typeof field === 'string' ? field : field && typeof field === 'object' && 'value' in field ? String((field as { value: unknown }).value) : '';
    const given = (req.headers['x-csrf-token'] as string | undefined) ?? fromBody;
    if (!given || !safeEqual(given, req.csrf())) {
      reply.code(403);
      throw Object.assign(new Error('csrf'), { statusCode: 403, code: 'CADRE_CSRF' });
    }
    if (body && typeof body === 'object') delete body._csrf;
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  await registerRoutes(app);
  return app;
}

async function identify(app: App, req: Req, reply: Reply): Promise<void> {
  const { database, config } = app.cadre;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && req.url.startsWith('/api/')) {
    const found = await lookupApiToken(database.db, auth.slice(7).trim());
    if (found) req.principal = principalOf(found.user, 'token', { scopes: found.scopes });
    return;
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return;
  const limits = { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
  const found = await lookupSession(database.db, token, limits);
  if (found.status === 'valid') {
    req.principal = principalOf(found.user, 'session', { sessionId: found.sessionId });
  } else {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (found.status !== 'expired') return;
    req.sessionExpired = true;
    const { user } = found;
    await recordAuditEvent(database, {
      actor: { id: user.id, label: user.email },
      action: 'auth.session-expired',
      targetType: 'user',
      targetId: user.id,
      state: user.state_iso3,
      ip: req.ip,
    });
  }
}

/** The browser keeps a language for a year: chosen in the switcher, or saved with the account's preferences. */
export function rememberLanguage(reply: Reply, lang: Language): void {
  reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, httpOnly: true });
}

export function principalOf(user: SessionUser, via: 'session' | 'token', extra: { sessionId?: string; scopes?: string[] } = {}): Principal {
  return {
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    state: user.state_iso3,
    organisation: user.organisation_id,
    timeZone: user.time_zone,
    locale: user.locale,
    via,
    ...extra,
  };
}

/**
 * CSRF tokens are an HMAC of the session id (signed in) or of a random visitor cookie (signed out),
 * so any server process can check them without shared memory. Computed only when a form is
 * rendered or a form is checked: API reads with a token set no cookie.
 */
function lazyCsrfToken(cadre: Cadre, req: Req, reply: Reply): () => string {
  let token: string | undefined;
  return () => (token ??= csrfTokenFor(cadre, req, reply));
}

/** Session tokens by session id, per configuration (derived from its secret: keeping them adds nothing to what the process holds). */
const sessionCsrfTokens = new WeakMap<Cadre['config'], Map<string, string>>();

function csrfTokenFor(cadre: Cadre, req: Req, reply: Reply): string {
  const sessionId = req.principal?.sessionId;
  if (sessionId) {
    let tokens = sessionCsrfTokens.get(cadre.config);
    if (!tokens) sessionCsrfTokens.set(cadre.config, (tokens = new Map()));
    let token = tokens.get(sessionId);
    if (token === undefined) {
      token = hmacHex(cadre.config.secret, `csrf:s:${sessionId}`);
      if (tokens.size >= 10_000) tokens.clear();
      tokens.set(sessionId, token);
    }
    return token;
  }
  let visitor = req.cookies[VISITOR_COOKIE];
  if (!visitor || !/^[A-Za-z0-9_-]{43}$/.test(visitor)) {
    visitor = randomToken();
    reply.setCookie(VISITOR_COOKIE, visitor, { path: '/', httpOnly: true, sameSite: 'lax', secure: cadre.config.baseUrl.startsWith('https:') });
  }
  return hmacHex(cadre.config.secret, `csrf:v:${visitor}`);
}

export function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && 'code' in e;
}

/** Paths whose last segment is a bearer secret (enrolment and address verification links) are logged without it. */
export function redactSecretPaths(url: string): string {
  return url.replace(/^\/enrol\/[^/?#]+/, '/enrol/[token]').replace(/^\/directory\/verify\/[^/?#]+/, '/directory/verify/[token]').replace(/^\/checks\/ack\/[^/?#]+/, '/checks/ack/[token]');
}
