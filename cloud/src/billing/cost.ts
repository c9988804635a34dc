/**
 * The one cost function (no I/O): the price of a session from its energy timeline and its tariff
 * version, used for the running cost of a live session and for the final report, so the two cannot
 * disagree (docs/tariffs.md has the rules and a worked example).
 *
 * - Between two consecutive timeline points the energy is spread evenly over the time; a step that
 *   delivered energy is charging time, a step that delivered none is idle time (connected, not
 *   charging). Splitting a step by an extra sample on the same line changes nothing.
 * - Steps are cut at period edges (local time in the tariff's zone); each piece is priced with the
 *   rates of the period it falls in (the first matching period), or the base rates.
 * - Idle time is free for the first `idleGraceMinutes` of the session's idle time, then billed.
 * - Everything is exact decimal arithmetic; the amount before tax is clamped to minimum/maximum and
 *   rounded once, half up, to the currency's minor unit; tax is that rounded net times the rate,
 *   rounded the same way, and total = net + tax, so a printed report adds up.
 */
import { Decimal } from 'decimal.js';
import { localTime, nextEdge } from './local-time.js';
import { currencyDigits, type TariffPeriod, type TariffSpec } from './tariff.js';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

/** Cumulative delivered energy since the session start: non-decreasing. */
export interface TimelinePoint {
  atMs: number;
  energyWh: number;
}

export const COST_COMPONENTS = [
  'energy',
  'charging_time',
  'idle_time',
  'session_fee',
  'minimum',
  'maximum',
] as const;
export type CostComponent = (typeof COST_COMPONENTS)[number];

export interface CostLine {
  component: CostComponent;
  /** Period name, or null for the base rates (and for the session fee and adjustments). */
  period: string | null;
  /** kWh for energy, minutes for time components, 1 otherwise; exact decimal string. */
  quantity: string;
  unitPrice: string;
  /** Exact (unrounded) amount before tax. */
  amount: string;
}

export interface PeriodUsage {
  period: string | null;
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
}

export interface SessionCost {
  currency: string;
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
  /** Idle seconds billed (after the grace period). */
  billedIdleSeconds: number;
  lines: CostLine[];
  periods: PeriodUsage[];
  /** Rounded to the currency's minor unit. */
  net: string;
  tax: string;
  total: string;
  taxRatePercent: string;
}

interface Usage {
  energyWh: Dec;
  chargingMs: Dec;
  idleMs: Dec;
  billedIdleMs: Dec;
}

const MS_PER_MINUTE = 60_000;
const zero = (): Usage => ({
  energyWh: new D(0),
  chargingMs: new D(0),
  idleMs: new D(0),
  billedIdleMs: new D(0),
});

function matchPeriod(spec: TariffSpec, atMs: number): number {
  if (spec.periods.length === 0) return -1;
  const t = localTime(atMs, spec.timeZone);
  return spec.periods.findIndex(
    (p) =>
      p.days.includes(t.weekday) &&
      t.msOfDay >= p.startMinute * MS_PER_MINUTE &&
      t.msOfDay < p.endMinute * MS_PER_MINUTE,
  );
}

/** Energy, charging and idle time per period (index -1: base rates), in time order for the grace. */
function usageByPeriod(spec: TariffSpec, timeline: readonly TimelinePoint[]): Map<number, Usage> {
  const edges = [...new Set([0, 1440, ...spec.periods.flatMap((p) => [p.startMinute, p.endMinute])])].sort(
    (a, b) => a - b,
  );
  const usage = new Map<number, Usage>();
  let graceLeftMs = new D(spec.idleGraceMinutes).mul(MS_PER_MINUTE);
  for (let i = 1; i < timeline.length; i++) {
    const from = timeline[i - 1]!;
    const to = timeline[i]!;
    const stepMs = to.atMs - from.atMs;
    if (stepMs <= 0) continue;
    const stepWh = new D(to.energyWh).minus(from.energyWh);
    const charging = stepWh.gt(0);
    let cur = from.atMs;
    while (cur < to.atMs) {
      const next =
        spec.periods.length === 0 ? to.atMs : Math.min(nextEdge(cur, spec.timeZone, edges), to.atMs);
      const pieceMs = new D(next - cur);
      const index = matchPeriod(spec, cur + (next - cur) / 2);
      const u = usage.get(index) ?? zero();
      if (charging) {
        u.energyWh = u.energyWh.plus(stepWh.mul(pieceMs).div(stepMs));
        u.chargingMs = u.chargingMs.plus(pieceMs);
      } else {
        u.idleMs = u.idleMs.plus(pieceMs);
        const free = D.min(graceLeftMs, pieceMs);
        graceLeftMs = graceLeftMs.minus(free);
        u.billedIdleMs = u.billedIdleMs.plus(pieceMs.minus(free));
      }
      usage.set(index, u);
      cur = next;
    }
  }
  return usage;
}

