import type { FastifyError } from 'fastify';
import { Forbidden } from '../auth/policy.ts';
import { validationMessage } from './forms.tsx';
import { CadreError, InvalidFields } from '../errors.ts';
import { recordRefusal } from './guard.ts';
import { Layout } from './layout.tsx';
import { pageContext } from './page-context.ts';
import { sendPage } from './render.tsx';
import type { Req, Reply } from './types.ts';

interface Problem {
  status: number;
  slug: string;
  messageKey: string;
  values?: Record<string, string | number>;
  errors?: { field: string; message: string }[];
  related?: string;
}

const FASTIFY_CODES: Record<string, Omit<Problem, 'errors'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, slug: 'too-large', messageKey: 'error.tooLarge' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, slug: 'unsupported-media-type', messageKey: 'error.mediaType' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, slug: 'bad-request', messageKey: 'error.badRequest' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, slug: 'malformed-json', messageKey: 'error.malformedJson' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, slug: 'malformed-json', messageKey: 'error.malformedJson' },
  CADRE_CSRF: { status: 403, slug: 'csrf', messageKey: 'error.csrf' },
};

const SLUGS: Record<number, string> = { 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 429: 'too-many-requests' };

function classify(error: FastifyError | Error, req: Req): Problem {
  if (error instanceof InvalidFields) {
    return { status: 400, slug: 'validation', messageKey: 'error.validation', errors: error.fields.map((f) => ({ field: f.field, message: req.t(f.messageKey, f.values) })) };
  }
  if (error instanceof CadreError) {
    const errors = error.field ? [{ field: error.field, message: req.t(error.messageKey, error.values) }] : undefined;
    return {
      status: error.statusCode,
      slug: SLUGS[error.statusCode] ?? 'error',
      messageKey: error.messageKey,
      values: error.values,
      ...(errors ? { errors } : {}),
      ...(error.related ? { related: error.related } : {}),
    };
  }
  if (error instanceof Forbidden) return { status: 403, slug: 'forbidden', messageKey: 'error.forbidden' };
  const fe = error as FastifyError;
  if (fe.validation) {
    return {
      status: 400,
      slug: 'validation',
      messageKey: 'error.validation',
      errors: fe.validation.map((v) => ({
        field:
          typeof (v.params as Record<string, unknown>).missingProperty === 'string'
            ? String((v.params as Record<string, unknown>).missingProperty)
            : (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(body)',
        message: validationMessage(v, req.t),
      })),
    };
  }
  if (fe.code && FASTIFY_CODES[fe.code]) return FASTIFY_CODES[fe.code]!;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, slug: SLUGS[fe.statusCode] ?? 'bad-request', messageKey: 'error.badRequest' };
  }
  return { status: 500, slug: 'internal', messageKey: 'error.internal' };
}

export async function handleError(error: FastifyError | Error, req: Req, reply: Reply): Promise<Reply> {
  const problem = classify(error, req);
  if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
  if (error instanceof Forbidden) await recordRefusal(req, error.policyName).catch(() => undefined);
  return sendProblem(req, reply, problem);
}

export async function handleNotFound(req: Req, reply: Reply): Promise<Reply> {
  return sendProblem(req, reply, { status: 404, slug: 'not-found', messageKey: 'error.notFound' });
}

function sendProblem(req: Req, reply: Reply, problem: Problem): Reply {
  const t = req.t;
  const title = t(`error.title.${problem.status}`) === `error.title.${problem.status}` ? t('error.title.generic') : t(`error.title.${problem.status}`);
  const detail = t(problem.messageKey, problem.values);
  if (problem.status === 429 && problem.values?.seconds) reply.header('retry-after', String(problem.values.seconds));
  const wantsJson = req.url.startsWith('/api/') || (req.headers.accept ?? '').includes('application/json');
  if (wantsJson) {
    return reply
      .status(problem.status)
      .type('application/problem+json; charset=utf-8')
      .send({
        type: `/problems/${problem.slug}`,
        title,
        status: problem.status,
        detail,
        instance: req.url.split('?')[0],
        ...(problem.errors ? { errors: problem.errors } : {}),
        ...(problem.related ? { related: problem.related } : {}),
      });
  }
  const ctx = pageContext(req);
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <p class="lead">{detail}</p>
      {problem.related && (
        <p>
          <a href={problem.related}>{t('error.related')}</a>
        </p>
      )}
      {problem.errors && (
        <ul class="error-list">
          {problem.errors.map((e) => (
            <li>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </Layout>,
    problem.status,
  );
}
