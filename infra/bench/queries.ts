/**
 * History and dashboard queries over a large data set (issue #9): a fleet of 500 stations (one 22 kW
 * AC connector each) seeded through the cloud CLI, 60 days of meter samples (≥ 50 million rows)
 * loaded with COPY by sample-loader.ts, rollups computed by the cloud's own rollup job, then p50/p99
 * latency over HTTP of the dashboard's heavy reads, one request at a time after a warm-up.
 *
 * QUERIES_KEEP_DB=<dir> keeps the PostgreSQL data directory there: the first run loads it, later runs
 * reuse it and skip the load (queries are then asked relative to the data set's end, stored in
 * <dir>/voltmesh-queries.json). Without it the database is a throwaway one, deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { freePort, startNats, startPostgres, type PostgresHandle } from '../services/index.js';
import { runToCompletion, spawnManaged, waitForHttp, type ManagedProcess } from '../stack/processes.js';
import { BENCH_ADMIN, benchFleet } from './bench-fleet.js';
import { LogTail, sleep, tsxProcess } from './children.js';
import { insertChunkEvents, loadSamples, type LoadResult } from './sample-loader.js';
import { latencyFigures, type Benchmark, type Figure } from './stats.js';

/** QUERIES_STATIONS / QUERIES_DAYS shrink the data set for a quick try; the figures are for 500 × 60. */
const STATIONS = Number(process.env.QUERIES_STATIONS ?? 500);
const DAYS = Number(process.env.QUERIES_DAYS ?? 60);
const CHUNK_DAYS = 2;
const REQUESTS = 200;
const WARMUP = 20;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Free space asked for before loading: ~59 M rows with their indexes, WAL and the rollups. */
const NEEDED_BYTES = 30 * 2 ** 30;
const MARKER = 'voltmesh-queries.json';

interface DataSet {
  endMs: number;
  samples: number;
  sessions: number;
  loadSeconds: number;
  copyRowsPerSecond: number;
  rollupSeconds: number;
}

