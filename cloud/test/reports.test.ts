/**
 * Reports against a real PostgreSQL, with the charging history written through the ingest's batch
 * writer and the rollup job: consumption sums by token and holder equal the sessions' energies,
 * utilisation, idle time and uptime of a hand-built status history equal hand-computed values,
 * energy per day and peak hours read the aggregates, revenue reads the ledger, the CSV keeps
 * Cyrillic and Chinese names, and a site-scoped analyst or another tenant sees nothing else.
 */
import type { StationEvent } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/api/app.js';
import { withTransaction } from '../src/db/pool.js';
import { runRollup } from '../src/history/rollup-job.js';
import { recordSessionCharge } from '../src/ledger/ledger.js';
import { parseCsv } from '../src/api/csv.js';
import { meterEvent, sample, writeAt } from './history-support.js';
import { addUser, callerFor, ledgerApp, type Caller } from './ledger-support.js';
import { ev, fleet, migratedDatabase, seedFleet, type Json, type MigratedDb } from './support.js';

const DAY = 86_400_000;
const MIN = 60_000;
// Two days ago, 10:00 UTC: inside the 1-minute aggregates' 35 days, away from midnight.
const T0 = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY + 10 * 3_600_000;
const t = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const REG = 'Energy.Active.Import.Register';
const range = `from=${t(0)}&to=${t(120)}`;

const started = (tx: string, card: string): StationEvent => {
  const e = ev.started(tx, 0);
  if (e.type === 'session.started') e.idToken = { id: card, type: 'ISO14443' };
  return e;
};
const register = (tx: string | null, minute: number, wh: number) => ({
  at: t(minute),
  event: meterEvent(tx, [
    sample(t(minute), REG, wh, 'Wh'),
    sample(t(minute), 'Power.Active.Import', 6_000, 'W'),
  ]),
});
const status = (minute: number, s: 'available' | 'occupied' | 'faulted') => ({
  at: t(minute),
  event: ev.status(s),
});

/** A session from `startMin` delivering `stepWh` every minute for `chargingMin` minutes. */
function session(
  tx: string,
  card: string,
  startMin: number,
  chargingMin: number,
  stepWh: number,
  idleMin = 0,
) {
  const events = [{ at: t(startMin), event: started(tx, card) }, register(tx, startMin, 0)];
  for (let i = 1; i <= chargingMin; i++) events.push(register(tx, startMin + i, i * stepWh));
  for (let i = 1; i <= idleMin; i++)
    events.push(register(tx, startMin + chargingMin + i, chargingMin * stepWh));
  const end = startMin + chargingMin + idleMin;
  events.push({ at: t(end), event: ev.ended(tx, chargingMin * stepWh) });
  return events;
}

