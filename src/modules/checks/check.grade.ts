import type { Kysely } from 'kysely';
import type { Database, PocTable } from '../../db/schema.ts';

export type CheckGrade = NonNullable<PocTable['check_grade']>;

type Settled = 'acknowledged' | 'undeliverable' | 'silent';

/**
 * An entry's grade from its checks, newest first, counting only settled ones (acknowledged,
 * undeliverable, or unanswered past the deadline): verified when the last one was acknowledged;
 * invalid when the last two were undeliverable; suspect when the last one bounced, or the last two
 * went unanswered; overdue when the last one went unanswered; null before any check settled.
 */
export function gradeOf(settled: readonly Settled[]): CheckGrade | null {
  const [last, before] = settled;
  if (!last) return null;
  if (last === 'acknowledged') return 'verified';
  if (last === 'undeliverable') return before === 'undeliverable' ? 'invalid' : 'suspect';
  return before === 'silent' || before === 'undeliverable' ? 'suspect' : 'overdue';
}

/** Works the entry's grade out again from its checks and stores it on the entry (which every reader sees). */
export async function regrade(db: Kysely<Database>, pocId: string, now: Date): Promise<CheckGrade | null> {
  const rows = await db
    .selectFrom('check_target')
    .innerJoin('check_campaign', 'check_campaign.id', 'check_target.campaign_id')
    .select(['check_target.status', 'check_target.acknowledged_at', 'check_campaign.deadline_at', 'check_campaign.created_at'])
    .where('check_target.poc_id', '=', pocId)
    .orderBy('check_campaign.created_at', 'desc')
    .limit(20)
    .execute();
  const at = now.toISOString();
  const settled: Settled[] = [];
  let verifiedAt: string | null = null;
  for (const r of rows) {
    if (r.acknowledged_at && (!verifiedAt || r.acknowledged_at > verifiedAt)) verifiedAt = r.acknowledged_at;
    if (r.status === 'acknowledged') settled.push('acknowledged');
    else if (r.status === 'undeliverable') settled.push('undeliverable');
    else if (r.deadline_at < at) settled.push('silent');
  }
  const grade = gradeOf(settled);
  await db.updateTable('poc').set({ check_grade: grade, check_verified_at: verifiedAt }).where('id', '=', pocId).execute();
  return grade;
}
