import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedPowerW, chargeFor } from './charging-curve.js';

describe('charging curve', () => {
  it('never exceeds the limit, never loses energy, never passes 100 % SoC', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1000, max: 200_000, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 1000, max: 350_000, noNaN: true }),
        fc.double({ min: 50, max: 100, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 7200, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (capacityWh, startSoc, limitW, taper, steps) => {
          let battery = { capacityWh, socPercent: startSoc };
          let register = 0;
          for (const dtS of steps) {
            const r = chargeFor(battery, dtS, limitW, taper);
            expect(r.powerW).toBeLessThanOrEqual(limitW + 1e-6);
            expect(r.powerW).toBeGreaterThanOrEqual(0);
            expect(r.deliveredWh).toBeGreaterThanOrEqual(0);
            expect(r.socPercent).toBeLessThanOrEqual(100);
            expect(r.socPercent).toBeGreaterThanOrEqual(battery.socPercent - 1e-9);
            register += r.deliveredWh;
            battery = { capacityWh, socPercent: r.socPercent };
          }
          expect(register).toBeLessThanOrEqual(capacityWh * ((100 - startSoc) / 100) + 1e-6);
        },
      ),
    );
  });

  it('holds constant power below the taper and tapers above it', () => {
    expect(acceptedPowerW(50, 11_000, 80)).toBe(11_000);
    expect(acceptedPowerW(90, 11_000, 80)).toBeLessThan(11_000);
    expect(acceptedPowerW(95, 11_000, 80)).toBeLessThan(acceptedPowerW(90, 11_000, 80));
    expect(acceptedPowerW(100, 11_000, 80)).toBe(0);
  });
});
