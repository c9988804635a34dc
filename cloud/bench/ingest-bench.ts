/**
 * Ingest throughput on this machine: publishes N envelopes (60 % meter samples with 2 values,
 * 20 % heartbeats, 20 % status changes over 200 stations) into a fresh JetStream, then measures how
 * long one ingest process takes to store and project them all. Own throwaway servers; nothing shared.
 *
 *   pnpm --filter @voltmesh/cloud bench:ingest [events]
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encodeEnvelope, eventSubject, STREAM_EVENTS } from '@voltmesh/contract';
import { createTestDatabase, startNats, startPostgres } from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { migrateUp } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { startIngest } from '../src/ingest/consumer.js';
import { ensureEventStream } from '../src/ingest/stream.js';
import { createMetrics } from '../src/observability/metrics.js';
import { seedFleet } from '../src/seed/fleet.js';
import { envelope, ev, fleet } from '../test/support.js';

const events = Number(process.argv[2] ?? 10_000);
const [nats, postgres] = await Promise.all([startNats(), startPostgres({ fast: true })]);
try {
  const nc = await connect({ servers: nats.url });
  const testDb = await createTestDatabase(postgres.url, 'vm_bench');
  await migrateUp(testDb.url);
  const db = createPool(testDb.url, 10);
  const stations = Array.from({ length: 200 }, (_, i) => `B-${i}`);
  await seedFleet(db, fleet('Bench', 'bench', stations));
  await ensureEventStream(await jetstreamManager(nc));

  const envs = Array.from({ length: events }, (_, i) => {
    const k = i % 10;
    const e =
      k < 6
        ? ev.meter(null, i, 1000 * i, 7000)
        : k < 8
          ? ev.heartbeat()
          : ev.status(k === 8 ? 'occupied' : 'available');
    return envelope('bench', stations[i % stations.length]!, e, { atS: i, seq: i });
  });
  const js = jetstream(nc);
  for (let i = 0; i < envs.length; i += 500) {
    await Promise.all(
      envs
        .slice(i, i + 500)
        .map((e) => js.publish(eventSubject(e.siteId, e.stationId), encodeEnvelope(e), { msgID: e.id })),
    );
  }

  const started = Date.now();
  const metrics = createMetrics();
  const ingest = await startIngest({
    nc,
    db,
    log: pino({ level: 'warn' }),
    metrics,
    onCommitted: () => Promise.resolve(),
  });
  const jsm = await jetstreamManager(nc);
  for (;;) {
    const info = await jsm.consumers.info(STREAM_EVENTS, 'cloud-ingest');
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = Date.now() - started;
  const { rows } = await db.query<{ events: number; samples: number }>(
    'SELECT (SELECT count(*) FROM station_events)::int AS events, (SELECT count(*) FROM meter_samples)::int AS samples',
  );
  const batches = (await metrics.ingestBatchSize.get()).values;
  const sum = batches.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = batches.find((v) => v.metricName?.endsWith('_count'))?.value ?? 1;
  process.stdout.write(
    `${events} events drained in ${ms} ms: ${Math.round((events / ms) * 1000)} events/s, ` +
      `${rows[0]!.events} events and ${rows[0]!.samples} samples stored, mean batch ${(sum / count).toFixed(1)}\n`,
  );
  await ingest.stop();
  await db.end();
  await nc.close();
} finally {
  await Promise.all([nats.dispose(), postgres.dispose()]);
}
