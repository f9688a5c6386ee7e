import { composeNotice, type ComposedNotice } from '../../../mail/notice.message.tsx';
import { translator, type Language } from '../../../web/i18n.ts';

/** The directory's e-mails: each says what happened and where to act, and nothing about anyone else. */
export const DIRECTORY_MAIL_KINDS = ['verify', 'changed', 'removed', 'due', 'lapsed', 'pgp', 'chase', 'submitted'] as const;
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

export function composeDirectoryMail(facts: DirectoryMailFacts): ComposedNotice {
  const t = translator(facts.language);
  const key = `mail.directory.${facts.kind}`;
  return composeNotice({
    language: facts.language,
    subject: t(`${key}.subject`, facts.values),
    body: t(`${key}.body`, facts.values),
    action: t(`${key}.action`, facts.values),
    link: facts.link,
    site: facts.site,
  });
}
