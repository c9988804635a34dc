import { describe, expect, it } from 'vitest';
import { FALLBACK_THEME } from '../charts/chart-theme';
import {
  buildBarsOption,
  buildEnergyOption,
  buildPeakHoursOption,
  buildRevenueOption,
  peakCells,
} from './report-chart-options';

const period = { from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z', tz: 'UTC' };

describe('report chart options', () => {
  it('draws energy per period in kWh', () => {
    const option = buildEnergyOption(
      {
        ...period,
        interval: 'day',
        points: [
          { at: '2026-12-01', energyWh: 6500 },
          { at: '2026-12-02', energyWh: 0 },
        ],
      },
      FALLBACK_THEME,
      'Energy',
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['2026-12-01', '2026-12-02']);
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([6.5, 0]);
  });

  it('draws revenue per period with one series per currency, zero where a currency has none', () => {
    const option = buildRevenueOption(
      {
        ...period,
        interval: 'day',
        points: [
          {
            at: '2026-12-01',
            currency: 'EUR',
            charges: '10.0000',
            refunds: '2.0000',
            adjustments: '0.0000',
            revenue: '8.0000',
          },
          {
            at: '2026-12-02',
            currency: 'CNY',
            charges: '70.0000',
            refunds: '0.0000',
            adjustments: '0.0000',
            revenue: '70.0000',
          },
        ],
        totals: [],
      },
      FALLBACK_THEME,
    );
    const series = option.series as { name: string; data: number[] }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['CNY', [0, 70]],
      ['EUR', [8, 0]],
    ]);
  });

  it('lays out the hour-of-week heat map as [hour, weekday, kWh] with the scale up to the busiest hour', () => {
    const energyWh = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    energyWh[0]![18] = 12_000;
    energyWh[6]![9] = 3_000;
    const peak = { ...period, energyWh };
    const option = buildPeakHoursOption(peak, FALLBACK_THEME, [
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
    ]);
    const data = (option.series as { data: number[][] }[])[0]!.data;
    expect(data).toHaveLength(7 * 24);
    expect(data).toContainEqual([18, 0, 12]);
    expect(data).toContainEqual([9, 6, 3]);
    expect((option.visualMap as { max: number }).max).toBe(12);
    expect(peakCells(peak)).toBe(2);
  });

  it('draws one bar per row with an optional fixed maximum', () => {
    const option = buildBarsOption({
      labels: ['A', 'B'],
      values: [25, 100],
      name: 'Uptime',
      unit: '%',
      max: 100,
      theme: FALLBACK_THEME,
    });
    expect((option.yAxis as { data: string[] }).data).toEqual(['A', 'B']);
    expect((option.xAxis as { max: number }).max).toBe(100);
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([25, 100]);
  });
});
