/** Schema migrations through node-pg-migrate (SQL files in cloud/migrations). */
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrationLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const silent: MigrationLogger = { info() {}, warn() {}, error() {} };

export class MigrationError extends Error {
  readonly code = 'VM_MIGRATION_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; returns the names applied (empty when up to date). */
export async function migrateUp(databaseUrl: string, logger: MigrationLogger = silent): Promise<string[]> {
  try {
    const ran = await runner({
      databaseUrl,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      checkOrder: true,
      singleTransaction: true,
      logger: { ...logger, debug: () => {} },
    });
    return ran.map((m) => m.name);
  } catch (cause) {
    throw new MigrationError(`migrations failed: ${(cause as Error).message}`, { cause });
  }
}

/** Names of migrations not yet applied, without applying them. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  try {
    const ran = await runner({
      databaseUrl,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      dryRun: true,
      logger: { ...silent, debug: () => {} },
    });
    return ran.map((m) => m.name);
  } catch (cause) {
    throw new MigrationError(`could not read the migration state: ${(cause as Error).message}`, { cause });
  }
}
