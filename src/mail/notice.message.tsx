import { renderToString } from 'preact-render-to-string';
import { direction, translator, type Language } from '../web/i18n.ts';

export interface NoticeFacts {
  language: Language;
  subject: string;
  body: string;
  /** The line before the link: where to act. */
  action: string;
  link: string;
  /** BASE_URL, named in the footer. */
  site: string;
}

export interface ComposedNotice {
  subject: string;
  text: string;
  html: string;
}

/** A short notice: greeting, what happened, where to act (a link), footer; plain text and the same as simple HTML. */
export function composeNotice(f: NoticeFacts): ComposedNotice {
  const t = translator(f.language);
  const greeting = t('mail.greeting');
  const footer = t('mail.footer', { site: f.site });
  const text = [greeting, '', f.body, '', f.action, f.link, '', '-- ', footer, ''].join('\n');
  const html = `<!doctype html>${renderToString(
    <html lang={f.language} dir={direction(f.language)}>
      <head>
        <meta charset="utf-8" />
        <title>{f.subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
        <p>{greeting}</p>
        <p>{f.body}</p>
        <p>{f.action}</p>
        <p>
          <a href={f.link} dir="ltr">
            {f.link}
          </a>
        </p>
        <p style="color: #555; font-size: 0.9em">{footer}</p>
      </body>
    </html>,
  )}`;
  return { subject: f.subject, text, html };
}
