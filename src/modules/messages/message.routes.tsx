import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { CadreError, InvalidFields } from '../../errors.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Req, Reply } from '../../web/types.ts';
import { listStates } from '../directory/state.repository.ts';
import { sortByName } from '../directory/state.names.ts';
import { dueInjects, runningExercisesOf } from './exercise.service.ts';
import { messagePolicy } from './message.policy.ts';
import { inbox, INBOX_PAGE_SIZE, openThread, readThread, reply, setResponseState } from './message.service.ts';
import { InboxPage, NewThreadPage, ThreadPage } from './message.views.tsx';
import { templateFormValuesToInput, TemplateForm, type TemplateFormValues } from './template-form.view.tsx';
import { problemMessages } from '../../web/forms.tsx';
import { plainMultipartFields, uploadedFiles } from '../../web/multipart-form.ts';
import { ACCEPTED_EXTENSIONS, ATTACHMENT_LIMITS } from './attachments.ts';
import { isTemplateId, templateById, type TemplateId } from './templates.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const AttachmentsBody = Type.Optional(
  Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), contentBase64: Type.String({ maxLength: 7_100_000, description: 'the file’s bytes, base64' }) }, { additionalProperties: false }), {
    maxItems: ATTACHMENT_LIMITS.files,
    description: `files: .${ACCEPTED_EXTENSIONS.join(', .')}; each at most ${ATTACHMENT_LIMITS.fileBytes / 1024 / 1024} MB and ${ATTACHMENT_LIMITS.totalBytes / 1024 / 1024} MB together; the content must be what the extension says`,
  }),
);
/** A message's JSON with its files in base64 (10 MB of files take about 13.4 MB). */
const API_BODY_LIMIT = 15 * 1024 * 1024;
const decodeAttachments = (list: { name: string; contentBase64: string }[] | undefined) => (list ?? []).map((a) => ({ name: a.name, bytes: Buffer.from(a.contentBase64, 'base64') }));
const FormBody = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 25_000 }), Type.Array(Type.String({ maxLength: 300 }), { maxItems: 200 })]));
const InboxQuery = Type.Object({
  status: Type.Optional(Type.Union(['', 'sent', 'acknowledged', 'answered', 'closed'].map((s) => Type.Literal(s)))),
  urgency: Type.Optional(Type.Union(['', 'routine', 'urgent', 'critical'].map((s) => Type.Literal(s)))),
  state: Type.Optional(Type.String({ pattern: '^([A-Za-z]{3})?$' })),
  overdue: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  lang: Type.Optional(Type.String()),
});
const TemplateQuery = Type.Object({ template: Type.String({ maxLength: 40 }), exercise: Type.Optional(Type.String({ maxLength: 36 })), lang: Type.Optional(Type.String()) });
const list = (v: string | string[] | undefined) => ([] as string[]).concat(v ?? []).flatMap((x) => x.split(/[\s,;]+/)).filter(Boolean);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** POC-to-POC communications: the inbox, new threads on a template, a thread and its replies. */
export async function messageRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const inboxPolicy = policy('message', messagePolicy, 'inbox');

  app.get<{ Querystring: Static<typeof InboxQuery> }>('/messages', { config: { policy: inboxPolicy }, schema: { querystring: InboxQuery } }, async (req, reply) => {
    const q = req.query;
    const page = q.page ?? 1;
    const { rows, total } = await inbox(cadre, req.principal!, { status: q.status || undefined, urgency: q.urgency || undefined, state: q.state || undefined, overdue: q.overdue === '1' }, page);
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('messages.inbox.heading')}><InboxPage ctx={ctx} rows={rows} page={page} pages={Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE))} states={await listStates(db)} canSend={messagePolicy(req.principal, 'send')} injects={await dueInjects(cadre, req.principal!.state)} /></Layout>);
  });

  const renderNew = async (req: Req, res: Reply, template: TemplateId, values: TemplateFormValues, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    return sendPage(
      res,
      <Layout ctx={ctx} title={ctx.t(`messages.template.${template}`)}>
        <NewThreadPage ctx={ctx} template={template} states={sortByName(await listStates(db), req.lang)} values={values} errors={errors} exercises={await runningExercisesOf(db, req.principal!.state)} />
      </Layout>,
      status,
    );
  };
  const send = policy('message', messagePolicy, 'send');
  app.get<{ Querystring: Static<typeof TemplateQuery> }>('/messages/new', { config: { policy: send }, schema: { querystring: TemplateQuery } }, async (req, res) => {
    const template = req.query.template;
    if (!isTemplateId(template) || templateById(template).role !== 'opens') throw new CadreError(404, 'messages.notFound');
    return renderNew(req, res, template, { tlp: 'AMBER', urgency: 'routine', ...(req.query.exercise ? { exerciseId: req.query.exercise } : {}) });
  });
  app.post<{ Body: Static<typeof FormBody> }>('/messages', { config: { policy: send }, preValidation: plainMultipartFields, schema: { body: FormBody } }, async (req, res) => {
    const values = req.body as TemplateFormValues;
    const template = one(values.template) ?? '';
    if (!isTemplateId(template) || templateById(template).role !== 'opens') throw new CadreError(400, 'validation.choice', {}, 'template');
    try {
      const kind = one(values.kind);
      const thread = await openThread(
        cadre,
        req.principal!,
        {
          template,
          fields: templateFormValuesToInput(template, values),
          recipients: { states: list(values.to), kind: kind === 'diplomatic' || kind === 'technical' ? kind : undefined, pocs: list(values.pocs) },
          hideRecipients: one(values.hideRecipients) === '1',
          exerciseId: one(values.exerciseId) || undefined,
          attachments: uploadedFiles(req, 'attachments'),
        },
        req.ip,
      );
      return res.redirect(`/messages/${thread.id}`, 303);
    } catch (error) {
      if (error instanceof InvalidFields) return renderNew(req, res, template, values, problemMessages(error.fields, req.t), 400);
      throw error;
    }
  });

  app.get<{ Params: Static<typeof IdParams> }>('/messages/:id', { config: { policy: inboxPolicy }, schema: { params: IdParams } }, async (req, res) => {
    const view = await readThread(cadre, req.principal!, req.params.id);
    const { subject } = view;
    const ctx = pageContext(req);
    return sendPage(
      res,
      <Layout ctx={ctx} title={`${view.thread.exercise_id ? `${ctx.t('exercises.mark')} — ` : ''}${ctx.t(`messages.template.${view.thread.template}`)}`}>
        <ThreadPage ctx={ctx} view={view} states={await listStates(db)} canRespond={messagePolicy(req.principal, 'respond', subject)} canClose={messagePolicy(req.principal, 'close', subject)} />
      </Layout>,
    );
  });

  const renderReply = async (req: Req, res: Reply, id: string, template: TemplateId, values: TemplateFormValues, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    return sendPage(res, <Layout ctx={ctx} title={ctx.t(`messages.template.${template}`)}><TemplateForm ctx={ctx} template={template} action={`/messages/${id}/reply`} values={values} errors={errors} submitLabel={ctx.t('messages.send')} attachments /></Layout>, status);
  };
  const read = policy('message', messagePolicy, 'read');
  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof TemplateQuery> }>('/messages/:id/reply', { config: { policy: read }, schema: { params: IdParams, querystring: TemplateQuery } }, async (req, res) => {
    const view = await readThread(cadre, req.principal!, req.params.id);
    const template = req.query.template;
    if (!view.canRead || !isTemplateId(template) || templateById(template).role !== 'replies') throw new CadreError(404, 'messages.notFound');
    return renderReply(req, res, view.thread.id, template, { tlp: view.thread.tlp });
  });
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>('/messages/:id/reply', { config: { policy: read }, preValidation: plainMultipartFields, schema: { params: IdParams, body: FormBody } }, async (req, res) => {
    const values = req.body as TemplateFormValues;
    const template = one(values.template) ?? '';
    if (!isTemplateId(template)) throw new CadreError(400, 'validation.choice', {}, 'template');
    try {
      const message = await reply(cadre, req.principal!, req.params.id, { template, fields: templateFormValuesToInput(template, values), attachments: uploadedFiles(req, 'attachments') }, req.ip);
      return res.redirect(`/messages/${req.params.id}#m${message.seq}`, 303);
    } catch (error) {
      if (error instanceof InvalidFields) return renderReply(req, res, req.params.id, template, values, problemMessages(error.fields, req.t), 400);
      throw error;
    }
  });
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>(
    '/messages/:id/response-state',
    { config: { policy: policy('message', messagePolicy, 'respond') }, schema: { params: IdParams, body: FormBody } },
    async (req, res) => {
      await setResponseState(cadre, req.principal!, req.params.id, one(req.body.responseState) ?? '', one(req.body.reason), req.ip);
      return res.redirect(`/messages/${req.params.id}`, 303);
    },
  );

  // API: the same services.
  const tags = ['messages'];
  const OpenBody = Type.Object(
    {
      template: Type.String({ maxLength: 40 }),
      fields: Type.Record(Type.String(), Type.Unknown()),
      to: Type.Array(Type.String({ pattern: '^[A-Za-z]{3}$' }), { minItems: 1, maxItems: 193 }),
      kind: Type.Optional(Type.Union([Type.Literal('diplomatic'), Type.Literal('technical')])),
      pocs: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 })),
      hideRecipients: Type.Optional(Type.Boolean()),
      exerciseId: Type.Optional(Type.String({ format: 'uuid', description: 'A running exercise the sender and every recipient State take part in: the thread is an exercise' })),
      attachments: AttachmentsBody,
    },
    { additionalProperties: false },
  );
  app.post<{ Body: Static<typeof OpenBody> }>(
    '/api/v1/messages',
    { config: { policy: send }, bodyLimit: API_BODY_LIMIT, schema: { tags, summary: 'Open a thread on an opening template, to other States’ POCs', body: OpenBody, response: { 201: Type.Object({ id: Type.String() }), 400: Problem, 403: Problem } } },
    async (req, res) => {
      const b = req.body;
      const thread = await openThread(cadre, req.principal!, { template: b.template, fields: b.fields, recipients: { states: b.to, kind: b.kind, pocs: b.pocs }, hideRecipients: b.hideRecipients, exerciseId: b.exerciseId, attachments: decodeAttachments(b.attachments) }, req.ip);
      return res.status(201).send({ id: thread.id });
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/messages/:id',
    { config: { policy: inboxPolicy }, schema: { tags, summary: 'A thread: its content for the States taking part, its metadata only for the Secretariat', params: IdParams, response: { 404: Problem } } },
    async (req) => {
      const view = await readThread(cadre, req.principal!, req.params.id);
      const t = view.thread;
      return {
        id: t.id,
        fromState: t.from_state,
        template: t.template,
        urgency: t.urgency,
        tlp: t.tlp,
        status: t.status,
        exercise: t.exercise_id !== null,
        createdAt: t.created_at,
        ackDeadlineAt: t.ack_deadline_at,
        responseDeadlineAt: t.response_deadline_at,
        parties: view.parties.map((p) => ({ state: p.state_iso3, role: p.role, responseState: p.response_state, acknowledgedAt: p.acknowledged_at, answeredAt: p.answered_at })),
        messages: view.messages.map((m) => ({
          seq: m.seq,
          template: m.template,
          authorState: m.author_state,
          tlp: m.tlp,
          createdAt: m.created_at,
          ...(view.canRead
            ? {
                fields: m.fields,
                attachments: view.attachments.filter((a) => a.message_id === m.id).map((a) => ({ id: a.id, name: a.file_name, mediaType: a.media_type, size: a.size, sha256: a.sha256, href: `/api/v1/messages/${t.id}/attachments/${a.id}` })),
              }
            : {}),
        })),
      };
    },
  );
  const ReplyBody = Type.Object({ template: Type.String({ maxLength: 40 }), fields: Type.Record(Type.String(), Type.Unknown()), attachments: AttachmentsBody }, { additionalProperties: false });
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReplyBody> }>(
    '/api/v1/messages/:id/replies',
    {
      config: { policy: read },
      bodyLimit: API_BODY_LIMIT,
      schema: { tags, summary: 'Reply in a thread: acknowledgement, response (recipient States), closure (sending State)', params: IdParams, body: ReplyBody, response: { 201: Type.Object({ seq: Type.Integer() }), 400: Problem, 403: Problem, 404: Problem, 409: Problem } },
    },
    async (req, res) => {
      const { template, fields, attachments } = req.body;
      const message = await reply(cadre, req.principal!, req.params.id, { template, fields, attachments: decodeAttachments(attachments) }, req.ip);
      return res.status(201).send({ seq: message.seq });
    },
  );
}
