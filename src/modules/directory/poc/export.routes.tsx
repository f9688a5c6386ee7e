import { Type, type Static } from '@sinclair/typebox';
import { authorize, policy } from '../../../auth/policy.ts';
import type { StateTable } from '../../../db/schema.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import { cadreNow, type App, type Req, type Reply } from '../../../web/types.ts';
import { listStates } from '../state.repository.ts';
import { sortByName, stateName } from '../state.names.ts';
import { toCsv } from './formats/csv.ts';
import { toJson } from './formats/json.ts';
import { toVCard, toVCards } from './formats/vcard.ts';
import { pocPolicy } from './poc.policy.ts';
import { readEntry, recordViews, searchDirectory, type ReadEntry } from './poc.read.ts';
import { directoryQuery, SearchQuery } from './poc.routes.tsx';
import { PrintPage } from './print.view.tsx';

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
  vcf: { type: 'text/vcard; charset=utf-8', extension: 'vcf' },
} as const;
type Format = keyof typeof FORMATS;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Exports are read by tools and people of every language: the English short name, as in UN lists. */
function stateNamer(states: readonly StateTable[]) {
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (iso3: string) => byIso.get(iso3)?.name_en ?? iso3;
}

/**
 * Exports for entitled readers: the entries the directory page would list for the same filters,
 * as CSV, JSON or vCard, and a print layout. Every export of another State's details is audited.
 */
export async function exportRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const exportPolicy = policy('poc', pocPolicy, 'export', { scope: 'directory:read' });

  const send = async (req: Req, reply: Reply, format: Format, query: SearchQuery) => {
    const p = req.principal!;
    authorize('poc', pocPolicy, p, 'export');
    const { entries } = await searchDirectory(cadre, p, directoryQuery(query));
    await recordViews(cadre, p, entries, req.ip, `export.${format}`);
    const now = cadreNow(cadre).toISOString();
    const name = stateNamer(await listStates(db));
    const body =
      format === 'csv'
        ? toCsv(entries)
        : format === 'json'
          ? toJson(entries, { exportedAt: now, source: cadre.config.baseUrl, ...(p.organisation ? { organisation: p.organisation } : {}) })
          : toVCards(entries, name);
    return reply
      .type(FORMATS[format].type)
      .header('content-disposition', `attachment; filename="cadre-directory-${now.slice(0, 10)}.${FORMATS[format].extension}"`)
      .header('cache-control', 'no-store')
      .send(body);
  };

  for (const format of Object.keys(FORMATS) as Format[]) {
    for (const path of [`/directory/export.${format}`, `/api/v1/directory/export.${format}`]) {
      app.get<{ Querystring: SearchQuery }>(
        path,
        {
          config: { policy: exportPolicy },
          schema: {
            querystring: SearchQuery,
            ...(path.startsWith('/api/') ? { tags: ['directory'], summary: `The entries the caller may see, as ${format.toUpperCase()} (same filters as the search)` } : {}),
          },
        },
        async (req, reply) => send(req, reply, format, req.query),
      );
    }
  }

  app.get<{ Params: Static<typeof IdParams> }>('/directory/entries/:id/vcard', { config: { policy: exportPolicy }, schema: { params: IdParams } }, async (req, reply) => {
    const entry: ReadEntry = await readEntry(cadre, req.principal!, req.params.id, req.ip, 'page');
    const name = stateNamer(await listStates(db));
    return reply
      .type(FORMATS.vcf.type)
      .header('content-disposition', `attachment; filename="${entry.id}.vcf"`)
      .header('cache-control', 'no-store')
      .send(toVCard(entry, name(entry.state)));
  });

  app.get<{ Querystring: SearchQuery }>('/directory/print', { config: { policy: exportPolicy }, schema: { querystring: SearchQuery } }, async (req, reply) => {
    const p = req.principal!;
    const { entries } = await searchDirectory(cadre, p, directoryQuery(req.query));
    await recordViews(cadre, p, entries, req.ip, 'print');
    const states = sortByName(await listStates(db), req.lang);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.printHeading')}>
        <PrintPage ctx={ctx} entries={entries} states={states} printedAt={cadreNow(cadre).toISOString()} stateLabel={(s) => stateName(s, req.lang)} />
      </Layout>,
    );
  });
}
