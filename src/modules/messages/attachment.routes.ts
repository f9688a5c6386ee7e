import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { Problem } from '../../web/problem-schema.ts';
import type { App, Reply, Req } from '../../web/types.ts';
import { contentDisposition } from './attachments.ts';
import { messagePolicy } from './message.policy.ts';
import { readAttachment } from './message.service.ts';

const Params = Type.Object({ id: Type.String({ format: 'uuid' }), attachmentId: Type.String({ format: 'uuid' }) });

/**
 * A message's file, as a download only (never shown in a page of Cadre's origin): to the readers of
 * its message; to anyone else, like a file that does not exist.
 */
export async function attachmentRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('message', messagePolicy, 'read');
  const download = async (req: Req & { params: Static<typeof Params> }, res: Reply) => {
    const { listing, bytes } = await readAttachment(cadre, req.principal!, req.params.id, req.params.attachmentId);
    return res
      .type(listing.media_type.startsWith('text/') || listing.media_type === 'application/json' || listing.media_type === 'application/xml' ? `${listing.media_type}; charset=utf-8` : listing.media_type)
      .header('content-disposition', contentDisposition(listing.file_name))
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  };
  app.get<{ Params: Static<typeof Params> }>('/messages/:id/attachments/:attachmentId', { config: { policy: read }, schema: { params: Params } }, download);
  app.get<{ Params: Static<typeof Params> }>(
    '/api/v1/messages/:id/attachments/:attachmentId',
    { config: { policy: read }, schema: { tags: ['messages'], summary: 'A file attached to a message, for the readers of its thread', params: Params, response: { 404: Problem } } },
    download,
  );
}
