/**
 * Fault tolerance of the ingest with servers this file owns: PostgreSQL killed (SIGKILL) and
 * restarted while events keep arriving, and two ingest processes competing on one durable consumer.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { STREAM_EVENTS } from '@voltmesh/contract';
import {
  createTestDatabase,
  startNats,
  startPostgres,
  type NatsServerHandle,
  type PostgresHandle,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp } from '../src/db/migrate.js';
import { createPool, type Db } from '../src/db/pool.js';
import { startIngest, type Ingest } from '../src/ingest/consumer.js';
import { createMetrics } from '../src/observability/metrics.js';
import { count, envelope, ev, fleet, publish, seedFleet, waitFor } from './support.js';

const log = pino({ level: process.env['TEST_LOG'] ?? 'silent' });
const STATIONS = ['F-1', 'F-2', 'F-3', 'F-4'];

describe('ingest under faults', () => {
  let nats: NatsServerHandle;
  let postgres: PostgresHandle;
  let nc: NatsConnection;
  let dbUrl: string;
  const pools: Db[] = [];
  const ingests: Ingest[] = [];
  let seq = 0;

  const newPool = () => {
    const pool = createPool(dbUrl, 4);
    pools.push(pool);
    return pool;
  };
  const startOne = async (db: Db) => {
    const ingest = await startIngest({
      nc,
      db,
      log,
      metrics: createMetrics(),
      onCommitted: () => Promise.resolve(),
      batchSize: 25,
    });
    ingests.push(ingest);
    return ingest;
  };
  /** `n` events spread over the stations: heartbeats and meter samples with rising registers. */
  const events = (n: number) =>
    Array.from({ length: n }, () => {
      seq++;
      const station = STATIONS[seq % STATIONS.length]!;
      return seq % 2 === 0
        ? envelope('fault-site', station, ev.heartbeat(), { atS: seq, seq })
        : envelope('fault-site', station, ev.meter(null, seq, 1000 * seq, 7000), { atS: seq, seq });
    });
  const drained = async () => {
    const jsm = await jetstreamManager(nc);
    await waitFor(
      () => jsm.consumers.info(STREAM_EVENTS, 'cloud-ingest'),
      (i) => i.num_pending === 0 && i.num_ack_pending === 0,
      45_000,
    );
  };

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([startNats(), startPostgres({ fast: true })]);
    nc = await connect({ servers: nats.url });
    const testDb = await createTestDatabase(postgres.url, 'vm_cloud_fault');
    dbUrl = testDb.url;
    await migrateUp(dbUrl);
    const seedPool = newPool();
    await seedFleet(seedPool, fleet('Faulty', 'fault-site', STATIONS));
  });

  afterAll(async () => {
    for (const i of ingests) await i.stop();
    for (const p of pools) await p.end();
    await nc?.close();
    await Promise.all([nats?.dispose(), postgres?.dispose()]);
  });

  it('loses nothing and stores nothing twice when PostgreSQL is killed and restarted mid-ingest', async () => {
    const db = newPool();
    await startOne(db);
    const first = events(200);
    await publish(nc, first);
    await waitFor(
      () => count(db, 'station_events'),
      (n) => n > 0,
    );
    await postgres.kill();
    const second = events(200);
    await publish(nc, second);
    await new Promise((r) => setTimeout(r, 1500));
    await postgres.start();
    await waitFor(
      () => count(db, 'station_events'),
      (n) => n >= 400,
      45_000,
    );
    await drained();

    expect(await count(db, 'station_events')).toBe(400);
    expect(await count(db, 'meter_samples')).toBe(400); // 200 meter events × 2 samples
    const { rows } = await db.query<{ identity: string; energy_register_wh: number }>(
      `SELECT st.identity, c.energy_register_wh FROM connectors c JOIN stations st ON st.id = c.station_id
        WHERE c.evse_id = 1 ORDER BY st.identity`,
    );
    // The newest register reading of each station survived the crash and the redeliveries.
    const newest = (s: string) => {
      const seqs = [...first, ...second].filter((e) => e.stationId === s && e.event.type === 'meter.samples');
      return seqs.length === 0 ? null : Math.max(...seqs.map((e) => e.seq)) * 1000;
    };
    expect(rows.map((r) => r.energy_register_wh)).toEqual(STATIONS.map(newest));
  }, 90_000);

  it('lets two ingest processes consume one durable consumer without writing anything twice', async () => {
    const db = newPool();
    await startOne(newPool());
    const before = await count(db, 'station_events');
    const batch = events(600);
    await Promise.all([publish(nc, batch.slice(0, 300)), publish(nc, batch.slice(300))]);
    await waitFor(
      () => count(db, 'station_events'),
      (n) => n >= before + 600,
      45_000,
    );
    await drained();
    expect(await count(db, 'station_events')).toBe(before + 600);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM (SELECT id FROM station_events GROUP BY id HAVING count(*) > 1) d',
    );
    expect(rows[0]!.n).toBe(0);
    const last = await db.query<{ status_seq: number; last: number }>(
      `SELECT max(st.online_seq)::int AS last FROM stations st WHERE st.identity = ANY($1)`,
      [STATIONS],
    );
    expect(last.rows[0]!.last).toBe(seq - (seq % 2 === 0 ? 0 : 1));
  }, 90_000);
});
