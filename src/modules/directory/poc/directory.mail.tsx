import { renderToString } from 'preact-render-to-string';
import { direction, translator, type Language } from '../../../web/i18n.ts';

/** The directory's e-mails: each says what happened and where to act, and nothing about anyone else. */
export const DIRECTORY_MAIL_KINDS = ['verify', 'changed', 'due', 'lapsed', 'pgp', 'chase'] as const;
export type DirectoryMailKind = (typeof DIRECTORY_MAIL_KINDS)[number];

export interface DirectoryMailFacts {
  kind: DirectoryMailKind;
  language: Language;
  /** Where to act: the verification page, the entry, the nomination form. */
  link: string;
  /** Shown in the body where the kind needs it (a date, a State's name). */
  values: Record<string, string>;
  site: string;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export function composeDirectoryMail(facts: DirectoryMailFacts): ComposedMail {
  const t = translator(facts.language);
  const key = `mail.directory.${facts.kind}`;
  const subject = t(`${key}.subject`, facts.values);
  const body = t(`${key}.body`, facts.values);
  const action = t(`${key}.action`, facts.values);
  const greeting = t('mail.greeting');
  const footer = t('mail.footer', { site: facts.site });
  const text = [greeting, '', body, '', action, facts.link, '', '-- ', footer, ''].join('\n');
  const html = `<!doctype html>${renderToString(
    <html lang={facts.language} dir={direction(facts.language)}>
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
        <p>{greeting}</p>
        <p>{body}</p>
        <p>{action}</p>
        <p>
          <a href={facts.link} dir="ltr">
            {facts.link}
          </a>
        </p>
        <p style="color: #555; font-size: 0.9em">{footer}</p>
      </body>
    </html>,
  )}`;
  return { subject, text, html };
}
