// Test support for the directory tests (not a test file itself).
import type { PocInput } from './poc.input.ts';

/** A complete, valid nomination as the API takes it. */
export function pocBody(overrides: Partial<PocInput> = {}): PocInput {
  return {
    kind: 'technical',
    rank: 'primary',
    name: 'Claire Dubois',
    title: 'Cheffe du CERT',
    organisation: 'ANSSI',
    emails: ['claire.dubois@cert.example.fr'],
    phones: [{ number: '+33 1 53 59 50 00', label: 'office' }],
    languages: ['fr', 'en'],
    timeZone: 'Europe/Paris',
    availability: '24/7',
    notes: '',
    nominationRef: 'NV/2026/123',
    nominationDate: '2026-11-20',
    ...overrides,
  };
}

/** The same nomination as the page's form posts it. */
export function pocForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'technical',
    rank: 'primary',
    name: 'Claire Dubois',
    title: 'Cheffe du CERT',
    organisation: 'ANSSI',
    emails: 'claire.dubois@cert.example.fr',
    otherEmails: '',
    phone_0: '+33 1 53 59 50 00',
    phoneLabel_0: 'office',
    phone_1: '',
    phoneLabel_1: 'mobile',
    phone_2: '',
    phoneLabel_2: 'office',
    lang_fr: 'on',
    lang_en: 'on',
    otherLanguages: '',
    timeZone: 'Europe/Paris',
    availabilityMode: 'always',
    pgpKey: '',
    notes: '',
    nominationRef: 'NV/2026/123',
    nominationDate: '2026-11-20',
    ...overrides,
  };
}
