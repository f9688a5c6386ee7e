import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLDR_TO_IANA,
  CONTACT_ERROR_CODES,
  checkEmail,
  checkLanguages,
  checkPhone,
  checkPhones,
  checkTimeZone,
  languageName,
} from './contact.ts';

test('checkEmail trims and lower-cases a plain address, IDN domains included', () => {
  assert.deepEqual(checkEmail('  Jane.Doe@Diplomatie.Gouv.FR '), { ok: true, value: 'jane.doe@diplomatie.gouv.fr' });
  assert.deepEqual(checkEmail('poc+cert@bücher.de'), { ok: true, value: 'poc+cert@bücher.de' });
  assert.deepEqual(checkEmail('контакт@пример.рф'), { ok: true, value: 'контакт@пример.рф' });
});

test('checkEmail refuses what is not one plausible address', () => {
  for (const bad of [
    '',
    'jane',
    'jane@',
    '@example.org',
    'jane@localhost',
    'Jane Doe <jane@example.org>',
    'jane doe@example.org',
    'jane@exa mple.org',
    'a@example.org, b@example.org',
    'a@b@example.org',
    'jane..doe@example.org',
    '.jane@example.org',
    'jane@-example.org',
    'jane@example..org',
    'jane@[192.0.2.1]',
    'jane@192.0.2.1',
    'jane@xn--zz.org',
  ]) {
    assert.deepEqual(checkEmail(bad), { ok: false, code: 'directory.invalidEmail' }, bad);
  }
});

test('checkEmail: 254 characters pass, 255 do not', () => {
  const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.org`; // 195 characters
  const at254 = `${'l'.repeat(58)}@${domain}`;
  assert.equal(at254.length, 254);
  assert.equal(checkEmail(at254).ok, true);
  assert.deepEqual(checkEmail(`l${at254}`), { ok: false, code: 'directory.emailTooLong' });
});

test('checkPhone gives E.164 for international numbers and national ones with a default country', () => {
  assert.deepEqual(checkPhone('+33 1 53 59 50 00'), { ok: true, value: '+33153595000' });
  assert.deepEqual(checkPhone('+1 (212) 963-1234'), { ok: true, value: '+12129631234' });
  assert.deepEqual(checkPhone('01 53 59 50 00', 'FR'), { ok: true, value: '+33153595000' });
  assert.deepEqual(checkPhone('(212) 963-1234', 'us'), { ok: true, value: '+12129631234' });
});

test('checkPhone refuses invalid numbers, stray words and extensions', () => {
  for (const bad of ['+33 12', '+999 123', '', 'call me', '01 53 59 50 00', '+33 1 53 59 50 00 (ask for Jane)']) {
    assert.deepEqual(checkPhone(bad), { ok: false, code: 'directory.invalidPhone' }, bad);
  }
  assert.deepEqual(checkPhone('12', 'FR'), { ok: false, code: 'directory.invalidPhone' });
  assert.deepEqual(checkPhone('+33 1 53 59 50 00 ext. 12'), { ok: false, code: 'directory.phoneExtension' });
  assert.throws(() => checkPhone('01 53 59 50 00', 'XX'), RangeError);
});

test('checkPhones reports each bad row by index', () => {
  assert.deepEqual(
    checkPhones(
      [
        { number: '01 53 59 50 00', label: 'office' },
        { number: '+33 12', label: 'mobile' },
        { number: '+33153595000', label: 'hotline' },
        { number: '+1 212 963 1234', label: 'pager' },
      ],
      'FR',
    ),
    {
      ok: false,
      errors: [
        { index: 1, code: 'directory.invalidPhone' },
        { index: 2, code: 'directory.duplicatePhone' },
        { index: 3, code: 'directory.invalidPhoneLabel' },
      ],
    },
  );
  assert.deepEqual(
    checkPhones([
      { number: '+33 1 53 59 50 00', label: 'office' },
      { number: '+1 (212) 963-1234', label: 'fax' },
    ]),
    { ok: true, value: [{ number: '+33153595000', label: 'office' }, { number: '+12129631234', label: 'fax' }] },
  );
  assert.deepEqual(checkPhones([]), { ok: true, value: [] });
});

test('checkTimeZone accepts IANA zones and aliases, canonicalised to current IANA names', () => {
  const cases: [string, string][] = [
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/paris', 'Europe/Paris'],
    [' UTC ', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Pacific/Kiritimati', 'Pacific/Kiritimati'],
    ['Etc/GMT-14', 'Etc/GMT-14'],
  ];
  for (const [input, canonical] of cases) assert.deepEqual(checkTimeZone(input), { ok: true, value: canonical }, input);
  for (const zone of Intl.supportedValuesOf('timeZone')) assert.equal(checkTimeZone(zone).ok, true, zone);
});

test('every CLDR-to-IANA entry is a rename ICU really resolves the old way', () => {
  for (const [cldr, iana] of Object.entries(CLDR_TO_IANA)) {
    assert.equal(new Intl.DateTimeFormat('en', { timeZone: iana }).resolvedOptions().timeZone, cldr, iana);
    assert.deepEqual(checkTimeZone(iana), { ok: true, value: iana });
  }
});

test('checkTimeZone refuses unknown zones and offsets', () => {
  for (const bad of ['Mars/Olympus', '', 'GMT+25', '+05:00', 'UTC+1', 'Europe/', 'Paris']) {
    assert.deepEqual(checkTimeZone(bad), { ok: false, code: 'directory.invalidTimeZone' }, bad);
  }
});

test('checkLanguages lower-cases, deduplicates in order, maps withdrawn codes', () => {
  assert.deepEqual(checkLanguages(['FR', 'ar', 'zh', 'sw', 'fr', ' En ']), { ok: true, value: ['fr', 'ar', 'zh', 'sw', 'en'] });
  assert.deepEqual(checkLanguages(['iw', 'he', 'tl']), { ok: true, value: ['he', 'tl'] });
});

test('checkLanguages refuses unknown codes and names the culprit', () => {
  assert.deepEqual(checkLanguages(['fr', 'xx']), { ok: false, code: 'directory.unknownLanguage', subject: 'xx' });
  assert.deepEqual(checkLanguages(['qq']), { ok: false, code: 'directory.unknownLanguage', subject: 'qq' });
  assert.deepEqual(checkLanguages(['fra']), { ok: false, code: 'directory.unknownLanguage', subject: 'fra' });
  assert.deepEqual(checkLanguages(['fr-CA']), { ok: false, code: 'directory.unknownLanguage', subject: 'fr-CA' });
  assert.deepEqual(checkLanguages([]), { ok: false, code: 'directory.languagesRequired' });
});

test('languageName names a language in the reader’s language', () => {
  assert.equal(languageName('fr', 'en'), 'French');
  assert.equal(languageName('ar', 'fr'), 'arabe');
  assert.equal(languageName('zh', 'ru'), 'китайский');
  assert.equal(languageName('es', 'es'), 'español');
});

test('every code used is listed once', () => {
  assert.equal(new Set(CONTACT_ERROR_CODES).size, CONTACT_ERROR_CODES.length);
  for (const code of CONTACT_ERROR_CODES) assert.match(code, /^directory\.[a-zA-Z]+$/);
});
