import { Type, type Static } from '@sinclair/typebox';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { policy } from '../../auth/policy.ts';
import { CadreError } from '../../errors.ts';
import type { FieldErrors } from '../../web/forms.tsx';
import { LANGUAGES } from '../../web/i18n.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Reply, Req } from '../../web/types.ts';
import { DocumentPage } from './document.view.tsx';
import { ingestDocument } from './ingest.service.ts';
import { libraryPolicy } from './library.policy.ts';
import { documentPath, listLibrary, viewDocument, type DocumentView } from './library.service.ts';
import { DOCUMENT_KINDS, IngestForm, LibraryList } from './library.views.tsx';

const ListQuery = Type.Object({
  kind: Type.Optional(Type.String({ pattern: `^(${DOCUMENT_KINDS.join('|')})?$` })),
  language: Type.Optional(Type.String({ pattern: `^(${LANGUAGES.join('|')})?$` })),
  year: Type.Optional(Type.String({ pattern: '^(\\d{4})?$' })),
  lang: Type.Optional(Type.String()),
});
type ListQuery = Static<typeof ListQuery>;
const ViewQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  corrections: Type.Optional(Type.String()),
  lang: Type.Optional(Type.String()),
});

function filterOf(q: ListQuery) {
  return { kind: q.kind || undefined, language: q.language || undefined, year: q.year || undefined };
}

function documentJson(view: DocumentView) {
  const { document: d, version: v } = view;
  const citationsByParagraph = new Map<string, string[]>();
  for (const c of view.citations) citationsByParagraph.set(c.paragraph_eid, [...new Set([...(citationsByParagraph.get(c.paragraph_eid) ?? []), c.target_symbol])]);
  return {
    id: d.id,
    symbol: d.symbol,
    language: d.language,
    kind: v.kind,
    title: v.title,
    session: v.session,
    agendaItem: v.agenda_item,
    date: v.date,
    sponsors: JSON.parse(v.sponsors) as string[],
    version: v.version,
    versions: view.versions.map((x) => ({ version: x.version, ingestedAt: x.ingested_at, paragraphs: x.paragraph_count })),
    paragraphs: view.paragraphs.map((p) => ({
      eId: p.eid,
      kind: p.kind,
      num: p.num,
      parent: p.parent_eid,
      openingWord: p.opening_word,
      text: p.text,
      footnotes: JSON.parse(p.footnotes) as string[],
      citations: citationsByParagraph.get(p.eid) ?? [],
    })),
    footnotes: view.footnotes.map((f) => ({ num: f.num, text: f.text, paragraph: f.paragraph_eid })),
    citations: view.citations.map((c) => ({ paragraph: c.paragraph_eid, symbol: c.target_symbol, verb: c.verb, targetParagraph: c.target_paragraph })),
    corrections: view.corrections.map((c) => ({ rule: c.rule, original: c.original, corrected: c.corrected, offset: c.offset })),
    citedBy: view.citedBy.map((c) => ({ symbol: c.symbol, language: c.language, paragraph: c.paragraph_eid, verb: c.verb })),
  };
}

