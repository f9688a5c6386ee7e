// What Cadre e-mails about POC-to-POC messages. A notice carries no content, only what is needed to
// act (template, urgency, sending State, deadline, the reader's own reference, a link), unless the
// reader's directory entry has an OpenPGP key: then the whole message goes out encrypted to that key.
// TLP:RED is never e-mailed, even encrypted. Every mail is signed with Cadre's key (issue 6).
import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { decryptContent } from '../../crypto/content.ts';
import { pgpMimeEncrypted, pgpMimeSigned, type MimeEntity } from '../../crypto/pgp-mail.ts';
import { loadSigningKey } from '../../crypto/signing-key.ts';
import type { Database, MessageTable, MessageThreadTable } from '../../db/schema.ts';
import { defineJob, type JobDefinition } from '../../jobs/registry.ts';
import { cadreMailer, type Mailer } from '../../mail/mailer.ts';
import { composeNotice } from '../../mail/notice.message.tsx';
import { countAttachments } from './attachments.ts';
import { findState } from '../directory/state.repository.ts';
import { stateName } from '../directory/state.names.ts';
import { formatInstant } from '../../web/format.ts';
import { DEFAULT_LANGUAGE, isLanguage, translator, type Language, type Translate } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';
import { isTemplateId, templateById, type FieldDefinition } from './templates.ts';

export const MESSAGE_NOTICE_KIND = 'mail.message.notice';

const Payload = Type.Object(
  {
    /** message: a new thread or reply; reminder: acknowledgement due soon; overdue: the deadline passed (to the State's diplomatic POCs and admins). */
    kind: Type.Union([Type.Literal('message'), Type.Literal('reminder'), Type.Literal('overdue')]),
    threadId: Type.String({ maxLength: 36 }),
    /** The message announced (kind message). */
    messageId: Type.Optional(Type.String({ maxLength: 36 })),
    /** The recipient State the reminder or alert is about. */
    state: Type.String({ maxLength: 3 }),
    userId: Type.String({ maxLength: 36 }),
  },
  { additionalProperties: false },
);
export type MessageNotice = Static<typeof Payload>;

/** One account to tell about a message. */
export interface NoticeRecipient {
  userId: string;
  state: string;
}

/**
 * Who hears of a message: for each State taking part other than the author's, the accounts that may
 * read it: a recipient State's addressed POCs (for TLP:RED, the named ones only), the sending
 * State's author of the thread and of its messages.
 */
export async function noticeRecipients(trx: Kysely<Database>, thread: MessageThreadTable, message: Pick<MessageTable, 'author_state'>): Promise<NoticeRecipient[]> {
  const parties = await trx.selectFrom('thread_party').select(['state_iso3', 'role', 'addressed']).where('thread_id', '=', thread.id).execute();
  const out = new Map<string, NoticeRecipient>();
  for (const p of parties) {
    if (p.state_iso3 === message.author_state) continue;
    // Hidden co-recipients: a recipient's reply goes to the sending State only.
    if (thread.hide_recipients === 1 && message.author_state !== thread.from_state && p.role === 'recipient') continue;
    let users: string[];
    if (p.role === 'recipient') {
      users = (await addressedPocs(trx, p.state_iso3, p.addressed)).map((r) => r.user_id);
    } else {
      const authors = await trx.selectFrom('message').select('author_id').where('thread_id', '=', thread.id).where('author_state', '=', p.state_iso3).execute();
      users = [thread.created_by, ...authors.map((a) => a.author_id)].filter((u): u is string => u !== null);
    }
    for (const userId of users) out.set(userId, { userId, state: p.state_iso3 });
  }
  return [...out.values()];
}

/** The active entries a recipient State's part addresses (`{ kind }`, `{ pocs: [ids] }` or all). */
export async function addressedPocs(db: Kysely<Database>, state: string, addressed: string): Promise<{ id: string; user_id: string }[]> {
  const to = JSON.parse(addressed) as { kind?: 'diplomatic' | 'technical'; pocs?: string[] };
  let q = db.selectFrom('poc').select(['id', 'user_id']).where('state_iso3', '=', state).where('status', '=', 'active');
  if (to.pocs) q = q.where('id', 'in', to.pocs.length ? to.pocs : ['-']);
  else if (to.kind) q = q.where('kind', '=', to.kind);
  return q.execute();
}

