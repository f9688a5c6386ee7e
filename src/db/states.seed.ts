import countries from 'i18n-iso-countries';
import type { Kysely } from 'kysely';
import type { Database, StateTable } from './schema.ts';
import memberStates from './reference/un-member-states.json' with { type: 'json' };

export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type UnLanguage = (typeof UN_LANGUAGES)[number];

interface MemberStateFact {
  iso3: string;
  iso2: string;
  m49: string;
  name: string;
  group: string;
  groupNote?: string;
  nameNote?: string;
}

/** The 193 Member States as rows: English name as the UN writes it, the other five from i18n-iso-countries. */
export function memberStateRows(): StateTable[] {
  return (memberStates as MemberStateFact[]).map((s) => {
    const name = (lang: UnLanguage): string => {
      if (lang === 'en') return s.name;
      const n = countries.getName(s.iso2, lang, { select: 'official' });
      if (!n) throw new Error(`no ${lang} name for ${s.iso3}`);
      return n;
    };
    return {
      iso3: s.iso3,
      iso2: s.iso2,
      m49: s.m49,
      regional_group: s.group,
      name_ar: name('ar'),
      name_zh: name('zh'),
      name_en: s.name,
      name_fr: name('fr'),
      name_ru: name('ru'),
      name_es: name('es'),
      note: s.groupNote ?? s.nameNote ?? null,
    };
  });
}

/** Inserts missing States and refreshes names and groups of existing ones; returns the count. */
export async function syncStates(db: Kysely<Database>): Promise<number> {
  const rows = memberStateRows();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 50) {
      await trx
        .insertInto('state')
        .values(rows.slice(i, i + 50))
        .onConflict((oc) =>
          oc.column('iso3').doUpdateSet((eb) => ({
            iso2: eb.ref('excluded.iso2'),
            m49: eb.ref('excluded.m49'),
            regional_group: eb.ref('excluded.regional_group'),
            name_ar: eb.ref('excluded.name_ar'),
            name_zh: eb.ref('excluded.name_zh'),
            name_en: eb.ref('excluded.name_en'),
            name_fr: eb.ref('excluded.name_fr'),
            name_ru: eb.ref('excluded.name_ru'),
            name_es: eb.ref('excluded.name_es'),
            note: eb.ref('excluded.note'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}
