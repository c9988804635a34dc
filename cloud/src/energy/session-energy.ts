/**
 * Energy of a charging session: the one function that computes it, used live by the ingest
 * projection (start reading + latest register), by the session watchdog and for the final report
 * (every stored sample of the transaction), so the two cannot follow different rules.
 *
 * Input values are canonical (Wh: the edge converted kWh and applied multipliers). Rules:
 * - Register readings (`Energy.Active.Import.Register`) are grouped into series by phase and
 *   location; the phase-less series is the meter, per-phase series (L1, L2, L3) are summed only when
 *   there is no phase-less one. Locations other than the outlet (e.g. `EV`) are not delivered energy.
 * - A series is sorted by time and deduplicated (the same time twice is one reading: the larger value),
 *   so arrival order and redelivery do not matter. Consecutive readings add `stepEnergyWh`.
 * - The transaction's start and stop readings join the phase-less series at start and end time.
 * - Without any register reading, interval readings (`Energy.Active.Import.Interval`) are summed,
 *   one per (time, phase).
 */
import { stepEnergyWh } from './register-steps.js';

export const REGISTER_MEASURAND = 'Energy.Active.Import.Register';
export const INTERVAL_MEASURAND = 'Energy.Active.Import.Interval';
const DELIVERED_LOCATIONS = new Set(['', 'Outlet', 'outlet']);

export interface EnergyReading {
  at: string;
  measurand: string;
  valueWh: number;
  /** '' when the reading is for the whole meter. */
  phase: string;
  /** '' when absent. */
  location: string;
}

export interface SessionEnergyInput {
  startedAt: string | null;
  meterStartWh: number | null;
  endedAt: string | null;
  meterStopWh: number | null;
  readings: readonly EnergyReading[];
}

interface Point {
  atMs: number;
  wh: number;
}

/** Energy delivered in the session (Wh, never negative), or null when nothing measured it. */
export function computeSessionEnergyWh(input: SessionEnergyInput): number | null {
  const series = new Map<string, Point[]>();
  const add = (key: string, atMs: number, wh: number) => {
    if (!Number.isFinite(atMs) || !Number.isFinite(wh)) return;
    const list = series.get(key) ?? [];
    list.push({ atMs, wh });
    series.set(key, list);
  };
  const intervals = new Map<string, number>();
  for (const r of input.readings) {
    if (!DELIVERED_LOCATIONS.has(r.location)) continue;
    const atMs = Date.parse(r.at);
    if (r.measurand === REGISTER_MEASURAND) add(r.phase, atMs, r.valueWh);
    else if (r.measurand === INTERVAL_MEASURAND && r.valueWh >= 0 && Number.isFinite(atMs)) {
      const key = JSON.stringify([atMs, r.phase]);
      intervals.set(key, Math.max(intervals.get(key) ?? 0, r.valueWh));
    }
  }
  if (input.meterStartWh !== null && input.startedAt !== null)
    add('', Date.parse(input.startedAt), input.meterStartWh);
  if (input.meterStopWh !== null && input.endedAt !== null)
    add('', Date.parse(input.endedAt), input.meterStopWh);

  const whole = series.get('');
  const chosen = whole !== undefined ? [whole] : [...series.values()];
  const measured = chosen.filter((s) => dedupe(s).length >= 2);
  if (measured.length > 0) return measured.reduce((sum, s) => sum + seriesEnergyWh(dedupe(s)), 0);
  if (intervals.size > 0) return [...intervals.values()].reduce((a, b) => a + b, 0);
  return null;
}

/** Sorted by time, one reading per time (the larger value, so duplicates in any order agree). */
function dedupe(points: readonly Point[]): Point[] {
  const byTime = new Map<number, number>();
  for (const p of points) byTime.set(p.atMs, Math.max(byTime.get(p.atMs) ?? -Infinity, p.wh));
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([atMs, wh]) => ({ atMs, wh }));
}

function seriesEnergyWh(points: readonly Point[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    total += stepEnergyWh(prev.wh, cur.wh, cur.atMs - prev.atMs);
  }
  return total;
}
