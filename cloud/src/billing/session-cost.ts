/**
 * Session cost in the database: which tariff version a session gets when it starts, its running cost
 * while active, and its final report when it ends (ingest stop, watchdog close or force-stop), all
 * through the one cost function over the energy module's timeline. Settling is idempotent: the same
 * readings give the same report, and the ledger keeps one charge per session.
 */
import type pg from 'pg';
import type { EnergyReading } from '../energy/session-energy.js';
import { loadSessionReadings } from '../energy/session-readings.js';
import { recordSessionCharge } from '../ledger/ledger.js';
import { computeCost, type SessionCost, type TimelinePoint } from './cost.js';
import { toSpec } from './schemas.js';
import type { TariffSpec } from './tariff.js';
import { energyTimeline } from './timeline.js';

type Queryable = pg.ClientBase | pg.Pool;

/** Prices nothing: gives charging and idle time for sessions without a tariff. */
const NO_PRICES: TariffSpec = {
  currency: 'EUR',
  timeZone: 'UTC',
  energyPerKwh: '0',
  chargingPerMinute: '0',
  idlePerMinute: '0',
  idleGraceMinutes: 0,
  sessionFee: '0',
  minimum: null,
  maximum: null,
  taxRatePercent: '0',
  periods: [],
};

/**
 * The tariff version for a session, by precedence: the token's own assignment, then its token
 * group's, the station's, the site's (docs/tariffs.md). The first level whose tariff has a version in
 * force at the session's start wins. A token of the session's site wins over a tenant-wide one with
 * the same UID, as at the edge.
 */
const RESOLVE_SQL = `
WITH s AS (
  SELECT x.id, x.tenant_id, x.station_id, st.site_id, x.id_token,
         coalesce(x.started_at, x.ended_at, now()) AS at
    FROM sessions x JOIN stations st ON st.id = x.station_id
   WHERE x.id = $1
), tok AS (
  SELECT t.id, t.token_group_id FROM id_tokens t, s
   WHERE t.tenant_id = s.tenant_id AND t.id_token = s.id_token AND (t.site_id IS NULL OR t.site_id = s.site_id)
   ORDER BY t.site_id IS NULL, t.created_at LIMIT 1
)
SELECT v.id
  FROM s
 CROSS JOIN LATERAL (VALUES (1, 'token', (SELECT id FROM tok)),
                            (2, 'token_group', (SELECT token_group_id FROM tok)),
                            (3, 'station', s.station_id),
                            (4, 'site', s.site_id)) AS p(rank, target_type, target_id)
  JOIN tariff_assignments a
    ON a.tenant_id = s.tenant_id AND a.target_type = p.target_type AND a.target_id = p.target_id
 CROSS JOIN LATERAL (
   SELECT tv.id, tv.valid_to FROM tariff_versions tv
    WHERE tv.tariff_id = a.tariff_id AND tv.valid_from <= s.at
    ORDER BY tv.valid_from DESC LIMIT 1) v
 WHERE v.valid_to IS NULL OR s.at < v.valid_to
 ORDER BY p.rank
 LIMIT 1`;

/** Sets the session's tariff version once (the version it started with); returns it. */
export async function assignTariff(q: Queryable, sessionId: string): Promise<string | null> {
  const { rows } = await q.query<{ tariff_version_id: string | null }>(
    `UPDATE sessions SET tariff_version_id = coalesce(tariff_version_id, (${RESOLVE_SQL}))
      WHERE id = $1 RETURNING tariff_version_id`,
    [sessionId],
  );
  return rows[0]?.tariff_version_id ?? null;
}

interface PricedRow {
  id: string;
  tenant_id: string;
  station_id: string;
  transaction_id: string;
  id_token: string | null;
  status: string;
  started_at: Date | null;
  ended_at: Date | null;
  meter_start_wh: number | null;
  meter_stop_wh: number | null;
  spec: unknown;
}

export interface PricedSession {
  timeline: TimelinePoint[];
  /** Null without a tariff version. */
  cost: SessionCost | null;
  chargingSeconds: number;
  idleSeconds: number;
  peakPowerW: number | null;
}

const PRICED_SELECT = `
SELECT x.id, x.tenant_id, x.station_id, x.transaction_id, x.id_token, x.status, x.started_at, x.ended_at,
       x.meter_start_wh, x.meter_stop_wh, v.spec
  FROM sessions x LEFT JOIN tariff_versions v ON v.id = x.tariff_version_id
 WHERE x.id = $1`;

