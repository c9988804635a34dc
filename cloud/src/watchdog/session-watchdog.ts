/**
 * The session watchdog: a session that never receives a stop (charger replaced, transaction lost,
 * stop dropped by a charger) would stay `active` forever and count in live KPIs. After `inactiveMs`
 * without activity (start, meter samples, any session event) it is closed as `closed_by_watchdog`,
 * ended at its last activity, with the energy of every sample it has (the energy module's one
 * function). A real stop arriving later still wins: the ingest projection sets the session
 * `completed` with the charger's stop reading.
 *
 * Safe with several cloud processes: one pass at a time (advisory lock), and station rows are locked
 * in id order before their sessions, the same order the ingest uses, so the two never deadlock.
 */
import { withTransaction, type Db } from '../db/pool.js';
import { loadSessionReadings } from '../energy/session-readings.js';
import { computeSessionEnergyWh } from '../energy/session-energy.js';
import { settleSession } from '../billing/session-cost.js';

export const WATCHDOG_LOCK_KEY = 0x766d_7764; // 'vmwd'
export const WATCHDOG_STOP_REASON = 'watchdog_timeout';
const MAX_PER_PASS = 500;

export interface ClosedSession {
  id: string;
  stationId: string;
  transactionId: string;
  endedAt: string;
  energyWh: number | null;
}

interface Candidate {
  id: string;
  station_id: string;
  transaction_id: string;
  started_at: Date | null;
  meter_start_wh: number | null;
  energy_wh: number | null;
  last_activity: Date;
}

const CANDIDATES_SQL = `
SELECT s.id, s.station_id, s.transaction_id, s.started_at, s.meter_start_wh, s.energy_wh, a.last_activity
  FROM sessions s
  CROSS JOIN LATERAL (
    SELECT greatest(s.started_at, s.last_register_at, s.updated_at,
                    (SELECT max(m.at) FROM meter_samples m
                      WHERE m.station_id = s.station_id AND m.transaction_id = s.transaction_id)) AS last_activity
  ) a
 WHERE s.status = 'active' AND a.last_activity < $1`;

/** Closes the sessions inactive since before `now - inactiveMs`; returns what it closed. */
export async function runSessionWatchdog(
  db: Db,
  options: { now: Date; inactiveMs: number },
): Promise<ClosedSession[] | null> {
  const cutoff = new Date(options.now.getTime() - options.inactiveMs);
  return withTransaction(db, async (tx) => {
    const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      WATCHDOG_LOCK_KEY,
    ]);
    if (!lock[0]?.ok) return null;
    const { rows: found } = await tx.query<{ station_id: string }>(
      `SELECT DISTINCT station_id FROM (${CANDIDATES_SQL} LIMIT ${MAX_PER_PASS}) c`,
      [cutoff],
    );
    if (found.length === 0) return [];
    const stationIds = found.map((r) => r.station_id).sort();
    await tx.query('SELECT 1 FROM stations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [stationIds]);
    // Re-read under the locks: an event may have arrived since.
    const { rows } = await tx.query<Candidate>(
      `${CANDIDATES_SQL} AND s.station_id = ANY($2::uuid[]) ORDER BY s.id FOR UPDATE OF s`,
      [cutoff, stationIds],
    );
    const closed: ClosedSession[] = [];
    for (const c of rows) {
      const readings = await loadSessionReadings(tx, c.station_id, c.transaction_id);
      const computed = computeSessionEnergyWh({
        startedAt: c.started_at?.toISOString() ?? null,
        meterStartWh: c.meter_start_wh,
        endedAt: null,
        meterStopWh: null,
        readings,
      });
      const energyWh = computed ?? c.energy_wh;
      await tx.query(
        `UPDATE sessions SET status = 'closed_by_watchdog', ended_at = $2, energy_wh = $3, stop_reason = $4,
                watchdog_closed_at = $5
          WHERE id = $1`,
        [c.id, c.last_activity, energyWh, WATCHDOG_STOP_REASON, options.now],
      );
      await tx.query(
        `UPDATE connectors SET current_transaction_id = NULL
          WHERE station_id = $1 AND current_transaction_id = $2`,
        [c.station_id, c.transaction_id],
      );
      await settleSession(tx, c.id);
      closed.push({
        id: c.id,
        stationId: c.station_id,
        transactionId: c.transaction_id,
        endedAt: c.last_activity.toISOString(),
        energyWh,
      });
    }
    return closed;
  });
}

export interface SessionWatchdog {
  stop(): Promise<void>;
}

export function startSessionWatchdog(deps: {
  db: Db;
  inactiveMs: number;
  intervalMs: number;
  now?: () => Date;
  onClosed: (closed: ClosedSession[]) => void;
  onError: (error: unknown) => void;
}): SessionWatchdog {
  const now = deps.now ?? (() => new Date());
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running !== null) return;
    running = runSessionWatchdog(deps.db, { now: now(), inactiveMs: deps.inactiveMs })
      .then((closed) => {
        if (closed !== null && closed.length > 0) deps.onClosed(closed);
      }, deps.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, deps.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
