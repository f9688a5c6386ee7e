// A point of contact as a vCard 4.0 (RFC 6350), for address books.

import type { Phone, PocEntry } from '../types.ts';

const CRLF = '\r\n';
/** RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_LINE_OCTETS = 75;

/** RFC 6350 §3.4: backslash, comma, semicolon and line breaks are escaped in text values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 6350 §3.2: folds a content line at 75 octets of UTF-8, never inside a character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // A continuation line starts with one space, which counts towards its 75 octets.
    const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

const TEL_TYPES: Record<Phone['label'], string> = {
  office: 'work,voice',
  mobile: 'work,cell',
  hotline: 'work,voice',
  fax: 'work,fax',
};

function telLines(phones: readonly Phone[]): string[] {
  // The hotline is the number to call first (the first one, if a State gives several).
  const preferred = phones.findIndex((p) => p.label === 'hotline');
  return phones.map((p, i) => `TEL;VALUE=uri;${i === preferred ? 'PREF=1;' : ''}TYPE=${TEL_TYPES[p.label]}:tel:${p.number}`);
}

/** '2026-11-25T16:24:21.000Z' → '20261125T162421Z' (RFC 6350 §4.3.5 timestamp). */
function timestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * One vCard for one entry. Only FN carries the name: the directory keeps a name as written, without family
 * and given parts, and N is optional in vCard 4.0. ORG is the organisation, then the nominating State's name.
 */
export function toVCard(entry: PocEntry, stateName: string): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', 'PRODID:-//Cadre//Points of Contact directory//EN', 'KIND:individual'];
  lines.push(`FN:${escapeText(entry.name)}`);
  if (entry.title) lines.push(`TITLE:${escapeText(entry.title)}`);
  lines.push(`ORG:${escapeText(entry.organisation)};${escapeText(stateName)}`);
  entry.emails.forEach((email, i) => lines.push(`EMAIL${i === 0 ? ';PREF=1' : ''}:${escapeText(email)}`));
  lines.push(...telLines(entry.phones));
  entry.languages.forEach((lang, i) => lines.push(`LANG;PREF=${i + 1}:${lang}`));
  if (entry.timeZone) lines.push(`TZ;VALUE=text:${escapeText(entry.timeZone)}`);
  if (entry.pgpKey) {
    const data = Buffer.from(entry.pgpKey, 'utf8').toString('base64');
    lines.push(`KEY;MEDIATYPE=application/pgp-keys:data:application/pgp-keys;base64,${data}`);
  }
  if (entry.notes) lines.push(`NOTE:${escapeText(entry.notes)}`);
  lines.push(`CATEGORIES:${entry.kind},${entry.rank}`);
  lines.push(`UID:urn:uuid:${entry.id}`);
  lines.push(`REV:${timestamp(entry.updatedAt)}`);
  lines.push('END:VCARD');
  return lines.map((line) => foldLine(line) + CRLF).join('');
}

/** Several entries as one .vcf file. */
export function toVCards(entries: readonly PocEntry[], stateNameOf: (state: string) => string): string {
  return entries.map((entry) => toVCard(entry, stateNameOf(entry.state))).join('');
}
