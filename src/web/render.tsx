import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';
import type { Reply } from './types.ts';

/** Sends a server-rendered page. Preact escapes every text and attribute value. */
export function sendPage(reply: Reply, page: VNode, status = 200): Reply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>${renderToString(page)}`);
}

/**
 * HTML rendered to be kept and sent again, as one flat string. renderToString answers with a rope of
 * many small pieces, and a kept rope would be walked again each time a page that includes it is
 * measured and sent (its UTF-8 is what is sent either way).
 */
export function renderKept(node: VNode): string {
  return Buffer.from(renderToString(node), 'utf8').toString('utf8');
}
