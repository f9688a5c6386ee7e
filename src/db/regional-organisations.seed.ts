import type { Kysely } from 'kysely';
import type { Database, RegionalMembershipTable } from './schema.ts';
import organisations from './reference/regional-organisations.json' with { type: 'json' };

interface OrganisationFact {
  id: string;
  name: string;
  asOf: string;
  members: string[];
  nonUnMembers?: string[];
  suspended?: string[];
  formerMembers?: string[];
  associateMembers?: string[];
  notes?: string;
  source?: string;
}

/** Membership rows from the reference facts: members (some suspended), associates, former members. */
export function membershipRows(o: OrganisationFact): RegionalMembershipTable[] {
  const rows = new Map<string, RegionalMembershipTable['status']>();
  for (const s of o.members) rows.set(s, (o.suspended ?? []).includes(s) ? 'suspended' : 'member');
  for (const s of o.associateMembers ?? []) rows.set(s, 'associate');
  for (const s of o.formerMembers ?? []) if (!rows.has(s)) rows.set(s, 'former');
  return [...rows].map(([state_iso3, status]) => ({ organisation_id: o.id, state_iso3, status }));
}

/** Brings the regional organisations and their members up to date with the reference facts. */
export async function syncRegionalOrganisations(db: Kysely<Database>): Promise<number> {
  const facts = organisations as OrganisationFact[];
  await db.transaction().execute(async (trx) => {
    for (const o of facts) {
      const row = {
        id: o.id,
        name_en: o.name,
        as_of: o.asOf,
        non_un_members: JSON.stringify(o.nonUnMembers ?? []),
        notes: o.notes ?? null,
        source: o.source ?? null,
      };
      await trx
        .insertInto('regional_organisation')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ name_en: row.name_en, as_of: row.as_of, non_un_members: row.non_un_members, notes: row.notes, source: row.source }))
        .execute();
      const wanted = membershipRows(o);
      const held = await trx.selectFrom('regional_membership').selectAll().where('organisation_id', '=', o.id).execute();
      const key = (r: RegionalMembershipTable) => `${r.state_iso3}:${r.status}`;
      const same = held.length === wanted.length && new Set(held.map(key)).size === new Set([...held, ...wanted].map(key)).size;
      if (same) continue; // nothing to write at an ordinary start
      await trx.deleteFrom('regional_membership').where('organisation_id', '=', o.id).execute();
      await trx.insertInto('regional_membership').values(wanted).execute();
    }
  });
  return facts.length;
}
