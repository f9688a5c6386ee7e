import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { CadreError } from '../../errors.ts';
import type { FieldErrors } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { comparableDocuments, compareTexts, comparisonJson } from './compare.service.ts';
import { PAIR_STATUSES } from './compare/compare.ts';
import { ComparisonResult, CompareForm } from './compare.view.tsx';
import { libraryPolicy } from './library.policy.ts';

// The page takes what a GET form sends (empty strings for "latest version"); the API is strict.
const PageQuery = Type.Object({
  a: Type.Optional(Type.String({ maxLength: 100 })),
  av: Type.Optional(Type.String({ pattern: '^\\d{0,6}$' })),
  b: Type.Optional(Type.String({ maxLength: 100 })),
  bv: Type.Optional(Type.String({ pattern: '^\\d{0,6}$' })),
  lang: Type.Optional(Type.String()),
});
type PageQuery = Static<typeof PageQuery>;

const ApiQuery = Type.Object({
  a: Type.String({ minLength: 1, maxLength: 100, description: 'id of the first (older) document' }),
  av: Type.Optional(Type.Integer({ minimum: 1, description: 'its version; the latest when absent' })),
  b: Type.String({ minLength: 1, maxLength: 100, description: 'id of the second (newer) document' }),
  bv: Type.Optional(Type.Integer({ minimum: 1, description: 'its version; the latest when absent' })),
});
type ApiQuery = Static<typeof ApiQuery>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const TextRefSchema = Type.Object({ id: Type.String(), symbol: Nullable(Type.String()), language: Type.String(), version: Type.Integer(), title: Nullable(Type.String()), href: Type.String() });
const ParagraphRef = Type.Union([Type.Object({ eId: Type.String(), kind: Type.String(), num: Nullable(Type.String()), text: Type.String(), href: Type.String() }), Type.Null()]);
const Status = Type.Union(PAIR_STATUSES.map((s) => Type.Literal(s)));
const Verb = { from: Type.String(), to: Type.String() };
const ComparisonSchema = Type.Object({
  mode: Type.Union([Type.Literal('text'), Type.Literal('translation')], {
    description: 'text: one language, paragraphs paired by wording, with word differences; translation: two languages, paragraphs aligned by structure, numbers and symbols (status `aligned`), no word differences',
  }),
  a: TextRefSchema,
  b: TextRefSchema,
  summary: Type.Object({ unchanged: Type.Integer(), modified: Type.Integer(), moved: Type.Integer(), added: Type.Integer(), removed: Type.Integer(), aligned: Type.Integer() }),
  verbChanges: Type.Array(Type.Object({ a: Type.String(), b: Type.String(), ...Verb })),
  pairs: Type.Array(
    Type.Object({
      status: Status,
      similarity: Type.Number({ minimum: 0, maximum: 1 }),
      a: ParagraphRef,
      b: ParagraphRef,
      words: Type.Optional(Type.Array(Type.Object({ op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]), text: Type.String() }))),
      verbChange: Type.Optional(Type.Object(Verb)),
    }),
  ),
});

const version = (v: string | undefined) => (v ? Number(v) : undefined);

export async function compareRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('library', libraryPolicy, 'read');

  app.get<{ Querystring: PageQuery }>('/library/compare', { config: { policy: read }, schema: { querystring: PageQuery } }, async (req, reply) => {
    const ctx = pageContext(req);
    const q = req.query;
    const choice = { a: q.a || undefined, av: q.av || undefined, b: q.b || undefined, bv: q.bv || undefined };
    const errors: FieldErrors = {};
    // A first visit (nothing chosen) is the form; a half-filled form says which document is missing.
    const started = Object.values(choice).some(Boolean);
    if (started && !choice.a) errors.a = ctx.t('compare.required');
    if (started && !choice.b) errors.b = ctx.t('compare.required');
    const documents = await comparableDocuments(cadre);
    const form = (e?: FieldErrors) => <CompareForm ctx={ctx} documents={documents} choice={choice} errors={e} />;
    if (!choice.a || !choice.b) {
      const failed = Object.keys(errors).length > 0;
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('compare.title')}>
          <p class="lead">{ctx.t('compare.lead')}</p>
          {form(failed ? errors : undefined)}
        </Layout>,
        failed ? 400 : 200,
      );
    }
    let view;
    try {
      view = await compareTexts(cadre, { id: choice.a, version: version(choice.av) }, { id: choice.b, version: version(choice.bv) });
    } catch (e) {
      // An unknown document or version is a 404 that keeps the form, the message on its field.
      if (!(e instanceof CadreError) || !e.field) throw e;
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('compare.title')}>
          {form({ [e.field]: ctx.t(e.messageKey, e.values) })}
        </Layout>,
        e.statusCode,
      );
    }
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('compare.title')}>
        {form()}
        <ComparisonResult ctx={ctx} view={view} />
      </Layout>,
    );
  });

  app.get<{ Querystring: ApiQuery }>(
    '/api/v1/library/compare',
    {
      config: { policy: read },
      schema: {
        tags: ['library'],
        summary: 'Two documents or versions paragraph by paragraph: aligned by similarity, each pair unchanged, modified, moved, added or removed, with word-level differences and changes of opening verb; two language versions are aligned by structure instead',
        querystring: ApiQuery,
        response: { 200: ComparisonSchema, 404: Problem },
      },
    },
    async (req) => comparisonJson(await compareTexts(cadre, { id: req.query.a, version: req.query.av }, { id: req.query.b, version: req.query.bv })),
  );
}
