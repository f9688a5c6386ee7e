import { renderToString } from 'preact-render-to-string';
import { formatInstant } from '../../web/format.ts';
import { direction, translator, type Language } from '../../web/i18n.ts';

export interface CheckMailFacts {
  language: Language;
  mode: 'routine' | 'exercise';
  link: string;
  deadline: string;
  /** The POC's time zone (IANA), in which the deadline is written; UTC when absent. */
  timeZone?: string;
  /** True when replying to the e-mail acknowledges too (an inbound server is configured). */
  byReply: boolean;
  site: string;
  /** A reminder to a POC that has not answered yet. */
  reminder?: boolean;
}

/** The check itself: what it is, the one thing to do, by when; nothing about anyone. */
export function composeCheckMail(f: CheckMailFacts): { subject: string; text: string; html: string } {
  const t = translator(f.language);
  const subject = f.reminder ? t('checks.mail.reminderSubject', { subject: t(`checks.mail.subject.${f.mode}`) }) : t(`checks.mail.subject.${f.mode}`);
  const intro = t(`checks.mail.intro.${f.mode}`);
  const action = t('checks.mail.action', { deadline: formatInstant(f.deadline, f.language, f.timeZone) });
  const reply = f.byReply ? t('checks.mail.reply') : null;
  const footer = t('mail.footer', { site: f.site });
  const text = [t('mail.greeting'), '', intro, '', action, f.link, '', ...(reply ? [reply, ''] : []), '-- ', footer, ''].join('\n');
  const html = `<!doctype html>${renderToString(
    <html lang={f.language} dir={direction(f.language)}>
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
        <p>{t('mail.greeting')}</p>
        <p>{intro}</p>
        <p>{action}</p>
        <p>
          <a href={f.link} dir="ltr">
            {f.link}
          </a>
        </p>
        {reply && <p>{reply}</p>}
        <p style="color: #555; font-size: 0.9em">{footer}</p>
      </body>
    </html>,
  )}`;
  return { subject, text, html };
}
