/**
 * The per-step rule of energy accounting: how much energy one register reading adds over the one
 * before it on the same meter series. Session energy (session-energy.ts), the plain-PostgreSQL
 * rollups and the TimescaleDB aggregates all apply this rule (the SQL copies are in
 * history/rollup-sql.ts and timescale/); docs/storage.md has worked examples.
 */

/**
 * No single connector delivers more than this. A register that climbs faster than this between two
 * readings did not measure a charge: it is a `Transaction.Begin` placeholder of 0 followed by the
 * real register, or a meter swapped for one with a higher reading.
 */
export const MAX_PLAUSIBLE_POWER_W = 1_000_000;

/** The most energy a connector can deliver in `elapsedMs` (at least one second's worth). */
export function plausibleMaxWh(elapsedMs: number): number {
  return (MAX_PLAUSIBLE_POWER_W * Math.max(elapsedMs, 1_000)) / 3_600_000;
}

/**
 * Energy between two consecutive readings of one register series (Wh, already canonical):
 * - up by a plausible amount: the difference;
 * - up by more than any charger can deliver in the time: 0 (placeholder or meter swap);
 * - down: the register was reset or rolled over to 0 and counted up again, so the new reading is
 *   the energy since then (0 when even that is implausible). The part before a rollover is lost,
 *   which is at most one sample interval's energy.
 */
export function stepEnergyWh(prevWh: number, curWh: number, elapsedMs: number): number {
  const limit = plausibleMaxWh(elapsedMs);
  const delta = curWh - prevWh;
  if (delta >= 0) return delta <= limit ? delta : 0;
  return curWh >= 0 && curWh <= limit ? curWh : 0;
}
