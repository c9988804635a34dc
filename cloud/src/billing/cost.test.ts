import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSessionEnergyWh, REGISTER_MEASURAND, type EnergyReading } from '../energy/session-energy.js';
import { computeCost, type TimelinePoint } from './cost.js';
import { currencyDigits, type IsoWeekday, type TariffSpec } from './tariff.js';
import { energyTimeline, prefixTimeline, registerTimeline } from './timeline.js';
import { HAND_EXAMPLE } from './example.js';

const MIN = 60_000;

describe('the hand-computed example (docs/tariffs.md)', () => {
  it('prices time-of-day energy, charging minutes, idle after the grace, the session fee and tax', () => {
    const cost = computeCost(HAND_EXAMPLE.tariff, HAND_EXAMPLE.timeline);
    expect(cost.energyWh).toBe(11_000);
    expect(cost.chargingSeconds).toBe(3600);
    expect(cost.idleSeconds).toBe(1200);
    expect(cost.billedIdleSeconds).toBe(600);
    expect(cost.lines.map((l) => [l.component, l.period, l.quantity, l.unitPrice, l.amount])).toEqual([
      ['energy', null, '5.5', '0.3', '1.65'],
      ['charging_time', null, '30', '0.02', '0.6'],
      ['energy', 'Peak', '5.5', '0.45', '2.475'],
      ['charging_time', 'Peak', '30', '0.02', '0.6'],
      ['idle_time', 'Peak', '10', '0.2', '2'],
      ['session_fee', null, '1', '1', '1'],
    ]);
    // 8.325 rounds half up once, to 8.33; 19 % of 8.33 is 1.5827 → 1.58.
    expect([cost.net, cost.tax, cost.total]).toEqual(['8.33', '1.58', '9.91']);
  });

  it('raises a short session to the minimum and caps a long one at the maximum', () => {
    const short = computeCost(HAND_EXAMPLE.tariff, HAND_EXAMPLE.timeline.slice(0, 1));
    expect(short.net).toBe('2.00');
    expect(short.lines.at(-1)).toMatchObject({ component: 'minimum', amount: '1' });
    const capped = computeCost({ ...HAND_EXAMPLE.tariff, maximum: '5' }, HAND_EXAMPLE.timeline);
    expect([capped.net, capped.tax, capped.total]).toEqual(['5.00', '0.95', '5.95']);
  });

  it('rounds to the minor unit of the currency', () => {
    const yen = computeCost({ ...HAND_EXAMPLE.tariff, currency: 'JPY' }, HAND_EXAMPLE.timeline);
    expect([yen.net, yen.tax, yen.total]).toEqual(['8', '2', '10']);
    const dinar = computeCost({ ...HAND_EXAMPLE.tariff, currency: 'KWD' }, HAND_EXAMPLE.timeline);
    expect(dinar.net).toBe('8.325');
  });

  it('reads periods in local time across a daylight-saving change', () => {
    const spec: TariffSpec = {
      ...HAND_EXAMPLE.tariff,
      sessionFee: '0',
      minimum: null,
      chargingPerMinute: '0',
      periods: [{ ...HAND_EXAMPLE.tariff.periods[0]!, days: [7], startMinute: 60, endMinute: 240 }],
    };
    // Sunday 2026-03-29, Berlin: 02:00 CET jumps to 03:00 CEST; 01:00–04:00 local is 00:00–02:00 UTC.
    const t0 = Date.parse('2026-03-28T23:00:00Z');
    const cost = computeCost(spec, [
      { atMs: t0, energyWh: 0 },
      { atMs: t0 + 240 * MIN, energyWh: 4000 },
    ]);
    expect(cost.periods).toEqual([
      { period: null, energyWh: 2000, chargingSeconds: 7200, idleSeconds: 0 },
      { period: 'Peak', energyWh: 2000, chargingSeconds: 7200, idleSeconds: 0 },
    ]);
  });
});

// ---- properties

