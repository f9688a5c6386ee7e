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
