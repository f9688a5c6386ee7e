import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { policy } from '../../../auth/policy.ts';
import { CadreError } from '../../../errors.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { Problem } from '../../../web/problem-schema.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App, Req, Reply } from '../../../web/types.ts';
import { listRegionalOrganisations } from '../regional-organisation.repository.ts';
import { COMPARED_FIELDS, ROW_STATUSES, submissionOf, type ImportReport, type Submission } from './import.report.ts';
import { applyImport, IMPORT_FORMATS, listUploads, previewImport, readImport, readSubmission, type ImportFormat, type ImportUpload } from './import.service.ts';
import { ImportApplied, ImportPreview, UploadForm, UploadsList } from './import.view.tsx';
import { pocPolicy } from './poc.policy.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ImportBody = Type.Object(
  {
    organisation: Type.String({ pattern: '^[A-Za-z0-9-]{1,16}$', description: 'The regional organisation whose directory this is, e.g. OSCE' }),
    format: Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f))),
    content: Type.String({ maxLength: 6 * 1024 * 1024, description: 'The file: CSV (the export’s columns) or a cadre-directory JSON document' }),
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const ApplyBody = Type.Object(
  {
    acceptConflicts: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20_000, description: 'Lines of matched rows whose values replace the entry’s' })),
    goodRowsOnly: Type.Optional(Type.Boolean({ description: 'Required when the file has rows in error: import the good rows only' })),
  },
  { additionalProperties: false },
);
const ProblemJson = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
/** An upload: which file of which organisation, and whether it was applied. */
const UploadFields = {
  id: Type.String(),
  organisation: Type.String(),
  fileName: Type.String(),
  format: Type.String(),
  appliedAt: Type.Union([Type.String(), Type.Null()]),
};
const ReportJson = Type.Object({
  ...UploadFields,
  fileErrors: Type.Array(ProblemJson),
  counts: Type.Object(Object.fromEntries(ROW_STATUSES.map((s) => [s, Type.Integer()]))),
  rows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      status: Type.Union(ROW_STATUSES.map((s) => Type.Literal(s))),
      state: Type.String(),
      name: Type.String(),
      match: Type.Union([Type.Null(), Type.Object({ id: Type.String(), name: Type.String() })]),
      differences: Type.Array(Type.Object({ field: Type.Union(COMPARED_FIELDS.map((f) => Type.Literal(f))), current: Type.String(), incoming: Type.String() })),
      errors: Type.Array(ProblemJson),
    }),
  ),
});
const SubmissionJson = Type.Object(
  {
    ...UploadFields,
    fileErrors: Type.Array(ProblemJson),
    rows: Type.Array(Type.Object({ line: Type.Integer(), state: Type.String(), name: Type.String(), errors: Type.Array(ProblemJson) })),
  },
  { description: 'An organisation’s own upload as it sees it: its file’s problems, nothing of the directory it is matched against' },
);
const UploadJson = Type.Object({ ...UploadFields, createdAt: Type.String(), createdBy: Type.Union([Type.String(), Type.Null()]) });
const CountsJson = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Integer(),
  invitations: Type.Array(Type.Object({ email: Type.String(), mailed: Type.Boolean(), link: Type.Optional(Type.String()) })),
});

type Parts = Record<string, MultipartFile | MultipartFile[] | MultipartValue | undefined>;

/** The format a file announces by its name, or its content's first character. */
function formatOf(fileName: string, content: string): ImportFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return content.replace(/^\ufeff/, '').trimStart().startsWith('{') ? 'json' : 'csv';
}

/** An upload from a multipart form: the organisation field and the file. */
async function uploadFromParts(parts: Parts): Promise<ImportUpload> {
  const field = (name: string) => {
    const v = parts[name];
    return v && !Array.isArray(v) && v.type === 'field' ? String(v.value).trim() : '';
  };
  const file = ([] as (MultipartFile | MultipartValue | undefined)[]).concat(parts.file ?? []).find((f): f is MultipartFile => !!f && f.type === 'file' && !!f.filename);
  if (!file) throw new CadreError(400, 'directory.import.noFile', {}, 'file');
  const content = (await file.toBuffer()).toString('utf8');
  const given = field('format');
  const format = (IMPORT_FORMATS as readonly string[]).includes(given) ? (given as ImportFormat) : formatOf(file.filename, content);
  return { organisation: field('organisation'), fileName: file.filename, format, content };
}

