import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. Exercises of POC-to-POC communications run by the
// Secretariat (A/78/265 annex, POC directory: regular exercises to test the directory): the
// exercise, the States taking part, and the timed injects that prompt their POCs.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('exercise')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('starts_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ends_at', 'varchar(32)', (c) => c.notNull())
    // planned → running → ended
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('exercise_state')
    .addColumn('exercise_id', 'varchar(36)', (c) => c.notNull().references('exercise.id').onDelete('cascade'))
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    .addPrimaryKeyConstraint('exercise_state_pk', ['exercise_id', 'state_iso3'])
    .execute();
  await db.schema.createIndex('exercise_state_state_idx').on('exercise_state').columns(['state_iso3', 'exercise_id']).execute();

  await db.schema
    .createTable('exercise_inject')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('exercise_id', 'varchar(36)', (c) => c.notNull().references('exercise.id').onDelete('cascade'))
    // A UTC instant: from then on the participating State's POCs see the prompt.
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('to_state', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    // The template the State is prompted to use.
    .addColumn('template', 'varchar(32)', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exercise_inject_exercise_idx').on('exercise_inject').columns(['exercise_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['exercise_inject', 'exercise_state', 'exercise']) await db.schema.dropTable(table).execute();
}
