import { renderToString } from 'preact-render-to-string';
import type { Role, StateTable } from '../db/schema.ts';
import { stateName } from '../modules/directory/state.names.ts';
import { formatInstant } from '../web/format.ts';
import { direction, translator, type Language } from '../web/i18n.ts';

/** Who holds a role, and for which State (null for the Secretariat and stakeholders). */
export interface RoleHolder {
  role: Role;
  state: StateTable | null;
}

export interface InvitationFacts {
  purpose: 'enrol' | 'reset';
  language: Language;
  link: string;
  expiresAt: string;
  /**
   * Named by role and State only: the invitee learns who acted, never that person's address.
   * 'operator': the command line; null: the account is gone, and the line is left out.
   */
  inviter: RoleHolder | 'operator' | null;
  invitee: RoleHolder;
  /** BASE_URL, named in the footer. */
  site: string;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The invitation (or reset) e-mail in one of the six languages: plain text, and the same words as
 * simple HTML, which Preact escapes. It holds the link, its expiry, the inviter's role and State,
 * and the invitee's own role; nothing else about anyone.
 */
export function composeInvitationMail(facts: InvitationFacts): ComposedMail {
  const lang = facts.language;
  const t = translator(lang);
  const roleLine = (key: string, holder: RoleHolder, extra: Record<string, string> = {}) =>
    holder.state
      ? t(`${key}InState`, { ...extra, role: t(`role.${holder.role}`), state: stateName(holder.state, lang) })
      : t(key, { ...extra, role: t(`role.${holder.role}`) });
  const purpose = facts.purpose;
  const subject = t(purpose === 'reset' ? 'mail.reset.subject' : 'mail.invitation.subject');
  const intro = t(purpose === 'reset' ? 'mail.reset.intro' : 'mail.invitation.intro');
  const by = facts.inviter === 'operator' ? t('mail.byOperator', { purpose }) : facts.inviter ? roleLine('mail.by', facts.inviter, { purpose }) : null;
  const yourRole = roleLine('mail.yourRole', facts.invitee);
  const linkIntro = t('mail.linkIntro', { until: formatInstant(facts.expiresAt, lang) });
  const greeting = t('mail.greeting');
  const ignore = t('mail.ignore');
  const footer = t('mail.footer', { site: facts.site });

  const text = [greeting, '', intro, '', ...(by ? [by] : []), yourRole, '', linkIntro, facts.link, '', ignore, '', '-- ', footer, ''].join('\n');
  const html = `<!doctype html>${renderToString(
    <html lang={lang} dir={direction(lang)}>
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
        <p>{greeting}</p>
        <p>{intro}</p>
        <p>
          {by && (
            <>
              {by}
              <br />
            </>
          )}
          {yourRole}
        </p>
        <p>{linkIntro}</p>
        <p>
          <a href={facts.link} dir="ltr">
            {facts.link}
          </a>
        </p>
        <p>{ignore}</p>
        <p style="color: #555; font-size: 0.9em">{footer}</p>
      </body>
    </html>,
  )}`;
  return { subject, text, html };
}
