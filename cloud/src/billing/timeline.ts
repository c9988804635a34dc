/**
 * The energy timeline of a session for the cost function: cumulative delivered energy at every time
 * a reading exists. Each point is the energy module's own number (`computeSessionEnergyWh`) over the
 * readings up to that time, so the last point is exactly the session's energy, whatever the rules
 * for resets, placeholders, phases or interval readings.
 */
import { computeSessionEnergyWh, type SessionEnergyInput } from '../energy/session-energy.js';
import type { TimelinePoint } from './cost.js';

export function energyTimeline(input: SessionEnergyInput): TimelinePoint[] {
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
