/** The PostgreSQL pool and a transaction helper; every query in the cloud goes through these. */
import pg from 'pg';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

// int8 (counts, seq) fit in a JS number for everything Voltmesh stores.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

export function createPool(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process; the
  // pool drops it and the next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  let broken = false;
  // A connection dying between two statements emits 'error' on the client; without a listener
  // that would crash the process. The failing statement reports the problem to the caller.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

export const DB_FAILURES = {
  /** The database cannot be reached or asked us to retry (down, restarting, deadlock): retry later. */
  unavailable: 'unavailable',
  /** The data broke a rule (SQLSTATE class 22 data exception, 23 integrity constraint): never retry. */
  rejected: 'rejected',
  /** Anything else: a bug or a schema that does not match the code. Retry, loudly, but isolate it. */
  failed: 'failed',
} as const;
export type DbFailure = (typeof DB_FAILURES)[keyof typeof DB_FAILURES];

// pg and pg-pool raise these without a SQLSTATE when the server goes away mid-conversation.
const CONNECTION_MESSAGES =
  /connection terminated|not queryable|timeout exceeded when trying to connect|connection error/i;

export function classifyDbError(error: unknown): DbFailure {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : null;
  if (code !== null && /^[0-9A-Z]{5}$/.test(code)) {
    if (code.startsWith('22') || code.startsWith('23')) return DB_FAILURES.rejected;
    if (
      code.startsWith('08') || // connection exception
      code.startsWith('53') || // insufficient resources
      code.startsWith('57') || // operator intervention (shutdown, cancel)
      code === '40001' || // serialization failure
      code === '40P01' // deadlock detected
    ) {
      return DB_FAILURES.unavailable;
    }
    return DB_FAILURES.failed;
  }
  // Node socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE …
  if (code !== null && code.startsWith('E')) return DB_FAILURES.unavailable;
  if (typeof e?.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return DB_FAILURES.unavailable;
  return DB_FAILURES.failed;
}
