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

/** SQLSTATE classes that mean "try again later", not "this input is bad". */
export function isTransientDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // Socket errors (ECONNREFUSED, ECONNRESET) and pg's "Connection terminated" carry no SQLSTATE.
    return true;
  }
  return (
    code.startsWith('08') || // connection exception
    code.startsWith('53') || // insufficient resources
    code.startsWith('57') || // operator intervention (shutdown, cancel)
    code === '40001' || // serialization failure
    code === '40P01' || // deadlock detected
    code.startsWith('E') // node socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT
  );
}
