/**
 * Query times at fleet scale on the real PostgreSQL: 500 stations with 30 days of rollups, and one
 * rollup pass over a minute of samples from all of them. Prints the medians; the assertions are
 * loose bounds for a shared 2-core machine, the targets are in docs/storage.md.
 */
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/api/app.js';
import { createHistoryQueries } from '../src/history/queries.js';
import { runRollup } from '../src/history/rollup-job.js';
import { historyApp, loginCookie } from './history-support.js';
import { fleet, migratedDatabase, seedFleet, type Json, type MigratedDb } from './support.js';

const STATIONS = 500;
const DAY_MS = 86_400_000;

describe('history at 500 stations', () => {
  let m: MigratedDb;
  let app: App;
  let cookie: string;
  let tenantId: string;
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const from = new Date(to.getTime() - 30 * DAY_MS);

  const median = async (path: string, runs = 7) => {
    const times: number[] = [];
    let body: Json = null;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = await app.request(path, { headers: { cookie } });
      body = await res.json();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(runs / 2)]!, body };
  };

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    const seeded = await seedFleet(m.db, fleet('Perf', 'perf-1', []));
    tenantId = seeded.tenantId;
    await m.db.query(
      `INSERT INTO stations (tenant_id, site_id, identity, name)
       SELECT $1, si.id, 'P-' || g, 'Perf ' || g FROM sites si, generate_series(1, $2) g WHERE si.code = 'perf-1'`,
      [seeded.tenantId, STATIONS],
    );
    // 30 days of rollups per station: daily and hourly rows (what the two queries below read).
    for (const [width, stepS] of [
      ['1d', 86_400],
      ['1h', 3_600],
    ] as const) {
      await m.db.query(
        `INSERT INTO meter_rollups (width, bucket, station_id, evse_id, connector_id, tenant_id, site_id,
                                    energy_wh, power_sum_w, power_count, power_max_w)
         SELECT $1, b, st.id, 1, 1, st.tenant_id, st.site_id, 1000 + random() * 100, 6000 * 60, 60, 7000
           FROM stations st, generate_series($2::timestamptz, $3::timestamptz - interval '1 second', make_interval(secs => $4)) b
          WHERE st.tenant_id = $5`,
        [width, from, to, stepS, seeded.tenantId],
      );
    }
    await m.db.query('ANALYZE meter_rollups');
    app = historyApp(m.db);
    cookie = await loginCookie(app, 'admin@Perf.test');
  }, 120_000);

  afterAll(async () => {
    await m?.close();
  });

  it('30 days of daily energy per station for 500 stations', async () => {
    const { ms, body } = await median(
      `/api/history/energy?groupBy=station&from=${from.toISOString()}&to=${to.toISOString()}&bucket=1d`,
    );
    expect(body.rows).toHaveLength(STATIONS * 30);
    // The database query alone, without HTTP and JSON of the 15,000 rows.
    const history = createHistoryQueries(m.db, { engine: 'postgres' });
    const scope = { tenantId, siteId: null, cityId: null };
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      await history.energy(scope, {
        fromMs: from.getTime(),
        toMs: to.getTime(),
        bucket: '1d',
        groupBy: 'station',
      });
      times.push(performance.now() - started);
    }
    const queryMs = times.sort((a, b) => a - b)[3]!;
    process.stdout.write(
      `history perf: 30-day daily energy by station, 500 stations: ${ms.toFixed(1)} ms over HTTP, ${queryMs.toFixed(1)} ms query (medians)\n`,
    );
    expect(ms).toBeLessThan(1000);
  });

  it('30 days of fleet power and energy per hour, and per day', async () => {
    const hourly = await median(`/api/history/power?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(hourly.body.bucket).toBe('1h');
    expect(hourly.body.points).toHaveLength(720);
    const daily = await median(
      `/api/history/power?from=${from.toISOString()}&to=${to.toISOString()}&bucket=1d`,
    );
    expect(daily.body.points[0].powerW).toBe(STATIONS * 6000);
    process.stdout.write(
      `history perf: 30-day fleet power, 500 stations: hourly ${hourly.ms.toFixed(1)} ms, daily ${daily.ms.toFixed(1)} ms (median)\n`,
    );
    expect(daily.ms).toBeLessThan(1000);
  });

  it('a rollup pass over one minute of samples from 500 stations', async () => {
    await runRollup(m.db); // catch up with nothing
    const at = new Date(to.getTime() - 60_000);
    const { rows } = await m.db.query<{ id: string; tenant_id: string; site_id: string }>(
      'SELECT id, tenant_id, site_id FROM stations WHERE identity LIKE $1',
      ['P-%'],
    );
    // One meter.samples event per station with 6 register and 6 power readings, as the ingest writes them.
    await m.db.query(
      `WITH s AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS u(id, tenant_id, site_id)),
       e AS (
         INSERT INTO station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
         SELECT $4, gen_random_uuid(), s.tenant_id, s.site_id, s.id, 1, 'meter.samples', $4, '{}',
                jsonb_build_object('type', 'meter.samples', 'evseId', 1, 'connectorId', 1,
                  'samples', (SELECT jsonb_agg(jsonb_build_object('at', $4::timestamptz + make_interval(secs => 10 * i)))
                                FROM generate_series(0, 5) i))
           FROM s RETURNING 1
       )
       INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, phase, location, value, unit,
                                  context, tenant_id, event_id)
       SELECT $4::timestamptz + make_interval(secs => 10 * i), s.id, 1, 1, m, '', '',
              CASE WHEN m = 'Power.Active.Import' THEN 6000 ELSE 50000 + 17 * i END, 'W', 'sample.periodic',
              s.tenant_id, gen_random_uuid()
         FROM s, generate_series(0, 5) i, unnest(ARRAY['Power.Active.Import', 'Energy.Active.Import.Register']) m`,
      [rows.map((r) => r.id), rows.map((r) => r.tenant_id), rows.map((r) => r.site_id), at],
    );
    const started = performance.now();
    const pass = await runRollup(m.db);
    const ms = performance.now() - started;
    expect(pass).toMatchObject({ ran: true, connectors: STATIONS });
    process.stdout.write(
      `history perf: rollup pass, 500 connectors x 1 min of samples: ${ms.toFixed(0)} ms\n`,
    );
    expect(ms).toBeLessThan(10_000);
  });
});