type Problemish = { field: string; messageKey: string; values?: Record<string, string | number> | undefined };

/** What every view of an upload starts with: the upload itself and its file's problems, in the reader's language. */
function uploadHead(req: Req, upload: Submission | ImportReport) {
  const imp = upload.import;
  const problem = (p: Problemish) => ({ field: p.field, code: p.messageKey, message: req.t(p.messageKey, p.values ?? {}) });
  return { problem, head: { id: imp.id, organisation: imp.organisation_id, fileName: imp.file_name, format: imp.format, appliedAt: imp.applied_at, fileErrors: upload.fileErrors.map(problem) } };
}

function submissionJson(req: Req, submission: Submission) {
  const { problem, head } = uploadHead(req, submission);
  return { ...head, rows: submission.rows.map((r) => ({ line: r.line, state: r.state, name: r.name, errors: r.errors.map(problem) })) };
}

function reportJson(req: Req, report: ImportReport) {
  const { problem, head } = uploadHead(req, report);
  return {
    ...head,
    counts: report.counts,
    rows: report.rows.map((r) => ({ line: r.line, status: r.status, state: r.state, name: r.name, match: r.match, differences: r.differences, errors: r.errors.map(problem) })),
  };
}

/**
 * The Secretariat brings in a regional organisation's directory: upload, a row-by-row preview,
 * then one confirmation that applies it all or nothing.
 */
