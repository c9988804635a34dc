/** How sessions and money read on the billing pages: kWh, durations, amounts in the session's currency. */
import type { Money, SessionStatus } from '../../api/types';

export const kwh = (wh: number | null | undefined): string =>
  wh === null || wh === undefined ? '—' : (wh / 1000).toFixed(3);

export const kw = (w: number | null | undefined): string =>
  w === null || w === undefined ? '—' : (w / 1000).toFixed(1);

/** "1 h 05 min" style, from seconds (null: unknown). */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** An amount string of the API ("8.33") in the currency's format for the locale. */
export function money(amount: string, currency: string, locale: string): string {
  const minor =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  // At least the currency's minor unit; more only where the exact amount has them (0.475 €/kWh).
  const digits = Math.min(Math.max(amount.split('.')[1]?.length ?? 0, minor), 6);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(amount));
}

export const total = (cost: Money | null, locale: string): string =>
  cost === null ? '—' : money(cost.total, cost.currency, locale);

export const STATUS_TONES: Record<SessionStatus, string> = {
  active: 'live',
  completed: 'ok',
  stopped_by_operator: 'warn',
  closed_by_watchdog: 'warn',
  disputed: 'bad',
};

/** Seconds between two ISO times (or until now while running). */
export function elapsedSeconds(
  startedAt: string | null,
  endedAt: string | null,
  nowMs: number,
): number | null {
  if (startedAt === null) return null;
  const end = endedAt === null ? nowMs : Date.parse(endedAt);
  return Math.max(0, (end - Date.parse(startedAt)) / 1000);
}
