/**
 * Chooses the storage path at start: when the server has the `timescaledb` extension (production,
 * docker-compose) the TimescaleDB statements are applied once, under an advisory lock so several
 * cloud nodes starting together apply them once; otherwise plain PostgreSQL keeps its monthly
 * partitions and rollups. `detectStorageEngine` tells the history queries which path they are on.
 */
import type { StorageEngine } from '../history/sources.js';
import { timescaleStatements, type TimescalePolicy } from './sql.js';

/** What this module needs from a connection: node-postgres and PGlite both fit. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export const TIMESCALE_LOCK_KEY = 0x766d_7473; // 'vmts'

export class TimescaleError extends Error {
  readonly code = 'VM_TIMESCALE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TimescaleError';
  }
}

export type TimescaleOutcome = 'applied' | 'already_applied' | 'unavailable';

export async function timescaleAvailable(db: SqlRunner): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
  return rows.length > 0;
}

export async function detectStorageEngine(db: SqlRunner): Promise<StorageEngine> {
  const { rows } = await db.query<{ ts: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
            AND to_regclass('meter_agg_1m') IS NOT NULL AS ts`,
  );
  return rows[0]?.ts ? 'timescaledb' : 'postgres';
}

/** Run inside one transaction (`tx`): either everything is converted or nothing is. */
export async function applyTimescale(tx: SqlRunner, policy?: TimescalePolicy): Promise<TimescaleOutcome> {
  if (!(await timescaleAvailable(tx))) return 'unavailable';
  await tx.query('SELECT pg_advisory_xact_lock($1)', [TIMESCALE_LOCK_KEY]);
  if ((await detectStorageEngine(tx)) === 'timescaledb') return 'already_applied';
  const statements = timescaleStatements(policy);
  try {
    await tx.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    for (const sql of statements) await tx.query(sql);
  } catch (cause) {
    throw new TimescaleError(`applying the TimescaleDB storage path failed: ${(cause as Error).message}`, {
      cause,
    });
  }
  return 'applied';
}
