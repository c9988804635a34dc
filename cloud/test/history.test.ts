/**
 * History on plain PostgreSQL: events written through the ingest's batch writer, rollups built by
 * the rollup job (including a late batch and a redelivery), and every history endpoint's answer.
 */
import { testServices } from '@voltmesh/infra/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/api/app.js';
import { ROLLUP_LOCK_KEY, runRollup } from '../src/history/rollup-job.js';
import { historyApp, loginCookie, meterEvent, sample, writeAt } from './history-support.js';
import { ev, fleet, migratedDatabase, seedFleet, type Json, type MigratedDb } from './support.js';

const T = Date.parse('2026-11-20T10:00:00.000Z');
const t = (s: number) => new Date(T + s * 1000).toISOString();
const REG = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';

describe('history (plain PostgreSQL rollups)', () => {
  let m: MigratedDb;
  let app: App;
  let cookie: string;
  let h1: string;
  let h2: string;
  let other: string;

  const get = async (path: string) => {
    const res = await app.request(path, { headers: { cookie } });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
  };
  const rollupTotal = async (width: string, stationId: string) => {
    const { rows } = await m.db.query<{ e: number }>(
      'SELECT coalesce(sum(energy_wh), 0) AS e FROM meter_rollups WHERE width = $1 AND station_id = $2',
      [width, stationId],
    );
    return rows[0]!.e;
  };

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(m.db, fleet('Hist', 'hist-1', ['H-1', 'H-2']));
    await seedFleet(m.db, fleet('HistOther', 'hist-o', ['O-1']));
    const { rows } = await m.db.query<{ id: string; identity: string }>('SELECT id, identity FROM stations');
    const id = (identity: string) => rows.find((r) => r.identity === identity)!.id;
    [h1, h2, other] = [id('H-1'), id('H-2'), id('O-1')];
    app = historyApp(m.db);
    cookie = await loginCookie(app, 'admin@Hist.test');

    // H-1: one session from T to T+600 s, register 1000 → 2000 Wh, 6 kW, samples every minute.
    await writeAt(m.db, 'hist-1', 'H-1', [
      { at: t(-60), event: ev.connected() },
      { at: t(-30), event: ev.status('available') },
      { at: t(0), event: ev.started('TX1', 1000) },
      // The edge sends the start and stop registers as transaction.begin/end samples too.
      { at: t(0), event: meterEvent('TX1', [sample(t(0), REG, 1000, 'Wh')]) },
      { at: t(1), event: ev.status('occupied') },
    ]);
    const minute = (i: number) =>
      meterEvent('TX1', [sample(t(60 * i), REG, 1000 + 100 * i, 'Wh'), sample(t(60 * i), POWER, 6000, 'W')]);
    await writeAt(
      m.db,
      'hist-1',
      'H-1',
      [1, 2, 3, 4, 5].map((i) => ({ at: t(60 * i), event: minute(i) })),
    );
    // H-2: three phases, no whole-meter values: registers and power add up, voltage averages.
    const phases = (i: number) =>
      meterEvent(null, [
        ...['L1', 'L2', 'L3'].flatMap((p) => [
          sample(t(60 * i), REG, 10_000 + 50 * i, 'Wh', p),
          sample(t(60 * i), POWER, 3000, 'W', p),
          sample(t(60 * i), 'Voltage', p === 'L1' ? 229 : 231, 'V', p),
          sample(t(60 * i), 'Current.Import', 13, 'A', p),
        ]),
      ]);
    await writeAt(
      m.db,
      'hist-1',
      'H-2',
      [0, 1, 2].map((i) => ({ at: t(60 * i), event: phases(i) })),
    );
    await writeAt(m.db, 'hist-o', 'O-1', [
      { at: t(0), event: meterEvent(null, [sample(t(0), REG, 0, 'Wh')]) },
      { at: t(60), event: meterEvent(null, [sample(t(60), REG, 99_000, 'Wh')]) },
    ]);
  });

  afterAll(async () => {
    await m?.close();
  });

  it('builds rollups from ingested samples and keeps them right through a late batch and a redelivery', async () => {
    expect((await runRollup(m.db)).ran).toBe(true);
    expect(await rollupTotal('1m', h1)).toBe(500);
    // The rest of the session arrives late (an edge back from offline), with one sample twice.
    await writeAt(m.db, 'hist-1', 'H-1', [
      ...[10, 7, 6, 8, 9].map((i) => ({
        at: t(60 * i),
        event: meterEvent('TX1', [
          sample(t(60 * i), REG, 1000 + 100 * i, 'Wh'),
          sample(t(60 * i), POWER, 6000, 'W'),
        ]),
      })),
      { at: t(61), event: meterEvent('TX1', [sample(t(60), REG, 1100, 'Wh')]) },
      { at: t(600), event: ev.ended('TX1', 2000) },
      { at: t(600), event: meterEvent('TX1', [sample(t(600), REG, 2000, 'Wh')]) },
      { at: t(601), event: ev.status('available') },
    ]);
    await runRollup(m.db);
    for (const width of ['1m', '15m', '1h', '1d']) expect(await rollupTotal(width, h1)).toBe(1000);
    expect(await rollupTotal('1d', h2)).toBe(300);
    // A second pass over the same events changes nothing.
    await runRollup(m.db);
    expect(await rollupTotal('1h', h1)).toBe(1000);
  });

  it('skips a pass while another process holds the rollup lock', async () => {
    const client: pg.PoolClient = await m.db.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [ROLLUP_LOCK_KEY]);
      expect(await runRollup(m.db)).toEqual({ ran: false, connectors: 0, rows1m: 0 });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ROLLUP_LOCK_KEY]);
      client.release();
    }
  });

  it('GET /api/history/power: per-bucket average power and energy, whole tenant or one station', async () => {
    const all = await get(`/api/history/power?from=${t(0)}&to=${t(3600)}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ bucket: '1m', from: t(0), to: t(3600) });
    expect(all.body.points).toHaveLength(60);
    expect(all.body.points[0]).toEqual({ at: t(0), powerW: 9000, energyWh: 0 });
    expect(all.body.points[1]).toEqual({ at: t(60), powerW: 15_000, energyWh: 250 });
    const sum = (points: Json[]) => points.reduce((a: number, p: Json) => a + p.energyWh, 0);
    expect(sum(all.body.points)).toBe(1300); // the other tenant's 99 kWh is not here

    const one = await get(`/api/history/power?stationId=${h1}&from=${t(0)}&to=${t(3600)}&bucket=15m`);
    expect(one.body.bucket).toBe('15m');
    expect(one.body.points).toEqual([
      { at: t(0), powerW: 6000, energyWh: 1000 },
      { at: t(900), powerW: 0, energyWh: 0 },
      { at: t(1800), powerW: 0, energyWh: 0 },
      { at: t(2700), powerW: 0, energyWh: 0 },
    ]);
    const site = await get(
      `/api/history/power?siteId=${'00000000-0000-4000-8000-000000000000'}&from=${t(0)}&to=${t(600)}`,
    );
    expect(sum(site.body.points)).toBe(0);
  });

  it('chooses the bucket from the range and rejects backwards or oversized ranges', async () => {
    const pick = async (spanS: number) =>
      (await get(`/api/history/power?from=${t(0)}&to=${t(spanS)}`)).body.bucket as string;
    expect(await pick(6 * 3600)).toBe('1m');
    expect(await pick(3 * 86400)).toBe('15m');
    expect(await pick(60 * 86400)).toBe('1h');
    expect(await pick(61 * 86400)).toBe('1d');
    const backwards = await get(`/api/history/power?from=${t(600)}&to=${t(0)}`);
    expect(backwards).toMatchObject({
      status: 400,
      type: 'application/problem+json',
      body: { code: 'request.invalid' },
    });
    const tooMany = await get(`/api/history/power?from=${t(0)}&to=${t(30 * 86400)}&bucket=1m`);
    expect(tooMany.body.code).toBe('request.invalid');
    expect((await get('/api/history/power?bucket=2m')).body.code).toBe('request.invalid');
  });

  it('GET /api/history/energy by station, site and token', async () => {
    const q = `from=${t(0)}&to=${t(86400)}`;
    const byStation = await get(`/api/history/energy?groupBy=station&${q}`);
    expect(byStation.body).toEqual({
      bucket: '1d',
      rows: [
        { key: h1, label: 'Hist charger 1', at: '2026-11-20T00:00:00.000Z', energyWh: 1000 },
        { key: h2, label: 'Hist charger 2', at: '2026-11-20T00:00:00.000Z', energyWh: 300 },
      ],
    });
    const bySite = await get(`/api/history/energy?groupBy=site&${q}&bucket=1h`);
    expect(bySite.body.rows).toEqual([
      { key: expect.any(String), label: 'Hist Depot', at: '2026-11-20T10:00:00.000Z', energyWh: 1300 },
    ]);
    const byToken = await get(`/api/history/energy?groupBy=token&${q}`);
    expect(byToken.body.rows).toEqual([
      { key: 'TAG1', label: 'TAG1', at: '2026-11-20T00:00:00.000Z', energyWh: 1000 },
    ]);
  });

  it('GET /api/stations/:id/meter combines phases: power and current added, voltage averaged', async () => {
    const res = await get(`/api/stations/${h2}/meter?from=${t(0)}&to=${t(120)}`);
    expect(res.status).toBe(200);
    expect(res.body.points).toEqual([
      { at: t(0), evseId: 1, powerW: 9000, voltageV: 230.33333333333334, currentA: 39, socPercent: null },
      { at: t(60), evseId: 1, powerW: 9000, voltageV: 230.33333333333334, currentA: 39, socPercent: null },
    ]);
  });

  it('GET /api/stations/:id/timeline: segments from status events, the current one open', async () => {
    const res = await get(`/api/stations/${h1}/timeline?from=${t(-10)}&to=${t(3600)}`);
    expect(res.body.segments).toEqual([
      { evseId: 1, connectorId: 1, status: 'available', rawStatus: 'Available', from: t(-10), to: t(1) },
      { evseId: 1, connectorId: 1, status: 'occupied', rawStatus: 'Charging', from: t(1), to: t(601) },
      { evseId: 1, connectorId: 1, status: 'available', rawStatus: 'Available', from: t(601), to: null },
    ]);
  });

  it('GET /api/stations/:id/sessions pages the sessions with their energy', async () => {
    const res = await get(`/api/stations/${h1}/sessions?limit=10`);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(String),
          transactionId: 'TX1',
          evseId: 1,
          connectorId: 1,
          idToken: 'TAG1',
          startedAt: t(0),
          endedAt: t(600),
          energyWh: 1000,
          status: 'completed',
          stopReason: 'local',
        },
      ],
      total: 1,
    });
  });

  it('GET /api/history/fleet-status counts stations per bucket from status events', async () => {
    const res = await get(`/api/history/fleet-status?from=${t(-900)}&to=${t(900)}&bucket=15m`);
    expect(res.body.bucket).toBe('15m');
    // H-2 never connected (offline); H-1 connected at -60 s and was available again at the end of each.
    expect(res.body.points).toEqual([
      { at: t(-900), online: 1, charging: 0, faulted: 0, offline: 1 },
      { at: t(0), online: 1, charging: 0, faulted: 0, offline: 1 },
    ]);
    const minutes = await get(`/api/history/fleet-status?from=${t(-120)}&to=${t(120)}&bucket=1m`);
    expect(minutes.body.points.map((p: Json) => [p.online, p.charging, p.offline])).toEqual([
      [0, 0, 2],
      [1, 0, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('describes every history endpoint in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Json;
    for (const path of [
      '/api/history/power',
      '/api/history/energy',
      '/api/history/fleet-status',
      '/api/stations/{id}/meter',
      '/api/stations/{id}/timeline',
      '/api/stations/{id}/sessions',
    ])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });

  it('answers 404 station.not_found for another tenant’s station and 401 without a session', async () => {
    for (const path of ['meter', 'timeline', 'sessions']) {
      const res = await get(`/api/stations/${other}/${path}`);
      expect(res).toMatchObject({
        status: 404,
        type: 'application/problem+json',
        body: { code: 'station.not_found' },
      });
    }
    const anon = await app.request('/api/history/power');
    expect(anon.status).toBe(401);
  });
});
