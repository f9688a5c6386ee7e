import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026112501_foundation.ts';
import * as library from './migrations/2026112502_library.ts';
import * as search from './migrations/2026112503_search.ts';
import * as regionalOrganisations from './migrations/2026112504_regional_organisations.ts';
import * as directory from './migrations/2026112505_directory.ts';
import * as directoryImport from './migrations/2026112506_directory_import.ts';
import * as checks from './migrations/2026112507_checks.ts';
import * as caughtMail from './migrations/2026112508_caught_mail.ts';
import * as messages from './migrations/2026112509_messages.ts';
import * as exercises from './migrations/2026112510_exercises.ts';
import * as userPreferences from './migrations/2026120701_user_preferences.ts';
import * as directoryListingIndex from './migrations/2026120702_directory_listing_index.ts';
import * as messageAttachments from './migrations/2026120703_message_attachments.ts';
import * as pocTimeZones from './migrations/2026120704_poc_time_zones.ts';
import * as directoryStamp from './migrations/2026120705_directory_stamp.ts';
import { ensureSearchIndex } from '../modules/library/search/search.repository.ts';
import { syncStates } from './states.seed.ts';
import { syncRegionalOrganisations } from './regional-organisations.seed.ts';

/** Every migration, in order. A new one is added here and never edited once landed. */
const migrations: Record<string, Migration> = {
  '2026112501_foundation': foundation,
  '2026112502_library': library,
  '2026112503_search': search,
  '2026112504_regional_organisations': regionalOrganisations,
  '2026112505_directory': directory,
  '2026112506_directory_import': directoryImport,
  '2026112507_checks': checks,
  '2026112508_caught_mail': caughtMail,
  '2026112509_messages': messages,
  '2026112510_exercises': exercises,
  '2026120701_user_preferences': userPreferences,
  '2026120702_directory_listing_index': directoryListingIndex,
  '2026120703_message_attachments': messageAttachments,
  '2026120704_poc_time_zones': pocTimeZones,
  '2026120705_directory_stamp': directoryStamp,
};

/** Names of every migration this build knows, oldest first. */
export const MIGRATION_NAMES = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrateReport {
  applied: string[];
  states: number;
}

/** Applies pending migrations, then brings reference data (Member States, regional organisations) up to date. */
export async function migrate(database: Db): Promise<MigrateReport> {
  const migrator = new Migrator({ db: database.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const states = await syncStates(database.db);
  await syncRegionalOrganisations(database.db);
  // Paragraphs stored before the search index existed (or restored from a backup, which leaves
  // the derived index out) are indexed here: SQL cannot stem, so a migration cannot do it.
  await ensureSearchIndex(database.db);
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), states };
}
