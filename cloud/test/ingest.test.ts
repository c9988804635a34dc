import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { STREAM_EVENTS, type StationEvent } from '@voltmesh/contract';
import { startNats, testServices, type NatsServerHandle } from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type Ingest } from '../src/ingest/consumer.js';
import type { BatchEffects } from '../src/ingest/effects.js';
import { createMetrics } from '../src/observability/metrics.js';
import {
  count,
  envelope,
  ev,
  fleet,
  migratedDatabase,
  publish,
  publishRaw,
  seedFleet,
  waitFor,
  type MigratedDb,
} from './support.js';

const log = pino({ level: 'silent' });

describe('ingest', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let m: MigratedDb;
  const ingests: Ingest[] = [];
  const effects: BatchEffects[] = [];

  const start = async (consumerName?: string) => {
    const ingest = await startIngest({
      nc,
      db: m.db,
      log,
      metrics: createMetrics(),
      onCommitted: (fx) => {
        effects.push(fx);
        return Promise.resolve();
      },
      batchSize: 50,
      ...(consumerName ? { consumerName } : {}),
    });
    ingests.push(ingest);
    return ingest;
  };

  const station = async (identity: string) =>
    (
      await m.db.query(
        `SELECT st.*, (SELECT row_to_json(c) FROM connectors c WHERE c.station_id = st.id AND evse_id = 1) AS c1
           FROM stations st WHERE identity = $1`,
        [identity],
      )
    ).rows[0];

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(m.db, fleet('Acme', 'site-a', ['CP-1', 'CP-2', 'CP-3']));
    await start();
  });

  afterAll(async () => {
    for (const i of ingests) await i.stop();
    await nc?.close();
    await m?.close();
    await nats?.dispose();
  });

  it('stores events and projects station, connector, session and meter state', async () => {
    const s = 'CP-1';
    const envs = [
      envelope('site-a', s, ev.connected(), { atS: 0, seq: 1 }),
      envelope('site-a', s, ev.booted(), { atS: 1, seq: 2 }),
      envelope('site-a', s, ev.status('available'), { atS: 2, seq: 3 }),
      envelope('site-a', s, ev.heartbeat(), { atS: 3, seq: 4 }),
      envelope('site-a', s, ev.status('occupied'), { atS: 4, seq: 5 }),
      envelope('site-a', s, ev.started('tx-1', 10_000), { atS: 5, seq: 6 }),
      envelope('site-a', s, ev.meter('tx-1', 60, 10_500, 7_400), { atS: 60, seq: 7 }),
    ];
    await publish(nc, envs);
    await waitFor(
      () => count(m.db, 'station_events'),
      (n) => n >= envs.length,
    );

    const st = await station(s);
    expect(st).toMatchObject({
      online: true,
      vendor: 'ACME',
      model: 'Volt 22X',
      firmware_version: '1.2.3',
      registration_status: 'accepted',
    });
    expect(st.c1).toMatchObject({
      status: 'occupied',
      raw_status: 'Charging',
      current_transaction_id: 'tx-1',
      power_w: 7400,
    });
    const session = (await m.db.query("SELECT * FROM sessions WHERE transaction_id = 'tx-1'")).rows[0];
    expect(session).toMatchObject({
      status: 'active',
      meter_start_wh: 10_000,
      energy_wh: 500,
      id_token: 'TAG1',
    });
    expect(await count(m.db, 'meter_samples')).toBe(2);

    await publish(nc, [
      envelope('site-a', s, ev.ended('tx-1', 12_000), { atS: 120, seq: 8 }),
      envelope('site-a', s, ev.status('available'), { atS: 121, seq: 9 }),
      envelope('site-a', s, ev.disconnected(), { atS: 122, seq: 10 }),
    ]);
    await waitFor(
      () => station(s),
      (x) => x.online === false,
    );
    const ended = (await m.db.query("SELECT * FROM sessions WHERE transaction_id = 'tx-1'")).rows[0];
    expect(ended).toMatchObject({
      status: 'completed',
      meter_stop_wh: 12_000,
      energy_wh: 2000,
      stop_reason: 'local',
    });
    expect((await station(s)).c1).toMatchObject({ status: 'available', current_transaction_id: null });
    const kinds = effects.flatMap((fx) => fx.activities.map((a) => a.kind));
    expect(kinds).toEqual(
      expect.arrayContaining([
        'connected',
        'booted',
        'status',
        'session_started',
        'session_stopped',
        'disconnected',
      ]),
    );
  });

  it('never lets an older event overwrite newer state', async () => {
    const s = 'CP-2';
    // Newer events first, then stale ones (e.g. a late replay from an edge outbox).
    await publish(nc, [
      envelope('site-a', s, ev.disconnected(), { atS: 500, seq: 20 }),
      envelope('site-a', s, ev.status('faulted'), { atS: 501, seq: 21 }),
    ]);
    await waitFor(
      () => station(s),
      (x) => x.c1?.status === 'faulted',
    );
    await publish(nc, [
      envelope('site-a', s, ev.connected(), { atS: 400, seq: 10 }),
      envelope('site-a', s, ev.status('available'), { atS: 401, seq: 11 }),
      // Same timestamp as the faulted status but an earlier seq: still older.
      envelope('site-a', s, ev.status('occupied'), { atS: 501, seq: 19 }),
    ]);
    await waitFor(
      () =>
        count(m.db, "station_events WHERE station_id = (SELECT id FROM stations WHERE identity = 'CP-2')"),
      (n) => n === 5,
    );
    const st = await station(s);
    expect(st.online).toBe(false);
    expect(st.c1.status).toBe('faulted');
  });

  it('does not let a charger clock far ahead freeze state', async () => {
    const ahead = envelope('site-a', 'CP-2', ev.status('occupied'), { atS: 600, seq: 40 });
    ahead.occurredAt = '2027-06-01T00:00:00.000Z'; // months ahead of the edge's receive time
    await publish(nc, [ahead]);
    await waitFor(
      () => station('CP-2'),
      (x) => x.c1?.status === 'occupied',
    );
    // The clock was corrected: the next status carries a true, earlier time and still applies.
    await publish(nc, [envelope('site-a', 'CP-2', ev.status('available'), { atS: 601, seq: 41 })]);
    await waitFor(
      () => station('CP-2'),
      (x) => x.c1?.status === 'available',
    );
  });

  it('stores each event once when a whole batch is delivered again', async () => {
    const s = 'CP-3';
    const envs = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? envelope('site-a', s, ev.heartbeat(), { atS: 1000 + i, seq: 100 + i })
        : envelope('site-a', s, ev.meter(null, 1000 + i, 50_000 + i, 1000 + i), {
            atS: 1000 + i,
            seq: 100 + i,
          }),
    );
    await publish(nc, envs);
    await waitFor(
      () => count(m.db, 'station_events'),
      (n) => n >= 10 + 40,
    );
    const events = await count(m.db, 'station_events');
    const samples = await count(m.db, 'meter_samples');
    // Past the JetStream duplicate window (published without message ids) …
    await publish(nc, envs, { dedupe: false });
    // … and a full replay of the stream through a second durable consumer.
    await start('replay-all');
    const jsm = await jetstreamManager(nc);
    await waitFor(
      () => jsm.consumers.info(STREAM_EVENTS, 'replay-all'),
      (i) => i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq > 0,
    );
    await waitFor(
      () => jsm.consumers.info(STREAM_EVENTS, 'cloud-ingest'),
      (i) => i.num_pending === 0 && i.num_ack_pending === 0,
    );
    expect(await count(m.db, 'station_events')).toBe(events);
    expect(await count(m.db, 'meter_samples')).toBe(samples);
    const { rows } = await m.db.query(
      "SELECT energy_register_wh FROM connectors c JOIN stations s ON s.id = c.station_id WHERE identity = 'CP-3' AND evse_id = 1",
    );
    expect(rows[0].energy_register_wh).toBe(50_039);
    await ingests.pop()!.stop();
  });

  it('dead-letters invalid envelopes and unknown sites, and keeps going', async () => {
    await publishRaw(nc, 'vm.events.site-a.CP-1', Buffer.from('{not json'));
    await publishRaw(
      nc,
      'vm.events.site-a.CP-1',
      Buffer.from(JSON.stringify({ schemaVersion: 1, id: 'nope' })),
    );
    await publish(nc, [envelope('no-such-site', 'CP-9', ev.heartbeat(), { atS: 2000, seq: 1 })]);
    const letters = await waitFor(
      async () =>
        (await m.db.query('SELECT code, reason, subject FROM dead_letters ORDER BY stream_seq')).rows,
      (r) => r.length >= 3,
    );
    expect(letters.map((l) => l.code)).toEqual([
      'ingest.invalid_envelope',
      'ingest.invalid_envelope',
      'ingest.unknown_site',
    ]);
    expect(letters[0].reason).toBe('envelope is not valid JSON');
    expect(letters[1].reason).toMatch(/id: must be a lowercase UUIDv7/);
    expect(letters[2].reason).toMatch(/unknown site code "no-such-site"/);

    await publish(nc, [envelope('site-a', 'CP-1', ev.heartbeat(), { atS: 2001, seq: 50 })]);
    await waitFor(
      () => station('CP-1'),
      (x) => x.online === true,
    );
  });

  it('isolates an event the database refuses, dead-letters it, and stores the rest of its batch', async () => {
    const before = await count(m.db, 'station_events');
    const overflow = { ...ev.status('available'), evseId: 3_000_000_000 } as StationEvent; // > int4
    await publish(nc, [
      envelope('site-a', 'CP-2', ev.heartbeat(), { atS: 2500, seq: 30 }),
      envelope('site-a', 'CP-2', overflow, { atS: 2501, seq: 31 }),
      envelope('site-a', 'CP-2', ev.heartbeat(), { atS: 2502, seq: 32 }),
    ]);
    const letter = await waitFor(
      async () =>
        (await m.db.query("SELECT reason FROM dead_letters WHERE code = 'ingest.rejected_by_database'")).rows,
      (r) => r.length === 1,
    );
    expect(letter[0].reason).toMatch(/out of range for type integer/);
    await waitFor(
      () => count(m.db, 'station_events'),
      (n) => n === before + 2,
    );
  });

  it('registers an unknown station of a known site as unplaced', async () => {
    await publish(nc, [envelope('site-a', 'CP-NEW', ev.connected(), { atS: 3000, seq: 1 })]);
    const st = await waitFor(
      () => station('CP-NEW'),
      (x) => x !== undefined,
    );
    expect(st).toMatchObject({ unplaced: true, lat: null, online: true, name: 'CP-NEW' });
  });

  it('marks a site offline when its edge goes silent, and back online on newer events', async () => {
    const { markSilentEdgesOffline } = await import('../src/ingest/edge-watchdog.js');
    await publish(nc, [
      envelope('site-a', null, ev.edgeStatus(), { atS: 4000, seq: 1 }),
      envelope('site-a', 'CP-1', ev.heartbeat(), { atS: 3999, seq: 60 }),
    ]);
    await waitFor(
      async () =>
        (await m.db.query("SELECT edge_status_at FROM sites WHERE code = 'site-a'")).rows[0].edge_status_at,
      (x) => x !== null,
    );
    expect((await markSilentEdgesOffline(m.db, 3600)).changedStations.size).toBe(0);
    await m.db.query("UPDATE sites SET edge_seen_at = now() - interval '10 minutes' WHERE code = 'site-a'");
    const fx = await markSilentEdgesOffline(m.db, 60);
    expect(fx.changedStations.size).toBeGreaterThan(0);
    expect((await station('CP-1')).online).toBe(false);
    await publish(nc, [envelope('site-a', 'CP-1', ev.heartbeat(), { atS: 4100, seq: 61 })]);
    await waitFor(
      () => station('CP-1'),
      (x) => x.online === true,
    );
  });

  it('keeps the live energy equal to the final energy across a meter reset and a late batch', async () => {
    const s = 'CP-3';
    const energy = async () =>
      (await m.db.query("SELECT energy_wh FROM sessions WHERE transaction_id = 'tx-reset'")).rows[0]
        ?.energy_wh;
    // Register 10,000 → 10,300 (+300), reset to 50 (+50), 500 (+450); the reading at 120 s arrives last.
    await publish(nc, [
      envelope('site-a', s, ev.started('tx-reset', 10_000), { atS: 0, seq: 1 }),
      envelope('site-a', s, ev.meter('tx-reset', 60, 10_300, 18_000), { atS: 60, seq: 2 }),
      envelope('site-a', s, ev.meter('tx-reset', 180, 500, 27_000), { atS: 180, seq: 3 }),
    ]);
    await waitFor(energy, (wh) => wh !== undefined && wh !== null);
    await publish(nc, [envelope('site-a', s, ev.meter('tx-reset', 120, 50, 3_000), { atS: 120, seq: 4 })]);
    await waitFor(energy, (wh) => wh === 800);

    await publish(nc, [envelope('site-a', s, ev.ended('tx-reset', 700), { atS: 240, seq: 5 })]);
    await waitFor(energy, (wh) => wh === 1000);
  });
});
