import { authorize } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import type { PocTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { organisationsOfState, replaceConsents } from './consent.repository.ts';
import { pocPolicy } from './poc.policy.ts';
import * as repo from './poc.repository.ts';
import { record, writeSubject, type WriteOptions } from './poc.service.ts';

/** The regional organisations an entry of this State may be shared with: those the State belongs to. */
export function consentChoices(cadre: Cadre, state: string): Promise<string[]> {
  return organisationsOfState(cadre.database.db, state);
}

/**
 * A State's admin chooses which regional organisations may receive an entry (A/77/275 annex,
 * para 16 a: regional directories fed from the global one, with the State's consent). Only
 * organisations the State belongs to may be chosen. The choice replaces the previous one; the entry
 * gets a new version, a revision and an audit event in the same transaction.
 */
export async function setConsents(cadre: Cadre, actor: Principal, pocId: string, organisationIds: readonly string[], options: WriteOptions = {}): Promise<PocTable> {
  const db = cadre.database.db;
  const current = await repo.findPoc(db, pocId);
  if (!current) throw new CadreError(404, 'directory.notFound');
  authorize('poc', pocPolicy, actor, 'consent', writeSubject(current));
  const wanted = [...new Set(organisationIds.map((o) => o.trim().toUpperCase()).filter(Boolean))].sort();
  const allowed = new Set(await organisationsOfState(db, current.state_iso3));
  const refused = wanted.filter((o) => !allowed.has(o));
  if (refused.length > 0) throw new CadreError(400, 'directory.consent.notMember', { organisations: refused.join(', ') }, 'organisations');
  const now = cadreNow(cadre);
  return db.transaction().execute(async (trx) => {
    const fresh = await repo.findPoc(trx, pocId);
    if (!fresh || fresh.version !== current.version) throw new CadreError(409, 'directory.changedMeanwhile');
    const at = now.toISOString();
    await replaceConsents(trx, pocId, wanted, at, actor.userId);
    const entry: PocTable = { ...current, version: current.version + 1, updated_at: at };
    await repo.updatePocRow(trx, pocId, { version: entry.version, updated_at: at });
    await record(trx, cadre, actor, entry, 'consent', at, options);
    return entry;
  });
}