async function price(
  q: Queryable,
  row: PricedRow,
  loaded?: readonly EnergyReading[],
): Promise<PricedSession> {
  const readings = loaded ?? (await loadSessionReadings(q, row.station_id, row.transaction_id));
  const timeline = energyTimeline({
    startedAt: row.started_at?.toISOString() ?? null,
    meterStartWh: row.meter_start_wh,
    endedAt: row.ended_at?.toISOString() ?? null,
    meterStopWh: row.meter_stop_wh,
    readings,
  });
  const cost = row.spec === null ? null : computeCost(toSpec(row.spec), timeline);
  const usage = cost ?? computeCost(NO_PRICES, timeline);
  const { rows } = await q.query<{ peak: number | null }>(
    `SELECT max(value) AS peak FROM meter_samples
      WHERE station_id = $1 AND transaction_id = $2 AND measurand = 'Power.Active.Import' AND phase = ''`,
    [row.station_id, row.transaction_id],
  );
  return {
    timeline,
    cost,
    chargingSeconds: usage.chargingSeconds,
    idleSeconds: usage.idleSeconds,
    peakPowerW: rows[0]?.peak ?? averagePeakW(timeline),
  };
}

/** Without power samples: the highest average power between two readings. */
function averagePeakW(timeline: readonly TimelinePoint[]): number | null {
  let peak: number | null = null;
  for (let i = 1; i < timeline.length; i++) {
    const dtMs = timeline[i]!.atMs - timeline[i - 1]!.atMs;
    if (dtMs <= 0) continue;
    const w = ((timeline[i]!.energyWh - timeline[i - 1]!.energyWh) * 3_600_000) / dtMs;
    peak = peak === null ? w : Math.max(peak, w);
  }
  return peak;
}

/** The running cost of a session as of its latest reading (also for ended sessions: the same numbers). */
export async function priceSession(q: Queryable, sessionId: string): Promise<PricedSession | null> {
  const { rows } = await q.query<PricedRow>(PRICED_SELECT, [sessionId]);
  return rows[0] ? price(q, rows[0]) : null;
}

/**
 * Writes the final report of an ended session and its ledger charge, in the caller's transaction.
 * Does nothing for an active session. Safe to repeat (redelivered stop, a real stop after a watchdog
 * or force-stop close): the report is recomputed from the same readings; the ledger keeps the first
 * charge of a session.
 */
/**
 * `readings`: the session's readings when the caller has just loaded them in this transaction (the
 * ingest, which computed the energy from them), so they are not read twice.
 */
export async function settleSession(
  tx: pg.PoolClient,
  sessionId: string,
  readings?: readonly EnergyReading[],
): Promise<PricedSession | null> {
  await assignTariff(tx, sessionId);
  const { rows } = await tx.query<PricedRow>(`${PRICED_SELECT} FOR UPDATE OF x`, [sessionId]);
  const row = rows[0];
  if (!row || row.status === 'active') return null;
  const priced = await price(tx, row, readings);
  const { cost } = priced;
  await tx.query(
    `UPDATE sessions
        SET cost_net = $2, cost_tax = $3, cost_total = $4, cost_currency = $5, cost_breakdown = $6,
            charging_seconds = $7, idle_seconds = $8, peak_power_w = $9, report_at = coalesce(report_at, now())
      WHERE id = $1`,
    [
      sessionId,
      cost?.net ?? null,
      cost?.tax ?? null,
      cost?.total ?? null,
      cost?.currency ?? null,
      cost === null
        ? null
        : JSON.stringify({
            lines: cost.lines,
            periods: cost.periods,
            taxRatePercent: cost.taxRatePercent,
            billedIdleSeconds: cost.billedIdleSeconds,
          }),
      priced.chargingSeconds,
      priced.idleSeconds,
      priced.peakPowerW,
    ],
  );
  if (cost !== null) {
    await recordSessionCharge(tx, {
      tenantId: row.tenant_id,
      sessionId,
      amount: cost.total,
      currency: cost.currency,
      idToken: row.id_token,
      occurredAt: row.ended_at ?? new Date(),
    });
  }
  return priced;
}
