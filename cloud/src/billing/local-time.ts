/**
 * Wall-clock time in an IANA time zone, for tariff periods: the weekday and time of day of an instant,
 * and the next instant at which the local time reaches one of a set of minutes of the day (period
 * edges and midnight). Follows daylight-saving changes: a period "07:00–09:00" is 07:00 local time on
 * both sides of a change.
 */
import type { IsoWeekday } from './tariff.js';

export interface LocalTime {
  weekday: IsoWeekday;
  /** Milliseconds since local midnight. */
  msOfDay: number;
  /** The local wall-clock reading as if it were UTC (for offsets). */
  wallMs: number;
}

const WEEKDAYS: Record<string, IsoWeekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is a time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localTime(atMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatOf(timeZone).formatToParts(new Date(atMs))) parts[p.type] = p.value;
  const ms = ((atMs % 1000) + 1000) % 1000;
  const h = Number(parts['hour']);
  const mi = Number(parts['minute']);
  const s = Number(parts['second']);
  const wallMs = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    h,
    mi,
    s,
    ms,
  );
  return {
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? 1,
    msOfDay: ((h * 60 + mi) * 60 + s) * 1000 + ms,
    wallMs,
  };
}

/**
 * The first instant after `atMs` whose local time of day is one of `edgeMinutes` (sorted, within
 * 0–1440; 1440 is the next midnight and must be included).
 */
export function nextEdge(atMs: number, timeZone: string, edgeMinutes: readonly number[]): number {
  const here = localTime(atMs, timeZone);
  const edge = edgeMinutes.find((m) => m * 60_000 > here.msOfDay) ?? 1440;
  const naive = atMs + edge * 60_000 - here.msOfDay;
  // Across a daylight-saving change the offset differs at the edge: move by the difference.
  const there = localTime(naive, timeZone);
  const shift = here.wallMs - atMs - (there.wallMs - naive);
  const corrected = naive + shift;
  return corrected > atMs ? corrected : naive;
}