export async function importRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const page = policy('poc', pocPolicy, 'import');
  const api = policy('poc', pocPolicy, 'import', { scope: 'directory:write' });
  // Uploads: the Secretariat's, and a regional organisation's own directory (for the Secretariat to review).
  const submit = policy('poc', pocPolicy, 'submit', { scope: 'directory:write' });
  const submitted = policy('poc', pocPolicy, 'submit', { scope: 'directory:read' });
  const tags = ['directory'];

  const renderUpload = async (req: Req, reply: Reply, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    const [organisations, uploads] = await Promise.all([listRegionalOrganisations(cadre.database.db), listUploads(cadre, req.principal!)]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.import.heading')}>
        <UploadForm ctx={ctx} organisations={organisations} errors={errors} />
        <UploadsList ctx={ctx} uploads={uploads} />
      </Layout>,
      status,
    );
  };
  const renderReport = (req: Req, reply: Reply, report: ImportReport, error?: string, status = 200) => {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.import.previewHeading')}>
        <ImportPreview ctx={ctx} report={report} error={error} />
      </Layout>,
      status,
    );
  };

  app.get('/directory/imports', { config: { policy: page } }, async (req, reply) => renderUpload(req, reply));

  app.get(
    '/api/v1/directory/imports',
    {
      config: { policy: submitted },
      schema: { tags, summary: 'The latest uploads, newest first: every organisation’s for the Secretariat, its own for a regional organisation', response: { 200: Type.Object({ imports: Type.Array(UploadJson) }), 403: Problem } },
    },
    async (req) => ({
      imports: (await listUploads(cadre, req.principal!)).map((u) => ({
        id: u.id,
        organisation: u.organisation_id,
        fileName: u.file_name,
        format: u.format,
        createdAt: u.created_at,
        // An organisation sees that the Secretariat uploaded, not who.
        createdBy: req.principal!.role === 'secretariat' || u.created_by_role === 'regional-org' ? u.created_by_label : null,
        appliedAt: u.applied_at,
      })),
    }),
  );

  app.post('/directory/imports', { config: { policy: page } }, async (req, reply) => {
    if (!req.isMultipart()) return renderUpload(req, reply, { file: req.t('directory.import.noFile') }, 400);
    try {
      const report = await previewImport(cadre, req.principal!, await uploadFromParts(req.body as Parts), { ip: req.ip });
      return reply.redirect(`/directory/imports/${report.import.id}`, 303);
    } catch (error) {
      if (error instanceof CadreError && error.field) return renderUpload(req, reply, { [error.field]: req.t(error.messageKey, error.values) }, 400);
      throw error;
    }
  });

  app.get<{ Params: Static<typeof IdParams> }>('/directory/imports/:id', { config: { policy: page }, schema: { params: IdParams } }, async (req, reply) =>
    renderReport(req, reply, await readImport(cadre, req.principal!, req.params.id)),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Record<string, string> }>(
    '/directory/imports/:id/apply',
    { config: { policy: page }, schema: { params: IdParams, body: Type.Record(Type.String(), Type.String({ maxLength: 10 })) } },
    async (req, reply) => {
      const body = req.body ?? {};
      const acceptConflicts = Object.keys(body).filter((k) => /^accept_\d+$/.test(k) && body[k] === 'on').map((k) => Number(k.slice(7)));
      try {
        const counts = await applyImport(cadre, req.principal!, req.params.id, { acceptConflicts, goodRowsOnly: body.goodRowsOnly === 'on' }, { ip: req.ip, language: req.lang });
        const ctx = pageContext(req);
        return sendPage(
          reply,
          <Layout ctx={ctx} title={ctx.t('directory.import.appliedHeading')}>
            <ImportApplied ctx={ctx} counts={counts} id={req.params.id} />
          </Layout>,
        );
      } catch (error) {
        if (!(error instanceof CadreError) || error.statusCode === 404) throw error;
        const report = await readImport(cadre, req.principal!, req.params.id);
        return renderReport(req, reply, report, req.t(error.messageKey, error.values), error.statusCode);
      }
    },
  );

  app.post(
    '/api/v1/directory/imports',
    {
      config: { policy: submit },
      schema: {
        tags,
        summary:
          "Upload a regional organisation's directory (JSON body, or multipart with organisation and file): the per-row preview; nothing is written until the Secretariat applies it. A regional organisation uploads its own directory, and sees only its file's problems",
        body: {
          content: {
            'application/json': { schema: ImportBody },
            'multipart/form-data': { schema: Type.Object({}, { additionalProperties: true }) },
          },
        },
        response: { 201: Type.Union([ReportJson, SubmissionJson]), 400: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      let upload: ImportUpload;
      if (req.isMultipart()) upload = await uploadFromParts(req.body as Parts);
      else {
        const body = req.body as Static<typeof ImportBody>;
        if (!Value.Check(ImportBody, body)) throw new CadreError(400, 'error.validation');
        upload = { organisation: body.organisation, format: body.format, content: body.content, fileName: body.fileName ?? `${body.organisation.toLowerCase()}-directory.${body.format}` };
      }
      const report = await previewImport(cadre, req.principal!, upload, { ip: req.ip });
      return reply.status(201).send(req.principal!.role === 'secretariat' ? reportJson(req, report) : submissionJson(req, submissionOf(report)));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/directory/imports/:id',
    {
      config: { policy: submitted },
      schema: {
        tags,
        summary: 'An uploaded directory judged against the directory as it stands now (Secretariat); a regional organisation reads its own uploads, with its file’s problems only',
        params: IdParams,
        response: { 200: Type.Union([ReportJson, SubmissionJson]), 404: Problem },
      },
    },
    async (req) =>
      req.principal!.role === 'secretariat' ? reportJson(req, await readImport(cadre, req.principal!, req.params.id)) : submissionJson(req, await readSubmission(cadre, req.principal!, req.params.id)),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ApplyBody> }>(
    '/api/v1/directory/imports/:id/apply',
    {
      config: { policy: api },
      schema: { tags, summary: 'Apply a previewed import in one transaction: new rows created, ticked conflicts take the organisation’s values', params: IdParams, body: ApplyBody, response: { 200: CountsJson, 400: Problem, 404: Problem, 409: Problem } },
    },
    async (req) =>
      applyImport(cadre, req.principal!, req.params.id, { acceptConflicts: req.body?.acceptConflicts ?? [], goodRowsOnly: req.body?.goodRowsOnly ?? false }, { ip: req.ip, language: req.lang }),
  );
}
