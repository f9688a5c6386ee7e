import { parseArgs } from 'node:util';
import { CadreError } from '../errors.ts';
import { isLanguage, LANGUAGES, translator } from '../web/i18n.ts';
import { inviteUser, OPERATOR } from '../modules/users/user.service.ts';
import type { Command } from './main.ts';

export const userAddCommand: Command = {
  name: 'user add',
  usage: 'user add --email E --role R [--state ISO3] [--organisation ID] [--name NAME] [--lang L] [--print-link]',
  summary: 'Create an account; e-mail its single-use enrolment link (with SMTP_URL), else print it',
  async run({ args, config, io, open }) {
    const { values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        state: { type: 'string' },
        organisation: { type: 'string' },
        name: { type: 'string' },
        lang: { type: 'string' },
        'print-link': { type: 'boolean' },
      },
      strict: true,
    });
    if (!values.email || !values.role) {
      io.err('cadre user add: --email and --role are required (roles: secretariat, state-admin, poc, regional-org, stakeholder)');
      return 2;
    }
    const language = values.lang ?? 'en';
    if (!isLanguage(language)) {
      io.err(`cadre user add: --lang takes one of ${LANGUAGES.join(', ')}`);
      return 2;
    }
    const database = await open();
    try {
      const inv = await inviteUser(
        { database, config },
        OPERATOR,
        { email: values.email, role: values.role, state: values.state, organisation: values.organisation, displayName: values.name },
        { language, delivery: values['print-link'] ? 'link' : 'auto' },
      );
      io.out(`Created ${inv.user.role} ${inv.user.email}${inv.user.state_iso3 ? ` (${inv.user.state_iso3})` : ''}.`);
      if (inv.mailed) {
        // The job waits in the database; the worker of `cadre serve` sends it, now or when it next runs.
        io.out(`Its single-use enrolment link, valid until ${inv.expiresAt}, is queued to be e-mailed to ${inv.user.email} by the server (cadre serve).`);
      } else {
        io.out(`Single-use enrolment link, valid until ${inv.expiresAt}:`);
        io.out(inv.link);
      }
      return 0;
    } catch (e) {
      if (!(e instanceof CadreError)) throw e;
      io.err(`cadre user add: ${e.field ? `--${e.field}: ` : ''}${translator('en')(e.messageKey, e.values)}`);
      return 2;
    } finally {
      await database.close();
    }
  },
};