export async function libraryRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('library', libraryPolicy, 'read');
  const ingest = policy('library', libraryPolicy, 'ingest');

  app.get<{ Querystring: ListQuery }>('/library', { config: { policy: read }, schema: { querystring: ListQuery } }, async (req, reply) => {
    const ctx = pageContext(req);
    const documents = await listLibrary(cadre, filterOf(req.query));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('library.title')}>
        <LibraryList ctx={ctx} documents={documents} filter={filterOf(req.query)} canIngest={libraryPolicy(req.principal, 'ingest')} />
      </Layout>,
    );
  });

  const renderIngest = (req: Req, reply: Reply, extra: { errors?: FieldErrors; results?: { name: string; message: string; href?: string }[] } = {}, status = 200) => {
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('library.ingest')}><IngestForm ctx={ctx} {...extra} /></Layout>, status);
  };

  app.get('/library/ingest', { config: { policy: ingest } }, async (req, reply) => renderIngest(req, reply));

  app.post('/library/ingest', { config: { policy: ingest } }, async (req, reply) => {
    if (!req.isMultipart()) return renderIngest(req, reply, { errors: { file: req.t('library.noFile') } }, 400);
    const body = req.body as Record<string, MultipartFile | MultipartFile[] | MultipartValue | undefined>;
    const files = ([] as (MultipartFile | MultipartValue | undefined)[]).concat(body.file ?? []).filter((f): f is MultipartFile => !!f && f.type === 'file' && !!f.filename);
    const symbolField = body.symbol && !Array.isArray(body.symbol) && body.symbol.type === 'field' ? String(body.symbol.value).trim() : '';
    if (files.length === 0) return renderIngest(req, reply, { errors: { file: req.t('library.noFile') } }, 400);
    if (symbolField && files.length > 1) return renderIngest(req, reply, { errors: { symbol: req.t('library.symbolOneFile') } }, 400);
    const results: { name: string; message: string; href?: string }[] = [];
    const errors: FieldErrors = {};
    const actor = { id: req.principal!.userId, label: req.principal!.email };
    for (const file of files) {
      try {
        const r = await ingestDocument(cadre, actor, { name: file.filename, bytes: await file.toBuffer(), symbol: symbolField || undefined });
        results.push({
          name: file.filename,
          message: req.t(`library.result.${r.status}`, { symbol: r.symbol ?? req.t('library.noSymbol'), version: r.version, count: r.parsed.paragraphs.length }),
          href: documentPath({ id: r.documentId, symbol: r.symbol, language: r.language }),
        });
      } catch (e) {
        if (!(e instanceof CadreError)) throw e;
        const message = `${file.filename}: ${req.t(e.messageKey, e.values)}`;
        errors[e.field ?? 'file'] = errors[e.field ?? 'file'] ? `${errors[e.field ?? 'file']} ${message}` : message;
      }
    }
    const failed = Object.keys(errors).length > 0;
    return renderIngest(req, reply, { results, ...(failed ? { errors } : {}) }, failed && results.length === 0 ? 400 : 200);
  });

  const showDocument = async (req: Req, reply: Reply, ref: { symbol: string; language: string } | { id: string }) => {
    const q = req.query as Static<typeof ViewQuery>;
    const view = await viewDocument(cadre, ref, q.version);
    const ctx = pageContext(req);
    const title = view.document.symbol ? `${view.document.symbol}${view.version.title ? ` · ${view.version.title}` : ''}` : (view.version.title ?? ctx.t('library.noSymbol'));
    return sendPage(reply, <Layout ctx={ctx} title={title}><DocumentPage ctx={ctx} view={view} showCorrections={q.corrections === '1'} /></Layout>);
  };

  app.get<{ Params: { id: string } }>(
    '/library/id/:id',
    { config: { policy: read }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), querystring: ViewQuery } },
    async (req, reply) => showDocument(req, reply, { id: req.params.id }),
  );

  // Permalinks by symbol: /library/fr/A/RES/73/27 (symbols contain slashes).
  app.get<{ Params: { language: string; '*': string } }>(
    '/library/:language/*',
    {
      config: { policy: read },
      schema: { params: Type.Object({ language: Type.String({ enum: [...LANGUAGES] }), '*': Type.String({ minLength: 1, maxLength: 100 }) }), querystring: ViewQuery },
    },
    async (req, reply) => showDocument(req, reply, { symbol: decodeURIComponent(req.params['*']), language: req.params.language }),
  );

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/library/documents',
    {
      config: { policy: read },
      schema: {
        tags: ['library'],
        summary: 'Documents in the library, latest version of each',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            documents: Type.Array(
              Type.Object({
                id: Type.String(),
                symbol: Type.Union([Type.String(), Type.Null()]),
                language: Type.String(),
                kind: Type.String(),
                title: Type.Union([Type.String(), Type.Null()]),
                date: Type.Union([Type.String(), Type.Null()]),
                version: Type.Integer(),
                paragraphs: Type.Integer(),
                href: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      documents: (await listLibrary(cadre, filterOf(req.query))).map((d) => ({
        id: d.id,
        symbol: d.symbol,
        language: d.language,
        kind: d.kind,
        title: d.title,
        date: d.date,
        version: d.latest_version,
        paragraphs: d.paragraph_count,
        href: documentPath(d),
      })),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/library/documents/:id',
    {
      config: { policy: read },
      schema: {
        tags: ['library'],
        summary: 'One document with its paragraphs (eIds), footnotes, citations and corrections; `version` for an earlier one',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: ViewQuery,
        response: { 404: Problem },
      },
    },
    async (req) => documentJson(await viewDocument(cadre, { id: req.params.id }, (req.query as Static<typeof ViewQuery>).version)),
  );
}
