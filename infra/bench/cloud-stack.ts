/**
 * The stack the pipeline and live benchmarks measure: a throwaway nats-server and PostgreSQL (fsync
 * on, as raw-copy), the cloud's migrations and a generated fleet seeded through its CLI, the cloud,
 * and one edge agent for the fleet's site — each service a child process started as the stack does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startNats, startPostgres } from '../services/index.js';
import { runToCompletion, spawnManaged, waitForHttp, type ManagedProcess } from '../stack/processes.js';
import { benchFleet, benchIdentity } from './bench-fleet.js';
import { LogTail, tsxProcess } from './children.js';
import { startEdgeAgent, type EdgeAgent } from './edge-process.js';

export const BENCH_SITE = 'bench-site';

export interface CloudStack {
  readonly cloudUrl: string;
  readonly edge: EdgeAgent;
  readonly identities: readonly string[];
  /** Database id of each station, by identity. */
  readonly stationIds: ReadonlyMap<string, string>;
  /** A connection of the benchmark's own, for polling. */
  readonly db: pg.Client;
  readonly logs: LogTail;
  stop(): Promise<void>;
}

export async function startCloudStack(
  stations: number,
  progress: (message: string) => void,
): Promise<CloudStack> {
  const logs = new LogTail();
  const dir = await mkdtemp(join(tmpdir(), 'voltmesh-bench-stack-'));
  const cleanups: (() => Promise<void>)[] = [async () => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    progress('starting nats-server and PostgreSQL');
    const nats = await startNats();
    cleanups.push(() => nats.dispose());
    const postgres = await startPostgres();
    cleanups.push(() => postgres.dispose());
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE voltmesh');
    await admin.end();
    const databaseUrl = postgres.urlFor('voltmesh');
    const env = { DATABASE_URL: databaseUrl, NATS_URL: nats.url };

    progress(`migrating and seeding ${stations} stations`);
    const fleetFile = join(dir, 'fleet.json');
    await writeFile(fleetFile, JSON.stringify(benchFleet(BENCH_SITE, stations)));
    await runToCompletion(tsxProcess('migrate', 'cloud/src/cli.ts', ['migrate'], env, logs));
    await runToCompletion(tsxProcess('seed', 'cloud/src/cli.ts', ['seed-demo', fleetFile], env, logs));

    progress('starting the cloud and the edge agent');
    const httpPort = await freePort();
    const cloud: ManagedProcess = spawnManaged(
      tsxProcess(
        'cloud',
        'cloud/src/main.ts',
        [],
        {
          ...env,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(httpPort),
          VOLTMESH_MODE: 'demo',
          SESSION_SECRET: randomBytes(32).toString('base64url'),
        },
        logs,
      ),
    );
    cleanups.push(() => cloud.stop(15_000));
    const cloudUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${cloudUrl}/health`, cloud, 60_000);
    const edge = await startEdgeAgent({ natsUrl: nats.url, siteId: BENCH_SITE });
    cleanups.push(() => edge.stop());

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());
    const { rows } = await db.query<{ identity: string; id: string }>('SELECT identity, id FROM stations');
    const identities = Array.from({ length: stations }, (_, i) => benchIdentity('BENCH', i));
    return {
      cloudUrl,
      edge,
      identities,
      stationIds: new Map(rows.map((r) => [r.identity, r.id])),
      db,
      logs,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`the benchmark stack did not start:\n${logs.toString()}`, { cause: error });
  }
}
