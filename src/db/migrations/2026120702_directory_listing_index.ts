import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. The directory lists entries by State, kind,
// rank (primary first), name and id, and looks for words in name, title and organisation: with
// these columns and the status in one index, in that order, a page of the listing is read off the
// index without sorting every match, and the matches are counted without reading the table.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('poc_listing_idx').on('poc').columns(['state_iso3', 'kind', 'rank desc', 'name', 'id', 'status', 'title', 'organisation']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('poc_listing_idx').execute();
}
