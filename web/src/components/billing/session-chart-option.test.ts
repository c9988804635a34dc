import { describe, expect, it } from 'vitest';
import { sessionSeries } from './session-chart-option';

describe('session chart series', () => {
  it('draws cumulative kWh and the average kW of each interval, held over that interval', () => {
    const t = (m: number) => new Date(Date.parse('2026-12-02T15:30:00Z') + m * 60_000).toISOString();
    const { energy, power } = sessionSeries([
      { at: t(0), energyWh: 0 },
      { at: t(30), energyWh: 5500 },
      { at: t(60), energyWh: 11_000 },
      { at: t(80), energyWh: 11_000 },
    ]);
    expect(energy.map(([, kwh]) => kwh)).toEqual([0, 5.5, 11, 11]);
    // 5.5 kWh in 30 min = 11 kW for the first two intervals, then idle.
    expect(power.map(([ms, kw]) => [new Date(ms).toISOString(), kw])).toEqual([
      [t(0), 11],
      [t(30), 11],
      [t(60), 11],
      [t(80), 0],
    ]);
  });
});
