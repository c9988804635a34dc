/** Which period of a tariff applies in each hour of the week (the first matching one, as priced). */
import type { IsoWeekday, TariffSpec } from '../../api/types';

export const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** Index of the period applying at `weekday` `hour`:30 local time, -1 for the base rates. */
export function periodAt(spec: Pick<TariffSpec, 'periods'>, weekday: IsoWeekday, hour: number): number {
  const minute = hour * 60 + 30;
  return spec.periods.findIndex(
    (p) => p.days.includes(weekday) && minute >= p.startMinute && minute < p.endMinute,
  );
}

/** Distinct hues for up to a handful of periods; the base rates stay neutral. */
export const PERIOD_COLORS = ['#f59e0b', '#8b5cf6', '#10b981', '#ef4444', '#06b6d4', '#ec4899'];

export const minutesToTime = (m: number): string =>
  `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "07:30" → 450; "24:00" or "00:00" as an end → 1440. */
export function timeToMinutes(value: string, isEnd = false): number {
  const [h, m] = value.split(':').map(Number);
  const minutes = (h ?? 0) * 60 + (m ?? 0);
  return isEnd && minutes === 0 ? 1440 : minutes;
}
