import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { LANGUAGES } from '../../../web/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App } from '../../../web/types.ts';
import { libraryPolicy } from '../library.policy.ts';
import { DOCUMENT_KINDS } from '../library.views.tsx';
import { POOL, type SearchInput } from './search.service.ts';
import { search } from './search.threads.ts';
import { PARAGRAPH_KINDS, SearchPage } from './search.view.tsx';

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  document: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(Type.String({ pattern: `^(${DOCUMENT_KINDS.join('|')})?$` })),
  year: Type.Optional(Type.String({ pattern: '^(\\d{4})?$' })),
  paragraphKind: Type.Optional(Type.String({ pattern: `^(${PARAGRAPH_KINDS.join('|')})?$` })),
  language: Type.Optional(Type.String({ pattern: `^(${LANGUAGES.join('|')})?$` })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  lang: Type.Optional(Type.String()),
});
type SearchQuery = Static<typeof SearchQuery>;

function inputOf(q: SearchQuery): SearchInput {
  return {
    q: q.q ?? '',
    document: q.document || undefined,
    kind: q.kind || undefined,
    year: q.year ? Number(q.year) : undefined,
    paragraphKind: q.paragraphKind || undefined,
    language: q.language || undefined,
    page: q.page,
  };
}

const Segment = Type.Object({ text: Type.String(), mark: Type.Boolean() });
const Hit = Type.Object({
  symbol: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  documentKind: Type.String(),
  date: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  eId: Type.String(),
  kind: Type.String(),
  num: Type.Union([Type.String(), Type.Null()]),
  href: Type.String({ description: 'the paragraph’s permalink' }),
  text: Type.String(),
  highlight: Type.Array(Segment, { description: 'the text cut into pieces; `mark` pieces are the words the query matched' }),
});

export async function searchRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('library', libraryPolicy, 'read');

  app.get<{ Querystring: SearchQuery }>('/library/search', { config: { policy: read }, schema: { querystring: SearchQuery } }, async (req, reply) => {
    const ctx = pageContext(req);
    const q = req.query;
    const outcome = q.q === undefined ? null : await search(cadre, inputOf(q));
    const form = { q: q.q ?? '', document: q.document ?? '', kind: q.kind ?? '', year: q.year ?? '', paragraphKind: q.paragraphKind ?? '' };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('library.search.title')}>
        <SearchPage ctx={ctx} form={form} outcome={outcome} />
      </Layout>,
    );
  });

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/library/search',
    {
      config: { policy: read },
      schema: {
        tags: ['library'],
        summary: `Full-text search over the paragraphs of each document's latest version: stemmed (fr, en, es, ru), accent- and case-insensitive, "quoted phrases"; 10 results a page`,
        querystring: SearchQuery,
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('ok'), Type.Literal('empty')], { description: '`empty`: the query holds no word to search for (see `message`)' }),
            message: Type.Optional(Type.String()),
            total: Type.Integer(),
            page: Type.Integer(),
            pages: Type.Integer(),
            ranking: Type.Union([Type.Literal('shared'), Type.Literal('engine')], {
              description: `shared: ${POOL} matches or fewer, ranked alike on every database; engine: more, in the database's own order of relevance (same paragraphs, order may differ between SQLite and PostgreSQL)`,
            }),
            results: Type.Array(Hit),
          }),
        },
      },
    },
    async (req) => {
      const outcome = await search(cadre, inputOf(req.query));
      if (outcome.status === 'empty') return { status: 'empty' as const, message: req.t('library.search.empty'), total: 0, page: 1, pages: 1, ranking: 'shared' as const, results: [] };
      return {
        status: 'ok' as const,
        ...(outcome.total === 0 ? { message: req.t('library.search.noResults', { q: req.query.q ?? '' }) } : {}),
        total: outcome.total,
        page: outcome.page,
        pages: outcome.pages,
        ranking: outcome.ranking,
        results: outcome.hits.map((h) => ({
          symbol: h.symbol,
          language: h.language,
          title: h.title,
          documentKind: h.documentKind,
          date: h.date,
          version: h.version,
          eId: h.eId,
          kind: h.kind,
          num: h.num,
          href: h.href,
          text: h.segments.map((s) => s.text).join(''),
          highlight: h.segments,
        })),
      };
    },
  );
}