const money = fc.integer({ min: 0, max: 200 }).map((c) => (c / 100).toFixed(2));
const days = fc.subarray([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[], { minLength: 1 });
const period = fc
  .record({
    days,
    start: fc.integer({ min: 0, max: 95 }),
    length: fc.integer({ min: 1, max: 96 }),
    energyPerKwh: fc.option(money),
    chargingPerMinute: fc.option(money),
    idlePerMinute: fc.option(money),
  })
  .map((p) => ({
    name: 'P',
    days: p.days,
    startMinute: p.start * 15,
    endMinute: Math.min(1440, (p.start + p.length) * 15),
    energyPerKwh: p.energyPerKwh,
    chargingPerMinute: p.chargingPerMinute,
    idlePerMinute: p.idlePerMinute,
  }));
const bounds = fc
  .tuple(fc.option(fc.integer({ min: 0, max: 2000 })), fc.option(fc.integer({ min: 0, max: 5000 })))
  .map(([a, b]) => {
    const lo = a === null ? null : a / 100;
    const hi = b === null ? null : b / 100;
    return lo !== null && hi !== null && hi < lo ? [hi, lo] : [lo, hi];
  });
const tariff: fc.Arbitrary<TariffSpec> = fc
  .record({
    currency: fc.constantFrom('EUR', 'JPY', 'CNY', 'RUB', 'KWD'),
    timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata'),
    energyPerKwh: money,
    chargingPerMinute: money,
    idlePerMinute: money,
    idleGraceMinutes: fc.integer({ min: 0, max: 30 }),
    sessionFee: money,
    bounds,
    taxRatePercent: fc.constantFrom('0', '7', '19', '20', '13.5'),
    periods: fc.array(period, { maxLength: 3 }).map((ps) => ps.map((p, i) => ({ ...p, name: `P${i}` }))),
  })
  // Bounds are whole minor units of the currency (the API refuses finer ones).
  .map(({ bounds: [minimum, maximum], ...t }) => {
    const digits = currencyDigits(t.currency);
    const fixed = (v: number | null | undefined) =>
      v === null || v === undefined ? null : v.toFixed(digits);
    return { ...t, minimum: fixed(minimum), maximum: fixed(maximum) };
  });

/** A session of pieces at constant power: whole minutes, whole Wh per minute (0 = idle). */
const piece = fc.record({
  minutes: fc.integer({ min: 1, max: 120 }),
  whPerMinute: fc.integer({ min: 0, max: 500 }),
});
const session = fc.record({
  startMin: fc.integer({ min: 0, max: 525_600 }),
  pieces: fc.array(piece, { minLength: 1, maxLength: 8 }),
});
const T_2026 = Date.parse('2026-01-01T00:00:00Z');

function timelineOf(s: { startMin: number; pieces: { minutes: number; whPerMinute: number }[] }, splits = 1) {
  let at = T_2026 + s.startMin * MIN;
  let wh = 0;
  const points: TimelinePoint[] = [{ atMs: at, energyWh: 0 }];
  for (const p of s.pieces) {
    // `splits` samples per piece on the same straight line (all whole minutes and Wh where possible).
    const n = Math.min(splits, p.minutes);
    let done = 0;
    for (let k = 1; k <= n; k++) {
      const m = k === n ? p.minutes : Math.floor((p.minutes * k) / n);
      points.push({ atMs: at + m * MIN, energyWh: wh + p.whPerMinute * m });
      done = m;
    }
    at += done * MIN;
    wh += p.whPerMinute * p.minutes;
  }
  return points;
}

const priced = (c: ReturnType<typeof computeCost>) => [c.net, c.tax, c.total];

describe('cost properties', () => {
  it('does not change when the same session is sampled differently', () => {
    fc.assert(
      fc.property(tariff, session, fc.integer({ min: 2, max: 7 }), (t, s, splits) => {
        expect(priced(computeCost(t, timelineOf(s, splits)))).toEqual(priced(computeCost(t, timelineOf(s))));
      }),
      { numRuns: 300 },
    );
  });

  it('live estimate at the end equals the final cost, whatever order the samples arrived in', () => {
    fc.assert(
      fc.property(
        tariff,
        session,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer(),
        (t, s, meterStart, seed) => {
          const points = timelineOf(s, 2);
          const iso = (ms: number) => new Date(ms).toISOString();
          const readings: EnergyReading[] = points.slice(1).map((p) => ({
            at: iso(p.atMs),
            measurand: REGISTER_MEASURAND,
            valueWh: meterStart + p.energyWh,
            phase: '',
            location: '',
          }));
          const shuffled = [...readings].sort(
            (a, b) => ((a.valueWh * 7919 + seed) % 97) - ((b.valueWh * 7919 + seed) % 97),
          );
          const last = points.at(-1)!;
          const startedAt = iso(points[0]!.atMs);
          const live = energyTimeline({
            startedAt,
            meterStartWh: meterStart,
            endedAt: null,
            meterStopWh: null,
            readings: shuffled,
          });
          const finalInput = {
            startedAt,
            meterStartWh: meterStart,
            endedAt: iso(last.atMs),
            meterStopWh: meterStart + last.energyWh,
            readings,
          };
          const final = energyTimeline(finalInput);
          expect(final.at(-1)!.energyWh).toBe(computeSessionEnergyWh(finalInput) ?? 0);
          expect(computeCost(t, live)).toEqual(computeCost(t, final));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never prices below the minimum or above the maximum', () => {
    fc.assert(
      fc.property(tariff, session, (t, s) => {
        const net = Number(computeCost(t, timelineOf(s)).net);
        if (t.minimum !== null) expect(net).toBeGreaterThanOrEqual(Number(t.minimum));
        if (t.maximum !== null) expect(net).toBeLessThanOrEqual(Number(t.maximum));
      }),
      { numRuns: 300 },
    );
  });

  it('never costs less for more energy in the same charging time', () => {
    fc.assert(
      fc.property(tariff, session, fc.integer({ min: 1, max: 5 }), (t, s, factor) => {
        const more = { ...s, pieces: s.pieces.map((p) => ({ ...p, whPerMinute: p.whPerMinute * factor })) };
        const before = computeCost(t, timelineOf(s));
        const after = computeCost(t, timelineOf(more));
        expect(Number(after.total)).toBeGreaterThanOrEqual(Number(before.total));
      }),
      { numRuns: 300 },
    );
  });
});

describe('energy timeline', () => {
  const reading = fc.record({
    atS: fc.integer({ min: 0, max: 7200 }),
    wh: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constant(0)),
  });
  const input = fc.record({
    readings: fc.array(reading, { maxLength: 30 }),
    meterStart: fc.option(fc.integer({ min: 0, max: 200_000 })),
    meterStop: fc.option(fc.integer({ min: 0, max: 200_000 })),
    ended: fc.boolean(),
  });
  const T = Date.parse('2026-11-22T10:00:00Z');
  const iso = (s: number) => new Date(T + s * 1000).toISOString();

  it('takes the running sum where it gives exactly the energy module’s prefixes (resets, duplicates, placeholders)', () => {
    fc.assert(
      fc.property(input, (x) => {
        const energyInput = {
          startedAt: iso(0),
          meterStartWh: x.meterStart,
          endedAt: x.ended ? iso(7200) : null,
          meterStopWh: x.ended ? x.meterStop : null,
          readings: x.readings.map((r) => ({
            at: iso(r.atS),
            measurand: REGISTER_MEASURAND,
            valueWh: r.wh,
            phase: '',
            location: '',
          })),
        };
        const reference = prefixTimeline(energyInput);
        expect(registerTimeline(energyInput)).toEqual(reference);
        expect(energyTimeline(energyInput)).toEqual(reference);
      }),
      { numRuns: 500 },
    );
  });
});