/** One notice job per account, in the caller's transaction, so the message and its notices commit together. */
export async function enqueueMessageNotices(trx: Kysely<Database>, cadre: Cadre, thread: MessageThreadTable, message: Pick<MessageTable, 'id' | 'author_state'>, recipients: readonly NoticeRecipient[]): Promise<void> {
  for (const r of recipients) await enqueueMessageNotice(trx, cadre, { kind: 'message', threadId: thread.id, messageId: message.id, state: r.state, userId: r.userId }, `${message.id}:${r.userId}`);
}

/** Queues one notice, once per key; without SMTP nothing is sent. True when it is new. */
export async function enqueueMessageNotice(trx: Kysely<Database>, cadre: Cadre, notice: MessageNotice, key: string): Promise<boolean> {
  if (!cadre.config.smtpUrl) return false;
  return messageNoticeJob(cadre).enqueue(trx, notice, { idempotencyKey: `${MESSAGE_NOTICE_KIND}:${notice.kind}:${key}` });
}

interface Composed {
  subject: string;
  entity: MimeEntity;
}

export function messageNoticeJob(cadre: Cadre, mailer?: Mailer): JobDefinition<typeof Payload> {
  let transport = mailer;
  return defineJob({
    kind: MESSAGE_NOTICE_KIND,
    payload: Payload,
    maxAttempts: 8,
    async handler(p, ctx) {
      const composed = await composeMessageNotice(cadre, p);
      if (!composed) return;
      ctx.signal.throwIfAborted();
      transport ??= cadreMailer(cadre);
      const { baseUrl } = cadre.config;
      await transport.send(
        { to: composed.to, subject: composed.subject, mime: composed.entity, language: composed.language, messageId: `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${new URL(baseUrl).hostname}>` },
        ctx.signal,
      );
    },
  });
}

