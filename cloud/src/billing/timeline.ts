/**
 * The energy timeline of a session for the cost function: cumulative delivered energy at every time
 * a reading exists. Each point is the energy module's own number (`computeSessionEnergyWh`) over the
 * readings up to that time, so the last point is exactly the session's energy, whatever the rules
 * for resets, placeholders, phases or interval readings.
 *
 * Computing every prefix is quadratic, so the usual case (one whole-meter register series, readings
 * between start and stop) takes the running sum of the same per-step rule (`stepEnergyWh`) in the
 * same order, which gives the same numbers; its end is checked against the energy module and any
 * other case takes the prefixes (`prefixTimeline`).
 */
import { stepEnergyWh } from '../energy/register-steps.js';
import {
  computeSessionEnergyWh,
  REGISTER_MEASURAND,
  type SessionEnergyInput,
} from '../energy/session-energy.js';
import type { TimelinePoint } from './cost.js';

const OUTLET = new Set(['', 'Outlet', 'outlet']);

export function energyTimeline(input: SessionEnergyInput): TimelinePoint[] {
  const fast = registerTimeline(input);
  if (fast !== null) {
    const total = computeSessionEnergyWh(input) ?? 0;
    if (fast.length > 0 && fast[fast.length - 1]!.energyWh === total) return fast;
  }
  return prefixTimeline(input);
}

/** The running sum over one phase-less register series, or null when the input is not that case. */
export function registerTimeline(input: SessionEnergyInput): TimelinePoint[] | null {
  const startMs = input.startedAt === null ? null : Date.parse(input.startedAt);
  const endMs = input.endedAt === null ? null : Date.parse(input.endedAt);
  const byTime = new Map<number, number>();
  const put = (atMs: number, wh: number) => byTime.set(atMs, Math.max(byTime.get(atMs) ?? -Infinity, wh));
  for (const r of input.readings) {
    if (r.measurand !== REGISTER_MEASURAND) {
      if (r.measurand.startsWith('Energy.')) return null;
      continue;
    }
    const atMs = Date.parse(r.at);
    if (r.phase !== '' || !OUTLET.has(r.location) || !Number.isFinite(atMs) || !Number.isFinite(r.valueWh))
      return null;
    if ((startMs !== null && atMs < startMs) || (endMs !== null && atMs > endMs)) return null;
    put(atMs, r.valueWh);
  }
  if (startMs !== null && input.meterStartWh !== null) put(startMs, input.meterStartWh);
  if (endMs !== null && input.meterStopWh !== null) put(endMs, input.meterStopWh);
  const series = [...byTime.entries()].sort((a, b) => a[0] - b[0]);
  const times = [
    ...new Set([
      ...(startMs === null ? [] : [startMs]),
      ...series.map(([t]) => t),
      ...(endMs === null ? [] : [endMs]),
    ]),
  ].sort((a, b) => a - b);

  const points: TimelinePoint[] = [];
  let total = 0;
  let i = 0;
  for (const t of times) {
    for (; i < series.length && series[i]![0] <= t; i++) {
      if (i > 0) total += stepEnergyWh(series[i - 1]![1], series[i]![1], series[i]![0] - series[i - 1]![0]);
    }
    points.push({ atMs: t, energyWh: total });
  }
  return points;
}

/** The reference: the energy module over the readings up to each time (quadratic). */
export function prefixTimeline(input: SessionEnergyInput): TimelinePoint[] {
  const startMs = input.startedAt === null ? null : Date.parse(input.startedAt);
  const endMs = input.endedAt === null ? null : Date.parse(input.endedAt);
  const readings = input.readings
    .map((r) => ({ r, atMs: Date.parse(r.at) }))
    .filter((x) => Number.isFinite(x.atMs))
    .sort((a, b) => a.atMs - b.atMs);
  const clamp = (ms: number) => {
    const afterStart = startMs === null ? ms : Math.max(ms, startMs);
    return endMs === null ? afterStart : Math.min(afterStart, endMs);
  };
  const times = [
    ...new Set([
      ...(startMs === null ? [] : [startMs]),
      ...readings.map((x) => clamp(x.atMs)),
      ...(endMs === null ? [] : [endMs]),
    ]),
  ].sort((a, b) => a - b);
  if (times.length === 0) return [];

  const points: TimelinePoint[] = [];
  let upTo = 0;
  for (const t of times) {
    while (upTo < readings.length && clamp(readings[upTo]!.atMs) <= t) upTo++;
    const ended = endMs !== null && t >= endMs;
    const energyWh =
      computeSessionEnergyWh({
        startedAt: input.startedAt,
        meterStartWh: input.meterStartWh,
        endedAt: ended ? input.endedAt : null,
        meterStopWh: ended ? input.meterStopWh : null,
        readings: readings.slice(0, upTo).map((x) => x.r),
      }) ?? 0;
    points.push({ atMs: t, energyWh });
  }
  // The rules may pick another series once it has two readings: keep the timeline non-decreasing,
  // ending at the session's energy.
  for (let i = points.length - 2; i >= 0; i--) {
    points[i]!.energyWh = Math.min(points[i]!.energyWh, points[i + 1]!.energyWh);
  }
  return points;
}