describe('reports', () => {
  let m: MigratedDb;
  let app: App;
  let analyst: Caller;
  let siteAnalyst: Caller;
  let viewer: Caller;
  let otherAdmin: Caller;
  let tenantId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl, 6);
    tenantId = (await seedFleet(m.db, fleet('Reports', 'rp-1', ['R-1', 'R-2']))).tenantId;
    await seedFleet(m.db, fleet('Reports', 'rp-2', ['R-3']));
    const other = (await seedFleet(m.db, fleet('Foreign', 'fo-1', ['F-1']))).tenantId;
    const { rows } = await m.db.query<{ identity: string; id: string; site_id: string }>(
      'SELECT identity, id, site_id FROM stations',
    );
    for (const r of rows) {
      ids[r.identity] = r.id;
      ids[`site:${r.identity}`] = r.site_id;
    }
    await m.db.query(
      `WITH i AS (INSERT INTO token_holders (tenant_id, name, company) VALUES ($1, 'Иван Иванов', 'ООО Вольт') RETURNING id),
            l AS (INSERT INTO token_holders (tenant_id, name) VALUES ($1, '李娜') RETURNING id)
       INSERT INTO id_tokens (tenant_id, id_token, type, holder_id)
       SELECT $1, 'CARD-A', 'ISO14443', i.id FROM i
       UNION ALL SELECT $1, 'CARD-B', 'ISO14443', l.id FROM l
       UNION ALL SELECT $1, 'CARD-C', 'ISO14443', i.id FROM i`,
      [tenantId],
    );

    // online at 0; occupied 10–40 (charging 20 min at 100 Wh/min, then 10 min idle);
    // faulted 50–60; offline from 70. Range 0–120.
    await writeAt(m.db, 'rp-1', 'R-1', [
      { at: t(0), event: ev.connected() },
      status(0, 'available'),
      status(10, 'occupied'),
      ...session('tx-1', 'CARD-A', 10, 20, 100, 10),
      status(40, 'available'),
      status(50, 'faulted'),
      status(60, 'available'),
      { at: t(70), event: ev.disconnected() },
    ]);
    // online all along, never occupied by status; a session of CARD-B (1500 Wh).
    await writeAt(m.db, 'rp-1', 'R-2', [
      { at: t(-30), event: ev.connected() },
      status(-30, 'available'),
      ...session('tx-2', 'CARD-B', 5, 15, 100),
    ]);
    // R-3 at the second site: CARD-C (3000 Wh).
    await writeAt(m.db, 'rp-2', 'R-3', [
      { at: t(0), event: ev.connected() },
      status(0, 'occupied'),
      ...session('tx-3', 'CARD-C', 0, 30, 100),
      status(30, 'available'),
    ]);
    await writeAt(m.db, 'fo-1', 'F-1', [
      { at: t(0), event: ev.connected() },
      ...session('tx-9', 'CARD-A', 0, 10, 700),
    ]);
    await runRollup(m.db);

    const sessionId = async (tx: string) =>
      (await m.db.query<{ id: string }>('SELECT id FROM sessions WHERE transaction_id = $1', [tx])).rows[0]!
        .id;
    for (const [tx, amount, tenant] of [
      ['tx-1', '10.00', tenantId],
      ['tx-2', '5.50', tenantId],
      ['tx-3', '7.25', tenantId],
      ['tx-9', '99', other],
    ] as const) {
      const id = await sessionId(tx);
      await withTransaction(m.db, (c) =>
        recordSessionCharge(c, {
          tenantId: tenant,
          sessionId: id,
          amount,
          currency: 'EUR',
          idToken: null,
          occurredAt: new Date(t(45)),
        }),
      );
    }

    app = ledgerApp(m.db);
    await addUser(m.db, tenantId, 'analyst@reports.test', 'analyst');
    await addUser(m.db, tenantId, 'site@reports.test', 'analyst', ids['site:R-3']);
    await addUser(m.db, tenantId, 'viewer@reports.test', 'viewer');
    analyst = await callerFor(app, 'analyst@reports.test');
    siteAnalyst = await callerFor(app, 'site@reports.test');
    viewer = await callerFor(app, 'viewer@reports.test');
    otherAdmin = await callerFor(app, 'admin@Foreign.test');
    const refund = await (
      await callerFor(app, 'admin@Reports.test')
    ).post('/api/ledger/refunds', {
      sessionId: await sessionId('tx-1'),
      amount: '2.00',
      reason: 'slow charging',
    });
    expect(refund.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await m?.close();
  });

  it('sums consumption by RFID and by holder to the session energies', async () => {
    const { rows: energies } = await m.db.query<{ transaction_id: string; energy_wh: number }>(
      'SELECT transaction_id, energy_wh FROM sessions WHERE tenant_id = $1 ORDER BY transaction_id',
      [tenantId],
    );
    expect(energies.map((e) => [e.transaction_id, e.energy_wh])).toEqual([
      ['tx-1', 2000],
      ['tx-2', 1500],
      ['tx-3', 3000],
    ]);
    const byToken = (await analyst.get(`/api/reports/consumption?groupBy=token&${range}`)).body;
    expect(byToken.items.map((r: Json) => [r.key, r.detail, r.sessions, r.energyWh])).toEqual([
      ['CARD-C', 'Иван Иванов', 1, 3000],
      ['CARD-A', 'Иван Иванов', 1, 2000],
      ['CARD-B', '李娜', 1, 1500],
    ]);
    expect(byToken.totals).toEqual({ sessions: 3, energyWh: 6500 });
    const byHolder = (await analyst.get(`/api/reports/consumption?groupBy=holder&${range}`)).body;
    expect(byHolder.items.map((r: Json) => [r.label, r.detail, r.energyWh])).toEqual([
      ['Иван Иванов', 'ООО Вольт', 5000],
      ['李娜', null, 1500],
    ]);
    const bySite = (await analyst.get(`/api/reports/consumption?groupBy=site&${range}`)).body;
    expect(bySite.items.map((r: Json) => [r.label, r.energyWh])).toEqual([
      ['Reports Depot', 3500],
      ['Reports Depot', 3000],
    ]);
    const filtered = (await analyst.get(`/api/reports/consumption?groupBy=token&idToken=CARD-A&${range}`))
      .body;
    expect(filtered.totals).toEqual({ sessions: 1, energyWh: 2000 });
    const holderId = (await m.db.query("SELECT id FROM token_holders WHERE name = '李娜'")).rows[0].id;
    const byHolderFilter = (
      await analyst.get(`/api/reports/consumption?groupBy=station&holderId=${holderId}&${range}`)
    ).body;
    expect(byHolderFilter.items.map((r: Json) => [r.key, r.energyWh])).toEqual([[ids['R-2'], 1500]]);
  });

  it('computes utilisation, idle time and uptime of a hand-built status history', async () => {
    const util = (await analyst.get(`/api/reports/utilisation?by=connector&stationId=${ids['R-1']}&${range}`))
      .body;
    expect(util.idleAvailable).toBe(true);
    // Occupied 10–40 of 120 minutes = 25 %; energy flowed in the 20 minutes 11–30: 10 minutes idle.
    expect(util.items).toEqual([
      expect.objectContaining({
        evseId: 1,
        occupiedS: 1800,
        utilisationPercent: 25,
        chargingS: 1200,
        idleS: 600,
      }),
    ]);
    const up = (await analyst.get(`/api/reports/uptime?siteId=${ids['site:R-1']}&${range}`)).body;
    // R-1 online 0–70 minus faulted 50–60 = 60 of 120 minutes; R-2 online throughout.
    expect(up.items.map((r: Json) => [r.stationName, r.evseId, r.upS, r.uptimePercent])).toEqual([
      ['Reports charger 1', 1, 3600, 50],
      ['Reports charger 2', 1, 7200, 100],
    ]);
    const second = (
      await analyst.get(`/api/reports/uptime?siteId=${ids['site:R-1']}&limit=1&offset=1&${range}`)
    ).body;
    expect([second.total, second.limit, second.offset]).toEqual([2, 1, 1]);
    expect(second.items.map((r: Json) => r.stationName)).toEqual(['Reports charger 2']);
    const bySite = (await analyst.get(`/api/reports/utilisation?by=site&${range}`)).body;
    // Site 1: 30 occupied minutes over 2 connectors × 120 minutes; site 2: 30 of 120.
    expect(bySite.items.map((r: Json) => [r.siteId, r.connectors, r.utilisationPercent])).toEqual([
      [ids['site:R-1'], 2, 12.5],
      [ids['site:R-3'], 1, 25],
    ]);
  });

  it('reads energy per day and peak hours from the aggregates, and revenue from the ledger', async () => {
    const day = new Date(T0).toISOString().slice(0, 10);
    const energy = (await analyst.get(`/api/reports/energy?interval=day&${range}`)).body;
    expect(energy.points).toEqual([{ at: day, energyWh: 6500 }]);
    const berlin = (await analyst.get(`/api/reports/peak-hours?tz=Europe/Berlin&${range}`)).body;
    const weekday = (new Date(T0).getUTCDay() + 6) % 7;
    // 10:00–12:00 UTC is 11:00–13:00 in Berlin (winter time).
    expect(berlin.energyWh[weekday][11] + berlin.energyWh[weekday][12]).toBe(6500);
    expect(berlin.energyWh.flat().reduce((a: number, b: number) => a + b, 0)).toBe(6500);
    // The refund was recorded now, the charges two days ago: a period up to now holds both.
    const untilNow = `from=${t(0)}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const revenue = (await analyst.get(`/api/reports/revenue?interval=month&${untilNow}`)).body;
    expect(revenue.totals).toEqual([{ currency: 'EUR', revenue: '20.7500' }]);
    const charges = revenue.points.reduce((a: number, p: Json) => a + Number(p.charges) * 100, 0);
    const refunds = revenue.points.reduce((a: number, p: Json) => a + Number(p.refunds) * 100, 0);
    expect([charges, refunds]).toEqual([2275, 200]);
    const badZone = await analyst.get(`/api/reports/energy?tz=Mars/Olympus&${range}`);
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors[0].path).toBe('tz');
  });

  it('streams the sessions as CSV with a BOM, names intact', async () => {
    const res = await analyst.get(`/api/reports/consumption.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(res.text);
    expect(rows[0]!.cells).toContain('energy_kwh');
    expect(rows.slice(1).map((r) => [r.cells[7], r.cells[8], r.cells[10], r.cells[11]])).toEqual([
      ['CARD-C', 'Иван Иванов', 'ООО Вольт', '3.000'],
      ['CARD-B', '李娜', '', '1.500'],
      ['CARD-A', 'Иван Иванов', 'ООО Вольт', '2.000'],
    ]);
  });

  it('refuses bad periods with a clear problem, and roles without reports', async () => {
    const backwards = await analyst.get(`/api/reports/consumption?from=${t(60)}&to=${t(0)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('report.range_invalid');
    const tooLong = await analyst.get(
      `/api/reports/uptime?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z`,
    );
    expect(tooLong.body.code).toBe('report.range_invalid');
    expect(tooLong.body.detail).toContain('93 days');
    expect((await viewer.get(`/api/reports/consumption?${range}`)).status).toBe(403);
  });

  it('shows a site-scoped analyst only their site, and another tenant nothing of this one', async () => {
    const mine = (await siteAnalyst.get(`/api/reports/consumption?groupBy=token&${range}`)).body;
    expect(mine.items.map((r: Json) => r.key)).toEqual(['CARD-C']);
    expect((await siteAnalyst.get(`/api/reports/energy?${range}`)).body.points[0].energyWh).toBe(3000);
    const util = (await siteAnalyst.get(`/api/reports/uptime?${range}`)).body.items;
    expect(util.map((r: Json) => r.stationId)).toEqual([ids['R-3']]);
    // Naming another site narrows to nothing.
    const elsewhere = (await siteAnalyst.get(`/api/reports/consumption?siteId=${ids['site:R-1']}&${range}`))
      .body;
    expect(elsewhere.items).toEqual([]);
    expect((await siteAnalyst.get(`/api/reports/revenue?interval=month&${range}`)).body.totals).toEqual([
      { currency: 'EUR', revenue: '7.2500' },
    ]);
    const foreign = (await otherAdmin.get(`/api/reports/consumption?groupBy=holder&${range}`)).body;
    expect(foreign.totals).toEqual({ sessions: 1, energyWh: 7000 });
    expect(JSON.stringify(foreign)).not.toContain('Иван');
    expect((await otherAdmin.get(`/api/reports/energy?${range}`)).body.points[0].energyWh).toBe(7000);
  });

  it('property: consumption per holder always sums to the fleet total of the period', async () => {
    const tenant = (await seedFleet(m.db, fleet('Prop', 'pr-1', ['P-1']))).tenantId;
    await addUser(m.db, tenant, 'analyst@prop.test', 'analyst');
    const prop = await callerFor(app, 'analyst@prop.test');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: 1, maxLength: 6 }),
        fc.array(
          fc.record({ token: fc.nat(7), energyWh: fc.integer({ min: 0, max: 90_000 }), minute: fc.nat(600) }),
          { maxLength: 12 },
        ),
        async (tokenHolders, sessions) => {
          run++;
          await m.db.query('DELETE FROM sessions WHERE tenant_id = $1', [tenant]);
          await m.db.query('DELETE FROM id_tokens WHERE tenant_id = $1', [tenant]);
          await m.db.query('DELETE FROM token_holders WHERE tenant_id = $1', [tenant]);
          const holders = (
            await m.db.query<{ id: string }>(
              `INSERT INTO token_holders (tenant_id, name) SELECT $1, 'H' || g FROM generate_series(0, 3) g RETURNING id`,
              [tenant],
            )
          ).rows.map((r) => r.id);
          for (const [i, h] of tokenHolders.entries()) {
            await m.db.query(
              `INSERT INTO id_tokens (tenant_id, id_token, type, holder_id) VALUES ($1, $2, 'ISO14443', $3)`,
              [tenant, `P${i}`, h === null ? null : holders[h]],
            );
          }
          for (const [i, s] of sessions.entries()) {
            await m.db.query(
              `INSERT INTO sessions (tenant_id, station_id, transaction_id, id_token, started_at, energy_wh, status)
               VALUES ($1, $2, $3, $4, $5, $6, 'completed')`,
              [
                tenant,
                ids['P-1'] ?? (await m.db.query("SELECT id FROM stations WHERE identity = 'P-1'")).rows[0].id,
                `p${run}-${i}`,
                `P${s.token}`,
                t(s.minute - 300),
                s.energyWh,
              ],
            );
          }
          const q = `from=${t(-300)}&to=${t(301)}&limit=500`;
          const byHolder = (await prop.get(`/api/reports/consumption?groupBy=holder&${q}`)).body;
          const byToken = (await prop.get(`/api/reports/consumption?groupBy=token&${q}`)).body;
          const fleetWh = sessions.reduce((a, s) => a + s.energyWh, 0);
          const sum = (rows: Json[]) => rows.reduce((a: number, r: Json) => a + r.energyWh, 0);
          expect(sum(byHolder.items)).toBe(fleetWh);
          expect(sum(byToken.items)).toBe(fleetWh);
          expect(byHolder.totals.energyWh).toBe(fleetWh);
        },
      ),
      { numRuns: 25 },
    );
  });
});
