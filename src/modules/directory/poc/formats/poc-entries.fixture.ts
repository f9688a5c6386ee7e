// Entries for the format tests: scripts of several UN languages, and the characters that break naive
// CSV, vCard and JSON writers (quotes, commas, semicolons, backslashes, line breaks, leading '=').

import type { PocEntry } from '../types.ts';

const base: PocEntry = {
  id: '0b7c2f52-3a4e-4f0e-9f55-0d1c2e3f4a5b',
  state: 'FRA',
  kind: 'diplomatic',
  rank: 'primary',
  name: 'Jeanne d’Arc-Dupont',
  title: 'Conseillère « cyber », sous-direction',
  organisation: 'Ministère de l’Europe et des Affaires étrangères',
  emails: ['pdc.cyber@diplomatie.gouv.fr', 'cyber.astreinte@diplomatie.gouv.fr'],
  phones: [
    { number: '+33153595000', label: 'office' },
    { number: '+33612345678', label: 'mobile' },
  ],
  languages: ['fr', 'en'],
  timeZone: 'Europe/Paris',
  availability: { always: false, hours: { mon: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '12:00' }] } },
  pgpKey: null,
  pgpFingerprint: null,
  pgpExpiresAt: null,
  notes: 'Joindre "en priorité" par courriel; sinon, téléphone.\nSecond line, with a backslash \\ too.',
  status: 'active',
  confirmedUntil: '2027-06-30T00:00:00Z',
  nominationRef: 'Note verbale n° 2026-114',
  nominationDate: '2026-03-02',
  updatedAt: '2026-11-25T16:24:21.123Z',
};

export const french: PocEntry = base;

export const arabic: PocEntry = {
  ...base,
  id: '1c8d3063-4b5f-4010-a066-1e2d3f405b6c',
  state: 'EGY',
  kind: 'technical',
  rank: 'alternate',
  name: 'محمد بن عبد الله الفاسي',
  title: 'مدير الاستجابة لحوادث أمن المعلومات',
  organisation: 'المركز الوطني للاستجابة لطوارئ الحاسب الآلي، وزارة الاتصالات وتكنولوجيا المعلومات',
  emails: ['incident@egcert.example.eg'],
  phones: [{ number: '+20235341000', label: 'hotline' }],
  languages: ['ar', 'en', 'fr'],
  timeZone: 'Africa/Cairo',
  availability: { always: true },
  pgpKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZabc\n=AbCd\n-----END PGP PUBLIC KEY BLOCK-----\n',
  pgpFingerprint: '0123456789ABCDEF0123456789ABCDEF01234567',
  pgpExpiresAt: '2028-01-01T00:00:00Z',
  notes: '=HYPERLINK("http://evil.example","click"), then; more',
};

export const chinese: PocEntry = {
  ...base,
  id: '2d9e4174-5c60-4121-b177-2f3e40516c7d',
  state: 'CHN',
  kind: 'technical',
  rank: 'primary',
  name: '王小明𠀋',
  title: '网络安全应急响应中心主任',
  organisation: '国家计算机网络应急技术处理协调中心（国家互联网应急中心），网络安全事件应急处置部',
  emails: ['cncert@example.cn'],
  phones: [
    { number: '+861082990999', label: 'hotline' },
    { number: '+861082990900', label: 'fax' },
  ],
  languages: ['zh', 'en'],
  timeZone: 'Asia/Shanghai',
  availability: { always: false, hours: { sat: [{ from: '10:00', to: '12:00' }] } },
  notes: '',
};

export const allEntries: PocEntry[] = [french, arabic, chinese];
