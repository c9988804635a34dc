/**
 * A station's recent meter readings per EVSE, one sample list per quantity in display units
 * (kW, V, A). Built from /api/stations/:id/meter, extended by `meter:update` (power only: the live
 * event carries no voltage or current), and capped so a page left open does not grow without bound.
 */
import type { MeterLive, MeterPoint } from '../../api/types';
import type { Sample } from './chart-option';
import { capSamples, mergeSamples, toMs, wattsToKilowatts } from './samples';

export const METER_QUANTITIES = ['power', 'voltage', 'current'] as const;
export type MeterQuantity = (typeof METER_QUANTITIES)[number];

export type EvseMeter = Record<MeterQuantity, Sample[]>;
/** EVSE id → its samples; a new Map on every change so watchers see it. */
export type StationMeter = ReadonlyMap<number, EvseMeter>;

function emptyEvse(): EvseMeter {
  return { power: [], voltage: [], current: [] };
}

/** A null reading stays in as a null sample: the chart draws a gap there instead of a guessed line. */
export function meterFromPoints(points: readonly MeterPoint[]): Map<number, EvseMeter> {
  const meter = new Map<number, EvseMeter>();
  for (const point of points) {
    const atMs = toMs(point.at);
    if (!Number.isFinite(atMs)) continue;
    const evse = meter.get(point.evseId) ?? emptyEvse();
    evse.power.push([atMs, wattsToKilowatts(point.powerW)]);
    evse.voltage.push([atMs, point.voltageV]);
    evse.current.push([atMs, point.currentA]);
    meter.set(point.evseId, evse);
  }
  for (const evse of meter.values()) for (const q of METER_QUANTITIES) evse[q] = mergeSamples(evse[q]);
  return meter;
}

export function mergeMeter(base: StationMeter, addition: StationMeter): Map<number, EvseMeter> {
  const merged = new Map(base);
  for (const [evseId, add] of addition) {
    const current = merged.get(evseId) ?? emptyEvse();
    merged.set(evseId, {
      power: mergeSamples(current.power, add.power),
      voltage: mergeSamples(current.voltage, add.voltage),
      current: mergeSamples(current.current, add.current),
    });
  }
  return merged;
}

/** Live readings for one station as meter samples (power only). */
export function meterFromLive(updates: readonly MeterLive[]): Map<number, EvseMeter> {
  const meter = new Map<number, EvseMeter>();
  for (const update of updates) {
    const atMs = toMs(update.at);
    if (!Number.isFinite(atMs)) continue;
    const evse = meter.get(update.evseId) ?? emptyEvse();
    evse.power.push([atMs, wattsToKilowatts(update.powerW)]);
    meter.set(update.evseId, evse);
  }
  return meter;
}

export function capMeter(
  meter: StationMeter,
  nowMs: number,
  windowMs: number,
  maxPoints: number,
): Map<number, EvseMeter> {
  const capped = new Map<number, EvseMeter>();
  for (const [evseId, evse] of meter) {
    capped.set(evseId, {
      power: capSamples(evse.power, nowMs, windowMs, maxPoints),
      voltage: capSamples(evse.voltage, nowMs, windowMs, maxPoints),
      current: capSamples(evse.current, nowMs, windowMs, maxPoints),
    });
  }
  return capped;
}

/** The newest sample time across every EVSE and quantity, or null when there is none. */
export function newestSampleMs(meter: StationMeter): number | null {
  let newest: number | null = null;
  for (const evse of meter.values())
    for (const q of METER_QUANTITIES) {
      const last = evse[q].at(-1);
      if (last && (newest === null || last[0] > newest)) newest = last[0];
    }
  return newest;
}
