/**
 * The projections and the display status of the station_summaries view, written through the same
 * batch writer the ingest uses (no NATS needed), and the KPIs computed from them.
 */
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '@voltmesh/contract';
import { withTransaction } from '../src/db/pool.js';
import { writeBatch } from '../src/ingest/write-batch.js';
import { createStationQueries, type Scope } from '../src/stations/queries.js';
import { envelope, ev, fleet, migratedDatabase, seedFleet, type MigratedDb } from './support.js';

describe('station display status and KPIs', () => {
  let m: MigratedDb;
  let scope: Scope;
  let streamSeq = 0;
  let seq = 0;
  const nowS = () => (Date.now() - Date.parse('2026-11-22T10:00:00.000Z')) / 1000;

  const write = async (identity: string, events: StationEvent[]) => {
    const messages = events.map((e) => {
      seq++;
      streamSeq++;
      return {
        envelope: envelope('st-site', identity, e, { atS: nowS() + seq / 1000, seq }),
        streamSeq,
        subject: 'x',
        raw: new Uint8Array(),
      };
    });
    await withTransaction(m.db, (tx) => writeBatch(tx, messages));
  };
  const status = async (identity: string) => {
    const { rows } = await m.db.query<{ display_status: string }>(
      'SELECT display_status FROM station_summaries WHERE identity = $1',
      [identity],
    );
    return rows[0]!.display_status;
  };
  const withTwo = (identity: string): Promise<void> =>
    m.db
      .query(
        `INSERT INTO connectors (station_id, evse_id, connector_id) SELECT id, 2, 1 FROM stations WHERE identity = $1`,
        [identity],
      )
      .then(() => undefined);

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    const r = await seedFleet(
      m.db,
      fleet('Stat', 'st-site', ['S-OFF', 'S-AVAIL', 'S-CHG', 'S-FAULT', 'S-UNAV', 'S-UNK', 'S-ST-FAULT']),
    );
    scope = { tenantId: r.tenantId, siteId: null, cityId: null };
    for (const id of ['S-AVAIL', 'S-CHG', 'S-FAULT', 'S-UNAV', 'S-UNK', 'S-ST-FAULT']) await withTwo(id);
  });

  afterAll(async () => {
    await m?.close();
  });

  it('derives the display status from online state and connectors', async () => {
    await write('S-OFF', [ev.status('faulted')]);
    await write('S-AVAIL', [ev.connected(), ev.status('available', 1), ev.status('unavailable', 2)]);
    await write('S-CHG', [ev.connected(), ev.status('available', 1), ev.status('occupied', 2)]);
    await write('S-FAULT', [ev.connected(), ev.status('occupied', 1), ev.status('faulted', 2)]);
    await write('S-UNAV', [ev.connected(), ev.status('unavailable', 1), ev.status('unavailable', 2)]);
    await write('S-UNK', [ev.connected()]);
    await write('S-ST-FAULT', [ev.connected(), ev.status('available', 1), ev.status('faulted', 0)]);
    expect({
      off: await status('S-OFF'),
      avail: await status('S-AVAIL'),
      chg: await status('S-CHG'),
      fault: await status('S-FAULT'),
      unav: await status('S-UNAV'),
      unk: await status('S-UNK'),
      stationFault: await status('S-ST-FAULT'),
    }).toEqual({
      off: 'offline',
      avail: 'available',
      chg: 'charging',
      fault: 'faulted',
      unav: 'unavailable',
      unk: 'unknown',
      stationFault: 'faulted',
    });
    // The station-level (0, 0) row is not listed as a connector.
    const summary = (await createStationQueries(m.db, { trigram: true }).all(scope)).find(
      (s) => s.identity === 'S-ST-FAULT',
    )!;
    expect(summary.connectors.map((c) => c.evseId)).toEqual([1, 2]);
  });

  it('computes KPIs from sessions and fresh meter values', async () => {
    const q = createStationQueries(m.db, { trigram: true });
    // 3 kWh in a minute (180 kW) is plausible; in one second it would be an implausible jump, counted as 0.
    await write('S-CHG', [ev.started('k-1', 1000), ev.meter('k-1', nowS() + 60, 4000, 11_000)]);
    const k = await q.kpis(scope);
    expect(k).toEqual({
      stationsOnline: 6,
      stationsOffline: 1,
      stationsCharging: 1, // S-FAULT also has an occupied connector, but faulted wins
      stationsFaulted: 2,
      activeSessions: 1,
      powerNowW: 11_000,
      energyTodayWh: 3000,
    });
  });

  it('lets a site-scoped grant see only its site', async () => {
    const other = await seedFleet(m.db, fleet('Stat', 'st-site-2', ['S2-1']));
    const { rows } = await m.db.query<{ id: string }>("SELECT id FROM sites WHERE code = 'st-site-2'");
    const q = createStationQueries(m.db, { trigram: true });
    const siteScope = { tenantId: other.tenantId, siteId: rows[0]!.id, cityId: null };
    expect((await q.all(siteScope)).map((s) => s.identity)).toEqual(['S2-1']);
    expect((await q.sites(siteScope)).map((s) => s.code)).toEqual(['st-site-2']);
    expect((await q.all(scope)).length).toBe(8);
    const elsewhere = (await q.all(scope)).find((s) => s.identity === 'S-CHG')!;
    expect(await q.detail(siteScope, elsewhere.id)).toBeNull();
    expect(await q.visible(siteScope, elsewhere.id)).toBe(false);
  });
});