export const queries: Benchmark = {
  name: 'queries',
  description:
    `History and dashboard reads over HTTP on ${STATIONS} stations × ${DAYS} days of meter samples (8 rows a minute while charging, 2 every 15 min idle; ` +
    'loaded with COPY, rollups by the cloud’s rollup job), plain PostgreSQL (embedded, fsync off for the load); ' +
    `one request at a time, ${WARMUP} warm-up then ${REQUESTS} measured per query`,
  async run(progress) {
    const logs = new LogTail();
    const keepDir = process.env.QUERIES_KEEP_DB ? resolve(process.env.QUERIES_KEEP_DB) : null;
    const cleanups: (() => Promise<void>)[] = [];
    const stop = async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    };
    try {
      const work = await mkdtemp(join(tmpdir(), 'voltmesh-bench-queries-'));
      cleanups.push(() => rm(work, { recursive: true, force: true }));
      let dataSet: DataSet | null = null;
      if (keepDir && existsSync(join(keepDir, MARKER))) {
        dataSet = JSON.parse(await readFile(join(keepDir, MARKER), 'utf8')) as DataSet;
        progress(`reusing the data set in ${keepDir} (QUERIES_KEEP_DB)`);
      } else {
        const target = keepDir ?? tmpdir();
        if (keepDir) await mkdir(keepDir, { recursive: true });
        const fs = await statfs(target);
        const free = fs.bavail * fs.bsize;
        if (free < NEEDED_BYTES)
          throw new Error(
            `not enough disk space for the queries data set: ${(free / 2 ** 30).toFixed(1)} GiB free under ${target}, ` +
              `${NEEDED_BYTES / 2 ** 30} GiB needed`,
          );
        progress(`${(free / 2 ** 30).toFixed(0)} GiB free under ${target}`);
      }

      progress('starting nats-server and PostgreSQL');
      const nats = await startNats();
      cleanups.push(() => nats.dispose());
      const postgres: PostgresHandle = await startPostgres({
        fast: true,
        ...(keepDir ? { dataDir: join(keepDir, 'pgdata'), password: await keptPassword(keepDir) } : {}),
      });
      cleanups.push(() => (keepDir ? postgres.stop() : postgres.dispose()));
      const databaseUrl = postgres.urlFor('voltmesh');
      const env = { DATABASE_URL: databaseUrl, NATS_URL: nats.url };

      let load: LoadResult | null = null;
      const loadStart = Date.now();
      if (!dataSet) {
        const admin = new pg.Client({ connectionString: postgres.url });
        await admin.connect();
        await admin.query('DROP DATABASE IF EXISTS voltmesh');
        await admin.query('CREATE DATABASE voltmesh');
        // Bulk load: fewer checkpoints. Reads are what is measured; these do not change them.
        await admin.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
        await admin.query(`ALTER SYSTEM SET checkpoint_timeout = '30min'`);
        await admin.query('SELECT pg_reload_conf()');
        await admin.end();
        progress(`migrating and seeding ${STATIONS} stations through the cloud CLI`);
        const fleetFile = join(work, 'fleet.json');
        await writeFile(fleetFile, JSON.stringify(benchFleet('queries-site', STATIONS, 'QRY')));
        await runToCompletion(tsxProcess('migrate', 'cloud/src/cli.ts', ['migrate'], env, logs));
        await runToCompletion(tsxProcess('seed', 'cloud/src/cli.ts', ['seed-demo', fleetFile], env, logs));
        const endMs = Math.floor(Date.now() / 60_000) * 60_000;
        load = await loadSamples({ databaseUrl, endMs, days: DAYS, chunkDays: CHUNK_DAYS, progress });
        dataSet = {
          endMs,
          samples: load.samples,
          sessions: load.sessions,
          loadSeconds: 0,
          copyRowsPerSecond: load.samples / (load.copyMs / 1000),
          rollupSeconds: 0,
        };
        dataSet.loadSeconds = (Date.now() - loadStart) / 1000;
      }

      progress('starting the cloud');
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
      const base = `http://127.0.0.1:${httpPort}`;
      await waitForHttp(`${base}/health`, cloud, 60_000);

      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      cleanups.push(() => db.end());

      if (!load) {
        // A reused data set: the job's first pass at start also drops rollups past their keep time
        // (1-minute rows older than 35 days); let it finish before measuring.
        const { rows } = await db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
        await rollupCovered(db, rows[0]!.now, 'its first pass');
      } else {
        // The rollups, the way the cloud makes them: its rollup job (every 10 s) reads meter.samples
        // events. One summary event per connector and chunk of days, then wait for the watermark.
        const rollupStart = Date.now();
        for (const [n, events] of load.chunks.entries()) {
          const committed = await insertChunkEvents(db, events);
          const t = Date.now();
          await rollupCovered(db, committed, `chunk ${n}`);
          // Covered: back-date them past the job's 2-minute re-read overlap so the next pass does not
          // recompute this chunk again (harmless, only slower).
          await db.query(
            `UPDATE station_events SET ingested_at = ingested_at - interval '1 hour'
              WHERE type = 'meter.samples' AND ingested_at > now() - interval '50 minutes'`,
          );
          progress(
            `rollups: chunk ${n + 1}/${load.chunks.length} (${CHUNK_DAYS} days) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
          );
        }
        dataSet.rollupSeconds = (Date.now() - rollupStart) / 1000;
        progress(`rollups done in ${dataSet.rollupSeconds.toFixed(0)} s; VACUUM ANALYZE meter_rollups`);
        await db.query('VACUUM (ANALYZE) meter_rollups');
        if (keepDir) await writeFile(join(keepDir, MARKER), JSON.stringify(dataSet, null, 2));
      }

      const { rows: size } = await db.query<{ rows: number; bytes: number; rollups: number; rbytes: number }>(
        `SELECT (SELECT count(*) FROM meter_samples)::bigint AS rows,
                (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
                  WHERE inhparent = 'meter_samples'::regclass)::bigint AS bytes,
                (SELECT count(*) FROM meter_rollups)::bigint AS rollups,
                pg_total_relation_size('meter_rollups') AS rbytes`,
      );
      const { rows: ids } = await db.query<{ id: string }>('SELECT id FROM stations ORDER BY identity');
      const s = size[0]!;
      progress(
        `data set: ${s.rows.toLocaleString('en')} meter samples (${(s.bytes / 2 ** 30).toFixed(1)} GiB with indexes), ` +
          `${s.rollups.toLocaleString('en')} rollup rows (${(s.rbytes / 2 ** 30).toFixed(2)} GiB)`,
      );

      // Sanity check of the data set: the daily rollups count the same energy as the sessions.
      const { rows: energy } = await db.query<{ rollup: number; sessions: number }>(
        `SELECT (SELECT sum(energy_wh) FROM meter_rollups WHERE width = '1d') AS rollup,
                (SELECT sum(energy_wh) FROM sessions) AS sessions`,
      );
      const energyRatio = (energy[0]?.rollup ?? 0) / (energy[0]?.sessions ?? 1);
      progress(`energy in the daily rollups / energy of the sessions: ${energyRatio.toFixed(6)}`);
      const cookie = `vm_session=${await login(base)}`;
      const end = dataSet.endMs;
      const iso = (ms: number) => new Date(ms).toISOString();
      // An afternoon hour (more stations charging) rather than the last hour, which may be at night.
      const busy = Math.floor(end / DAY_MS) * DAY_MS - 6 * HOUR_MS;
      const station = (n: number) => ids[(n * 7) % ids.length]!.id;
      const cases: { metric: string; note: string; target?: string; path: (n: number) => string }[] = [
        {
          metric: 'daily energy per station, 30 days',
          note: `groupBy=station&bucket=1d, ${STATIONS} stations; target < 100 ms`,
          path: () =>
            `/api/history/energy?groupBy=station&bucket=1d&from=${iso(end - 30 * DAY_MS)}&to=${iso(end)}`,
        },
        {
          metric: 'fleet power curve, 24 h',
          note: '15 min buckets',
          path: () => `/api/history/power?from=${iso(end - DAY_MS)}&to=${iso(end)}`,
        },
        {
          metric: 'fleet power curve, 30 days',
          note: '1 h buckets',
          path: () => `/api/history/power?from=${iso(end - 30 * DAY_MS)}&to=${iso(end)}`,
        },
        {
          metric: 'one station meter points, 1 h',
          note: 'raw meter_samples, 17:00–18:00 UTC of the last full day, a different station each request',
          path: (n) => `/api/stations/${station(n)}/meter?from=${iso(busy - HOUR_MS)}&to=${iso(busy)}`,
        },
        {
          metric: 'one station status timeline, 7 days',
          note: 'a different station each request',
          path: (n) => `/api/stations/${station(n)}/timeline?from=${iso(end - 7 * DAY_MS)}&to=${iso(end)}`,
        },
        {
          metric: 'station list, fuzzy q',
          note: 'q=charger 1<n>, first page',
          path: (n) => `/api/stations?q=${encodeURIComponent(`charger ${10 + (n % 40)}`)}`,
        },
        { metric: 'live snapshot', note: `${STATIONS} stations and KPIs`, path: () => '/api/live/snapshot' },
      ];

      const figures: Figure[] = [];
      for (const c of cases) {
        const latencies: number[] = [];
        let bytes = 0;
        for (let n = 0; n < WARMUP + REQUESTS; n++) {
          const started = performance.now();
          const response = await fetch(`${base}${c.path(n)}`, { headers: { cookie } });
          const body = await response.text();
          const ms = performance.now() - started;
          if (!response.ok) throw new Error(`${c.metric}: HTTP ${response.status} ${body.slice(0, 300)}`);
          if (n >= WARMUP) latencies.push(ms);
          bytes = body.length;
        }
        const [p50, p99] = latencyFigures(c.metric, latencies);
        progress(
          `${c.metric}: p50 ${p50!.value.toFixed(1)} ms, p99 ${p99!.value.toFixed(1)} ms (${bytes} B answer)`,
        );
        for (const f of [p50!, p99!])
          figures.push({ ...f, note: `${c.note}; ${(bytes / 1024).toFixed(0)} KB JSON` });
      }

      figures.push(
        { metric: 'meter_samples rows', value: s.rows, unit: 'rows' },
        { metric: 'meter_samples on disk (heap + indexes)', value: s.bytes / 2 ** 30, unit: 'GiB' },
        { metric: 'meter_rollups rows (1m, 15m, 1h, 1d)', value: s.rollups, unit: 'rows' },
        {
          metric: 'energy in the 1d rollups / energy of the sessions (sanity check, expect 1)',
          value: energyRatio,
          unit: '',
        },
      );
      if (load) {
        figures.push(
          {
            metric: 'COPY load rate',
            value: dataSet.copyRowsPerSecond,
            unit: 'rows/s',
            note: '2 connections into unindexed partitions, generation included',
          },
          { metric: 'partition attach (index builds)', value: load.indexMs / 1000, unit: 's' },
          {
            metric: 'load total (seed, COPY, attach, VACUUM ANALYZE)',
            value: dataSet.loadSeconds,
            unit: 's',
          },
          { metric: 'rollups by the cloud’s rollup job', value: dataSet.rollupSeconds, unit: 's' },
        );
      }
      return figures;
    } catch (error) {
      progress(`failed; last service output:\n${logs.toString()}`);
      throw error;
    } finally {
      progress(
        keepDir ? `stopping services (data kept in ${keepDir})` : 'stopping services, deleting the data set',
      );
      await stop();
    }
  },
};

/** Waits until the rollup job's watermark has passed `after` (a pass that began later has committed). */
async function rollupCovered(db: pg.Client, after: Date, what: string): Promise<void> {
  const t = Date.now();
  for (;;) {
    const { rows } = await db.query<{ watermark: Date | null }>(
      `SELECT watermark FROM rollup_state WHERE name = 'meter_rollups'`,
    );
    const w = rows[0]?.watermark;
    if (w && w > after) return;
    if (Date.now() - t > 30 * 60_000)
      throw new Error(`the cloud's rollup job did not cover ${what} within 30 min`);
    await sleep(500);
  }
}

/** The password of a kept cluster: made on its first run, read back on the next ones. */
async function keptPassword(dir: string): Promise<string> {
  const file = join(dir, 'pg-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(12).toString('hex');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

async function login(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
  const token = /(?:^|[;,]\s*)vm_session=([^;]+)/.exec(response.headers.getSetCookie().join('; '))?.[1];
  if (!token) throw new Error('login answered without a vm_session cookie');
  return token;
}