/** The mail for one notice, or null when there is nobody (any more) to send it to. */
async function composeMessageNotice(cadre: Cadre, p: MessageNotice): Promise<(Composed & { to: string; language: Language }) | null> {
  const db = cadre.database.db;
  const [user, thread] = await Promise.all([
    db.selectFrom('app_user').select(['email', 'status', 'locale', 'time_zone', 'state_iso3']).where('id', '=', p.userId).executeTakeFirst(),
    db.selectFrom('message_thread').selectAll().where('id', '=', p.threadId).executeTakeFirst(),
  ]);
  if (!user || user.status !== 'active' || !thread) return null;
  const message = p.messageId ? await db.selectFrom('message').selectAll().where('id', '=', p.messageId).executeTakeFirst() : undefined;
  if (p.kind === 'message' && !message) return null;
  const readerState = user.state_iso3 ?? p.state;
  const [party, recipientParty, entry, from, about] = await Promise.all([
    db.selectFrom('thread_party').selectAll().where('thread_id', '=', thread.id).where('state_iso3', '=', readerState).executeTakeFirst(),
    db.selectFrom('thread_party').selectAll().where('thread_id', '=', thread.id).where('state_iso3', '=', p.state).executeTakeFirst(),
    // The reader's own entry: its time zone, and its key if it published one (one with a key first).
    db.selectFrom('poc').select(['time_zone', 'pgp_key']).where('user_id', '=', p.userId).where('status', '=', 'active').orderBy('pgp_key', 'desc').executeTakeFirst(),
    // The State that wrote: the reply's author, or the thread's sender for a new thread.
    findState(db, message?.author_state ?? thread.from_state),
    findState(db, p.state),
  ]);
  const language: Language = isLanguage(user.locale) ? user.locale : DEFAULT_LANGUAGE;
  const t = translator(language);
  const { baseUrl } = cadre.config;
  // The reader's own setting first, then the time zone of their directory entry.
  const timeZone = user.time_zone ?? entry?.time_zone ?? 'UTC';
  const red = thread.tlp === 'RED' || message?.tlp === 'RED';
  const exercise = thread.exercise_id !== null;
  const values = {
    template: t(`messages.template.${message?.template ?? thread.template}`),
    state: from ? stateName(from, language) : (message?.author_state ?? thread.from_state),
    recipient: about ? stateName(about, language) : p.state,
    urgency: t(`messages.urgency.${thread.urgency}`),
    red: 'TLP:RED',
  };
  const link = `${baseUrl}/messages/${thread.id}${message ? `#m${message.seq}` : ''}`;
  const key = red ? `messages.notify.${p.kind}.red` : `messages.notify.${p.kind}`;
  let subject = t(`${key}.subject`, values);
  const lines = [t(`${key}.body`, values)];
  if (!red || p.kind !== 'message') {
    // Deadlines are UTC instants, shown in the reader's own time zone.
    const due = recipientParty?.role === 'recipient' && !recipientParty.acknowledged_at ? ['ack', thread.ack_deadline_at] : recipientParty?.role === 'recipient' && !recipientParty.answered_at ? ['response', thread.response_deadline_at] : null;
    if (due && thread.status !== 'closed') lines.push(t(`messages.notify.deadline.${due[0]}`, { deadline: formatInstant(due[1]!, language, timeZone) }));
    if (party?.own_reference) lines.push(t('messages.notify.reference', { reference: party.own_reference }));
  }
  if (exercise) {
    subject = `${t('messages.notify.exercise')} — ${subject}`;
    lines.unshift(t('messages.notify.exercise.body'));
  }
  const signingKey = await loadSigningKey(db, cadre.config);
  const notice = composeNotice({ language, subject, body: lines.join('\n'), action: t('messages.notify.action'), link, site: baseUrl });
  if (p.kind === 'message' && message && !red && entry?.pgp_key) {
    const fields = JSON.parse(decryptContent(cadre.config.contentKey, message.content, `message:${message.id}`)) as Record<string, unknown>;
    // The files stay on Cadre: the mail says how many, and the link leads to them.
    const files = await countAttachments(db, message.id);
    const text = [
      notice.text.trimEnd(),
      '',
      '',
      ...(exercise ? [t('messages.notify.exercise.body'), ''] : []),
      t('messages.notify.content', { template: t(`messages.template.${message.template}`) }),
      '',
      renderFields(t, language, message.template, fields),
      ...(files > 0 ? ['', t('messages.notify.files', { count: files })] : []),
      '',
    ].join('\n');
    return { to: user.email, language, subject, entity: await pgpMimeEncrypted({ text, recipientsArmored: [entry.pgp_key], signingKey }) };
  }
  return { to: user.email, language, subject, entity: await pgpMimeSigned(notice.text, signingKey) };
}

/** The template's fields as plain text, labelled in the reader's language; free text as written. */
export function renderFields(t: Translate, language: Language, template: string, fields: Record<string, unknown>): string {
  if (!isTemplateId(template)) return '';
  const blocks: string[] = [];
  for (const { field } of templateById(template).fields) {
    const value = fields[field.name];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    blocks.push(`${t(`messages.field.${field.name}`)}${t('messages.notify.separator')}${fieldText(t, language, field, value)}`);
  }
  return blocks.join('\n\n');
}

function fieldText(t: Translate, language: Language, field: FieldDefinition, value: unknown): string {
  switch (field.type) {
    case 'datetime': {
      const v = value as { instant: string; timeZone: string };
      return `${formatInstant(v.instant, language, v.timeZone)} (${v.timeZone})`;
    }
    case 'multichoice':
      return (value as string[]).map((x) => t(`messages.${field.name}.${x}`)).join(', ');
    case 'choice':
      return field.name === 'tlp' ? `TLP:${String(value)}` : t(`messages.${field.name}.${String(value)}`);
    case 'indicators':
      return (value as { type: string; value: string }[]).map((i) => `\n  ${i.type} ${i.value}`).join('');
    case 'longtext':
      return `\n${String(value)}`;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
