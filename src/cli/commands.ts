import type { Command } from './main.ts';
import { serveCommand } from './serve.command.ts';
import { migrateCommand } from './migrate.command.ts';
import { userAddCommand } from './user.command.ts';
import { auditVerifyCommand } from './audit.command.ts';
import { backupCommand, restoreCommand } from './backup.command.ts';
import { ingestCommand } from './ingest.command.ts';

export const commands: Command[] = [serveCommand, migrateCommand, userAddCommand, auditVerifyCommand, backupCommand, restoreCommand, ingestCommand];