const rateOf = (
  period: TariffPeriod | undefined,
  key: 'energyPerKwh' | 'chargingPerMinute' | 'idlePerMinute',
  spec: TariffSpec,
) => new D(period?.[key] ?? spec[key]);

/** The price of a session's timeline under one tariff version. */
export function computeCost(spec: TariffSpec, timeline: readonly TimelinePoint[]): SessionCost {
  const usage = usageByPeriod(spec, timeline);
  const lines: CostLine[] = [];
  const periods: PeriodUsage[] = [];
  let subtotal = new D(0);
  const add = (component: CostComponent, period: string | null, quantity: Dec, unitPrice: Dec) => {
    const amount = quantity.mul(unitPrice);
    subtotal = subtotal.plus(amount);
    if (amount.isZero()) return;
    lines.push({
      component,
      period,
      quantity: quantity.toString(),
      unitPrice: unitPrice.toString(),
      amount: amount.toString(),
    });
  };
  const totals = zero();
  // Base rates first, then periods in their order.
  for (const index of [...usage.keys()].sort((a, b) => a - b)) {
    const u = usage.get(index)!;
    const period = index >= 0 ? spec.periods[index] : undefined;
    const name = period?.name ?? null;
    add('energy', name, u.energyWh.div(1000), rateOf(period, 'energyPerKwh', spec));
    add('charging_time', name, u.chargingMs.div(MS_PER_MINUTE), rateOf(period, 'chargingPerMinute', spec));
    add('idle_time', name, u.billedIdleMs.div(MS_PER_MINUTE), rateOf(period, 'idlePerMinute', spec));
    periods.push({
      period: name,
      energyWh: u.energyWh.toNumber(),
      chargingSeconds: u.chargingMs.div(1000).toNumber(),
      idleSeconds: u.idleMs.div(1000).toNumber(),
    });
    totals.energyWh = totals.energyWh.plus(u.energyWh);
    totals.chargingMs = totals.chargingMs.plus(u.chargingMs);
    totals.idleMs = totals.idleMs.plus(u.idleMs);
    totals.billedIdleMs = totals.billedIdleMs.plus(u.billedIdleMs);
  }
  add('session_fee', null, new D(1), new D(spec.sessionFee));

  if (spec.minimum !== null && subtotal.lt(spec.minimum)) {
    add('minimum', null, new D(1), new D(spec.minimum).minus(subtotal));
  } else if (spec.maximum !== null && subtotal.gt(spec.maximum)) {
    add('maximum', null, new D(1), new D(spec.maximum).minus(subtotal));
  }

  const digits = currencyDigits(spec.currency);
  const net = subtotal.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
  const tax = net.mul(spec.taxRatePercent).div(100).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
  const last = timeline[timeline.length - 1];
  return {
    currency: spec.currency,
    energyWh: last?.energyWh ?? 0,
    chargingSeconds: totals.chargingMs.div(1000).toNumber(),
    idleSeconds: totals.idleMs.div(1000).toNumber(),
    billedIdleSeconds: totals.billedIdleMs.div(1000).toNumber(),
    lines,
    periods,
    net: net.toFixed(digits),
    tax: tax.toFixed(digits),
    total: net.plus(tax).toFixed(digits),
    taxRatePercent: new D(spec.taxRatePercent).toString(),
  };
}
