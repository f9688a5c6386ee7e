import { LANGUAGES } from '../../../web/i18n.ts';
import type { PocInput } from './poc.input.ts';
import { PHONE_ROWS, type PocFormValues } from './poc-form.view.tsx';
import { WEEKDAYS, type Availability, type PocEntry, type TimeSpan, type Weekday } from './types.ts';

const split = (s: string | undefined) => (s ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

/** The posted form as the service's input. */
export function pocInputFromForm(v: PocFormValues): PocInput {
  const languages = [...LANGUAGES.filter((l) => v[`lang_${l}`] === 'on'), ...split(v.otherLanguages)];
  const phones = Array.from({ length: PHONE_ROWS }, (_, i) => ({ number: v[`phone_${i}`] ?? '', label: v[`phoneLabel_${i}`] ?? 'office' }));
  let availability: Availability | string = { always: true };
  if (v.availabilityMode === 'hours') {
    const hours: Partial<Record<Weekday, TimeSpan[]>> = {};
    for (const d of WEEKDAYS) {
      const from = (v[`from_${d}`] ?? '').trim();
      const to = (v[`to_${d}`] ?? '').trim();
      if (from || to) hours[d] = [{ from, to: to === '00:00' ? '24:00' : to }];
    }
    availability = { always: false, hours };
  }
  return {
    kind: v.kind ?? '',
    rank: v.rank ?? '',
    name: v.name ?? '',
    title: v.title,
    organisation: v.organisation,
    emails: [v.emails ?? '', ...split(v.otherEmails)],
    phones,
    languages,
    timeZone: v.timeZone ?? '',
    availability,
    pgpKey: v.pgpKey,
    notes: v.notes,
    nominationRef: v.nominationRef ?? '',
    nominationDate: v.nominationDate ?? '',
  };
}

/** An entry as the edit form's starting values; `addresses` are the ones wanted (in use or awaiting verification). */
export function formValuesFromEntry(e: PocEntry, addresses: string[]): PocFormValues {
  const v: PocFormValues = {
    kind: e.kind,
    rank: e.rank,
    name: e.name,
    title: e.title,
    organisation: e.organisation,
    emails: addresses[0] ?? '',
    otherEmails: addresses.slice(1).join('\n'),
    timeZone: e.timeZone,
    pgpKey: e.pgpKey ?? '',
    notes: e.notes,
    availabilityMode: e.availability.always ? 'always' : 'hours',
  };
  e.phones.slice(0, PHONE_ROWS).forEach((p, i) => {
    v[`phone_${i}`] = p.number;
    v[`phoneLabel_${i}`] = p.label;
  });
  const others: string[] = [];
  for (const l of e.languages) {
    if ((LANGUAGES as readonly string[]).includes(l)) v[`lang_${l}`] = 'on';
    else others.push(l);
  }
  v.otherLanguages = others.join(', ');
  if (!e.availability.always) {
    for (const d of WEEKDAYS) {
      const span = e.availability.hours[d]?.[0];
      if (span) {
        v[`from_${d}`] = span.from;
        v[`to_${d}`] = span.to === '24:00' ? '00:00' : span.to;
      }
    }
  }
  return v;
}
