import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never imports application code. Points of contact who enrolled before users had
// a time zone of their own read dates in their directory entry's zone (the first entry by
// creation), until they choose one on their account page.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update app_user set time_zone = (
      select p.time_zone from poc p where p.user_id = app_user.id and p.status = 'active' order by p.created_at, p.id limit 1
    )
    where time_zone is null and exists (select 1 from poc p where p.user_id = app_user.id and p.status = 'active')`.execute(db);
}

export async function down(): Promise<void> {
  // The time zones given stay: they are what the entries said, and a user may have kept them.
}
