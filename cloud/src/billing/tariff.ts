/**
 * A tariff version: what one session is priced with (docs/tariffs.md). Prices are decimal strings,
 * never floats, and exclude tax; a session keeps the version it started with.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * A time-of-day/weekday window with its own rates. `startMinute`–`endMinute` is wall-clock time in the
 * tariff's time zone on each of `days` ([start, end), 0–1440; a window over midnight is two periods).
 * A rate left null is the tariff's base rate. The first period that matches an instant applies.
 */
export interface TariffPeriod {
  name: string;
  days: IsoWeekday[];
  startMinute: number;
  endMinute: number;
  energyPerKwh: string | null;
  chargingPerMinute: string | null;
  idlePerMinute: string | null;
}

export interface TariffSpec {
  /** ISO 4217; amounts are rounded to its minor unit (EUR 2 digits, JPY 0, KWD 3). */
  currency: string;
  /** IANA time zone the periods are read in (the site's local time). */
  timeZone: string;
  energyPerKwh: string;
  chargingPerMinute: string;
  /** Idle (connected, not charging) fee per minute, charged after `idleGraceMinutes` of idle time. */
  idlePerMinute: string;
  idleGraceMinutes: number;
  sessionFee: string;
  /** Bounds on the amount before tax; null: none. */
  minimum: string | null;
  maximum: string | null;
  /** Percent, e.g. "19" for 19 % VAT, applied to the amount after minimum/maximum. */
  taxRatePercent: string;
  periods: TariffPeriod[];
}

/** Minor-unit digits of a currency (ISO 4217 via Intl): EUR 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
