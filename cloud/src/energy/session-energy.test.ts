import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepEnergyWh } from './register-steps.js';
import { computeSessionEnergyWh, REGISTER_MEASURAND, type EnergyReading } from './session-energy.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const reg = (s: number, valueWh: number, phase = ''): EnergyReading => ({
  at: iso(s),
  measurand: REGISTER_MEASURAND,
  valueWh,
  phase,
  location: '',
});
const session = (readings: EnergyReading[], start: number | null = null, stop: number | null = null) =>
  computeSessionEnergyWh({
    startedAt: iso(0),
    meterStartWh: start,
    endedAt: iso(100_000),
    meterStopWh: stop,
    readings,
  });

describe('session energy from the start, the stop and the readings between', () => {
  it('uses the stop reading when there is one, else the latest register sample', () => {
    expect(session([reg(60, 4000)], 1000, 5000)).toBe(4000);
    expect(session([reg(60, 2500)], 1000, null)).toBe(1500);
  });

  it('is unknown with fewer than two readings', () => {
    expect(session([], null, 5000)).toBeNull();
    expect(session([], 1000, null)).toBeNull();
  });

  it('counts a register that went back as reset to 0: the new reading is the energy since', () => {
    expect(session([], 9000, 10)).toBe(10);
  });

  it('ignores a Transaction.Begin placeholder of 0 in front of a real register', () => {
    expect(session([reg(60, 52_000_000)], 0, null)).toBe(0);
  });
});

describe('computeSessionEnergyWh', () => {
  it('sums register deltas over resets and ignores the implausible jump after a 0 placeholder', () => {
    // 0 placeholder, then the real register 1 min later, +2 kWh, reset to 0, +500 Wh.
    const readings = [reg(0, 0), reg(60, 5_000_000), reg(960, 5_002_000), reg(1860, 300), reg(2760, 800)];
    expect(session(readings)).toBe(2000 + 300 + 500);
  });

  it('adds per-phase registers when there is no whole-meter register, and prefers the whole meter', () => {
    const phases = ['L1', 'L2', 'L3'].flatMap((p) => [reg(0, 1000, p), reg(600, 1500, p)]);
    expect(session(phases)).toBe(1500);
    expect(session([...phases, reg(0, 3000), reg(600, 4400)])).toBe(1400);
  });

  it('falls back to interval readings, one per time and phase', () => {
    const interval = (s: number, wh: number): EnergyReading => ({
      at: iso(s),
      measurand: 'Energy.Active.Import.Interval',
      valueWh: wh,
      phase: '',
      location: '',
    });
    expect(session([interval(900, 250), interval(1800, 300), interval(1800, 300)])).toBe(550);
  });

  it('uses meter start and stop as readings at start and end time', () => {
    expect(session([reg(600, 1500)], 1000, 2500)).toBe(1500);
    expect(session([], null, null)).toBeNull();
  });

  it('leaves out energy measured at the EV side', () => {
    const ev: EnergyReading = { ...reg(600, 99_000), location: 'EV' };
    expect(session([reg(0, 1000), ev, reg(1200, 1200)])).toBe(200);
  });
});

const readingArb = fc.record({
  s: fc.integer({ min: 0, max: 86_400 }),
  wh: fc.double({ min: 0, max: 1e8, noNaN: true }),
  phase: fc.constantFrom('', 'L1', 'L2'),
});
const shuffled = <T>(items: T[]) =>
  fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }).map((keys) =>
    items
      .map((item, i) => ({ item, k: keys[i]! }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.item),
  );

describe('energy properties', () => {
  it('is never negative, whatever the register does', () => {
    fc.assert(
      fc.property(fc.array(readingArb, { maxLength: 40 }), (rs) => {
        const e = session(rs.map((r) => reg(r.s, r.wh, r.phase)));
        return e === null || e >= 0;
      }),
    );
  });

  it('never exceeds the register delta of a register that only goes up', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 3600 }), fc.double({ min: 0, max: 50_000, noNaN: true })),
          {
            minLength: 2,
            maxLength: 40,
          },
        ),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        (steps, base) => {
          let s = 0;
          let wh = base;
          const rs = steps.map(([ds, dwh]) => reg((s += ds), (wh += dwh)));
          const e = session(rs)!;
          const delta = rs[rs.length - 1]!.valueWh - rs[0]!.valueWh;
          return e >= 0 && e <= delta + 1e-6;
        },
      ),
    );
  });

  it('does not depend on arrival order or duplication', () => {
    fc.assert(
      fc.property(
        fc
          .array(readingArb, { maxLength: 30 })
          .chain((rs) => fc.tuple(fc.constant(rs), shuffled([...rs, ...rs.slice(0, rs.length >> 1)]))),
        ([rs, arrived]) => {
          const a = session(rs.map((r) => reg(r.s, r.wh, r.phase)));
          const b = session(arrived.map((r) => reg(r.s, r.wh, r.phase)));
          return a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-6);
        },
      ),
    );
  });

  it('a step never adds more than the register moved or than the time allows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (prev, cur, ms) => {
          const e = stepEnergyWh(prev, cur, ms);
          return e >= 0 && e <= Math.max(cur - prev, cur) && e <= (1e6 * Math.max(ms, 1000)) / 3.6e6;
        },
      ),
    );
  });
});
