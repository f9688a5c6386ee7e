import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateTable } from '../db/schema.ts';
import { direction, LANGUAGES, translator } from '../web/i18n.ts';
import { composeInvitationMail, type InvitationFacts } from './invitation.message.tsx';

const france: StateTable = {
  iso3: 'FRA', iso2: 'FR', m49: '250', regional_group: 'WEOG', note: null,
  name_ar: 'فرنسا', name_zh: '法国', name_en: 'France', name_fr: 'France', name_ru: 'Франция', name_es: 'Francia',
};
// Markup in data must reach the HTML as text.
const tricky: StateTable = { ...france, iso3: 'XXX', name_ar: '<b>x</b>', name_zh: '<b>x</b>', name_en: '<b>x</b>', name_fr: '<b>x</b>', name_ru: '<b>x</b>', name_es: '<b>x</b>' };
const link = 'https://cadre.example.org/enrol/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const inviters: InvitationFacts['inviter'][] = ['operator', null, { role: 'secretariat', state: null }, { role: 'state-admin', state: france }];

test('every language, purpose and kind of inviter gives a complete message: subject, link, expiry, no stray placeholder', () => {
  for (const language of LANGUAGES) {
    const t = translator(language);
    for (const purpose of ['enrol', 'reset'] as const) {
      for (const inviter of inviters) {
        const mail = composeInvitationMail({ purpose, language, link, expiresAt: '2026-11-28T13:41:00.000Z', inviter, invitee: { role: 'poc', state: france }, site: 'https://cadre.example.org' });
        const where = `${language} ${purpose} ${JSON.stringify(inviter)}`;
        assert.equal(mail.subject, t(purpose === 'reset' ? 'mail.reset.subject' : 'mail.invitation.subject'), where);
        assert.ok(mail.text.includes(`\n${link}\n`), `${where}: the link on a line of its own`);
        assert.ok(mail.html.includes(`href="${link}"`), where);
        assert.match(mail.text, /2026/, `${where}: the expiry date`);
        assert.ok(mail.text.includes(france[`name_${language}`]), `${where}: the State`);
        assert.doesNotMatch(mail.text + mail.html, /[{}]|mail\.|users\./, `${where}: a placeholder or key left`);
        assert.ok(mail.html.startsWith(`<!doctype html><html lang="${language}" dir="${direction(language)}">`), where);
        if (inviter === null) assert.ok(!mail.text.includes(t('mail.byOperator', { purpose })), where);
      }
    }
  }
});

test('the HTML escapes what it is given', () => {
  const mail = composeInvitationMail({ purpose: 'enrol', language: 'en', link, expiresAt: '2026-11-28T13:41:00.000Z', inviter: { role: 'state-admin', state: tricky }, invitee: { role: 'poc', state: tricky }, site: 'https://cadre.example.org/?a=1&b=2' });
  assert.ok(!mail.html.includes('<b>'));
  assert.ok(mail.html.includes('&lt;b>x&lt;/b>') || mail.html.includes('&lt;b&gt;x&lt;/b&gt;'));
  assert.ok(mail.html.includes('a=1&amp;b=2'));
  assert.ok(mail.text.includes('Invited by: State administrator, <b>x</b>'), 'plain text stays plain');
});
