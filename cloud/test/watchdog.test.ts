/**
 * The session watchdog against the real PostgreSQL: sessions without a stop are closed after the
 * configured inactivity with the energy of every sample they have, nothing else is touched, a late
 * stop still wins, and a second process holding the lock makes a pass skip.
 */
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runSessionWatchdog,
  WATCHDOG_LOCK_KEY,
  WATCHDOG_STOP_REASON,
} from '../src/watchdog/session-watchdog.js';
import { meterEvent, sample, writeAt } from './history-support.js';
import { ev, fleet, migratedDatabase, seedFleet, type MigratedDb } from './support.js';

const HOUR_MS = 3_600_000;
const REG = 'Energy.Active.Import.Register';

describe('session watchdog', () => {
  let m: MigratedDb;
  // Activity times are the samples' and the cloud's own clock (updated_at), so the injected clock
  // starts from the real now.
  const base = Date.now();
  const t = (s: number) => new Date(base - 2 * HOUR_MS + s * 1000).toISOString();
  const session = async (tx: string) =>
    (
      await m.db.query<{
        status: string;
        energy_wh: number | null;
        ended_at: Date | null;
        stop_reason: string | null;
      }>('SELECT status, energy_wh, ended_at, stop_reason FROM sessions WHERE transaction_id = $1', [tx])
    ).rows[0]!;

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(m.db, fleet('Wd', 'wd-1', ['W-1', 'W-2']));
    // W-1: started at 0 with 1000 Wh, +500 Wh, then the meter is reset and counts 300 Wh more; no stop.
    await writeAt(m.db, 'wd-1', 'W-1', [
      { at: t(0), event: ev.started('LOST', 1000) },
      { at: t(0), event: meterEvent('LOST', [sample(t(0), REG, 1000, 'Wh')]) },
      { at: t(600), event: meterEvent('LOST', [sample(t(600), REG, 1500, 'Wh')]) },
      { at: t(1200), event: meterEvent('LOST', [sample(t(1200), REG, 100, 'Wh')]) },
      { at: t(1800), event: meterEvent('LOST', [sample(t(1800), REG, 300, 'Wh')]) },
    ]);
    // W-2: a session that is properly stopped.
    await writeAt(m.db, 'wd-1', 'W-2', [
      { at: t(0), event: ev.started('OK', 0) },
      { at: t(900), event: ev.ended('OK', 700) },
    ]);
  });

  afterAll(async () => {
    await m?.close();
  });

  it('leaves sessions alone until the inactivity limit has passed', async () => {
    expect(await runSessionWatchdog(m.db, { now: new Date(base), inactiveMs: 24 * HOUR_MS })).toEqual([]);
    expect((await session('LOST')).status).toBe('active');
  });

  it('skips a pass while another process holds the watchdog lock', async () => {
    const client = await m.db.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [WATCHDOG_LOCK_KEY]);
      const now = new Date(base + 25 * HOUR_MS);
      expect(await runSessionWatchdog(m.db, { now, inactiveMs: 24 * HOUR_MS })).toBeNull();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [WATCHDOG_LOCK_KEY]);
      client.release();
    }
  });

  it('closes a session without a stop after the limit, with the energy of all its samples', async () => {
    const live = (await session('LOST')).energy_wh;
    const closed = await runSessionWatchdog(m.db, {
      now: new Date(base + 25 * HOUR_MS),
      inactiveMs: 24 * HOUR_MS,
    });
    expect(closed).toHaveLength(1);
    expect(closed![0]).toMatchObject({ transactionId: 'LOST', energyWh: 800 });
    const s = await session('LOST');
    expect(s).toMatchObject({
      status: 'closed_by_watchdog',
      energy_wh: 800,
      stop_reason: WATCHDOG_STOP_REASON,
    });
    // Ended at the last activity, which is at least the last sample.
    expect(s.ended_at!.getTime()).toBeGreaterThanOrEqual(Date.parse(t(1800)));
    // The live value is computed like the final one, from every reading: it already counted the reset.
    expect(live).toBe(800);
    expect((await session('OK')).status).toBe('completed');
    const { rows } = await m.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM connectors WHERE current_transaction_id = 'LOST'",
    );
    expect(rows[0]!.n).toBe(0);
    // Nothing left to close.
    expect(
      await runSessionWatchdog(m.db, { now: new Date(base + 26 * HOUR_MS), inactiveMs: 24 * HOUR_MS }),
    ).toEqual([]);
  });

  it('lets a stop that arrives after all still complete the session with the charger’s reading', async () => {
    await writeAt(m.db, 'wd-1', 'W-1', [{ at: t(2400), event: ev.ended('LOST', 400) }]);
    expect(await session('LOST')).toMatchObject({ status: 'completed', stop_reason: 'local' });
  });
});
