import { describe, expect, it } from 'vitest';
import type { MeterPoint, TimelineSegment } from '../../api/types';
import type { Sample } from './chart-option';
import { FALLBACK_THEME, readChartTheme, type ChartTheme } from './chart-theme';
import { buildMeterOption, quantityColor } from './meter-option';
import { capMeter, meterFromLive, meterFromPoints, mergeMeter, newestSampleMs } from './meter-series';
import { buildPowerHistoryOption, powerHistoryPointCount, powerHistorySamples } from './power-history-option';
import { capSamples, countPoints, mergeSamples, wattsToKilowatts, withGaps } from './samples';
import { sessionDurationMs, sessionStatusOf, splitDuration } from './session-rows';
import { buildTimelineOption, timelineBars } from './timeline-option';

const DARK: ChartTheme = {
  text: '#e6ebf2',
  textMuted: '#9aa6b6',
  border: '#2c3747',
  surface: '#161d28',
  accent: '#5aa9ff',
};
const format = {
  value: (v: number) => `${v.toFixed(1)} kW`,
  axisValue: (v: number) => `${v} kW`,
  axisTime: (ms: number) => `t${ms}`,
  tooltipTime: (ms: number) => `T${ms}`,
};
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

/** The single series of an option, as the plain object the builder made. */
function seriesOf(option: ReturnType<typeof buildPowerHistoryOption>): Record<string, unknown> {
  const series = option.series;
  const first: unknown = Array.isArray(series) ? series[0] : series;
  return first as Record<string, unknown>;
}

describe('samples', () => {
  it('converts W to kW and keeps null as null', () => {
    expect(wattsToKilowatts(22_000)).toBe(22);
    expect(wattsToKilowatts(null)).toBeNull();
  });

  it('breaks the line where readings stop for longer than the allowed gap', () => {
    const samples: Sample[] = [
      [0, 1],
      [10, 2],
      [100, 3],
    ];
    expect(withGaps(samples, 50)).toEqual([
      [0, 1],
      [10, 2],
      [11, null],
      [100, 3],
    ]);
    expect(countPoints(withGaps(samples, 50))).toBe(3);
  });

  it('merges by time (later wins), sorts, and caps by window and count', () => {
    expect(
      mergeSamples(
        [
          [2, 1],
          [1, 1],
        ],
        [[2, 5]],
      ),
    ).toEqual([
      [1, 1],
      [2, 5],
    ]);
    const many: Sample[] = Array.from({ length: 10 }, (_, i) => [i * 10, i]);
    expect(capSamples(many, 90, 35, 100).map((s) => s[0])).toEqual([60, 70, 80, 90]);
    expect(capSamples(many, 90, 1000, 3).map((s) => s[0])).toEqual([70, 80, 90]);
  });
});

describe('chart theme', () => {
  it('reads the CSS variables, falling back to the light theme for missing ones', () => {
    const vars: Record<string, string> = { '--text': ' #e6ebf2', '--accent': '#5aa9ff' };
    const theme = readChartTheme({ getPropertyValue: (name: string) => vars[name] ?? '' });
    expect(theme).toEqual({ ...FALLBACK_THEME, text: '#e6ebf2', accent: '#5aa9ff' });
  });
});

describe('fleet power option', () => {
  const points = [
    { at: iso(T0 + 2 * 15 * MIN), powerW: 30_000, energyWh: 7500 },
    { at: iso(T0), powerW: 10_000, energyWh: 2500 },
    { at: iso(T0 + 15 * MIN), powerW: 20_000, energyWh: 5000 },
    // One bucket missing before this one: the line breaks.
    { at: iso(T0 + 4 * 15 * MIN), powerW: 5_000, energyWh: 1250 },
  ];

  it('draws kW in time order with a gap for a missing bucket', () => {
    expect(powerHistorySamples(points, '15m')).toEqual([
      [T0, 10],
      [T0 + 15 * MIN, 20],
      [T0 + 30 * MIN, 30],
      [T0 + 30 * MIN + 1, null],
      [T0 + 60 * MIN, 5],
    ]);
    expect(powerHistoryPointCount(points, '15m')).toBe(4);
  });

  it('colours the line, axes and tooltip from the theme and formats values in kW', () => {
    const option = buildPowerHistoryOption({
      points,
      bucket: '15m',
      theme: DARK,
      seriesName: 'Power',
      format,
    });
    const series = seriesOf(option);
    expect(series).toMatchObject({
      type: 'line',
      name: 'Power',
      connectNulls: false,
      lineStyle: { color: DARK.accent },
      areaStyle: { color: DARK.accent },
    });
    expect(option).toMatchObject({
      tooltip: { backgroundColor: DARK.surface, borderColor: DARK.border, textStyle: { color: DARK.text } },
      xAxis: { type: 'time', axisLabel: { color: DARK.textMuted } },
      yAxis: { splitLine: { lineStyle: { color: DARK.border } } },
    });
    const yAxis = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
    expect(yAxis.axisLabel.formatter(50)).toBe('50 kW');
    const tooltip = option.tooltip as { valueFormatter: (v: unknown) => string };
    expect(tooltip.valueFormatter(50)).toBe('50.0 kW');
    expect(tooltip.valueFormatter(null)).toBe('—');
  });
});

describe('meter series and option', () => {
  const points: MeterPoint[] = [
    { at: iso(T0 + 2000), evseId: 1, powerW: 11_000, voltageV: 230, currentA: 16, socPercent: 40 },
    { at: iso(T0), evseId: 1, powerW: null, voltageV: 231, currentA: null, socPercent: null },
    { at: iso(T0 + 1000), evseId: 2, powerW: 7_400, voltageV: 229, currentA: 32, socPercent: null },
  ];

  it('splits readings per EVSE and quantity in display units, nulls kept as gaps', () => {
    const meter = meterFromPoints(points);
    expect([...meter.keys()]).toEqual([1, 2]);
    expect(meter.get(1)?.power).toEqual([
      [T0, null],
      [T0 + 2000, 11],
    ]);
    expect(meter.get(1)?.voltage).toEqual([
      [T0, 231],
      [T0 + 2000, 230],
    ]);
    expect(meter.get(2)?.current).toEqual([[T0 + 1000, 32]]);
    expect(newestSampleMs(meter)).toBe(T0 + 2000);
  });

  it('adds live power readings and caps to the window', () => {
    const live = meterFromLive([
      {
        stationId: 's',
        evseId: 1,
        connectorId: 1,
        at: iso(T0 + 3000),
        powerW: 12_000,
        energyRegisterWh: 5,
        transactionId: 't',
      },
    ]);
    const merged = mergeMeter(meterFromPoints(points), live);
    expect(merged.get(1)?.power.at(-1)).toEqual([T0 + 3000, 12]);
    expect(merged.get(1)?.voltage).toHaveLength(2);
    const capped = capMeter(merged, T0 + 3000, 1500, 100);
    expect(capped.get(1)?.power).toEqual([
      [T0 + 2000, 11],
      [T0 + 3000, 12],
    ]);
    expect(capped.get(2)?.power).toEqual([]);
  });

  it('builds a line per quantity with its colour, the hour window and no joined gaps', () => {
    const samples: Sample[] = [
      [T0, 230],
      [T0 + 1000, null],
      [T0 + 2000, 231],
    ];
    const option = buildMeterOption({
      quantity: 'voltage',
      samples,
      theme: DARK,
      seriesName: 'Voltage',
      format,
      windowStartMs: T0 - 3_600_000,
      nowMs: T0 + 5000,
    });
    expect(seriesOf(option)).toMatchObject({
      data: samples,
      connectNulls: false,
      lineStyle: { color: quantityColor('voltage', DARK) },
    });
    expect(seriesOf(option)).not.toHaveProperty('areaStyle');
    expect(option.xAxis).toMatchObject({ min: T0 - 3_600_000, max: T0 + 5000 });
    expect(quantityColor('power', DARK)).toBe(DARK.accent);
  });
});

describe('status timeline', () => {
  const segments: TimelineSegment[] = [
    {
      evseId: 2,
      connectorId: 1,
      status: 'available',
      rawStatus: 'Available',
      from: iso(T0 - 10 * MIN),
      to: null,
    },
    {
      evseId: 1,
      connectorId: 1,
      status: 'occupied',
      rawStatus: 'Charging',
      from: iso(T0 - 100 * MIN),
      to: iso(T0 - 30 * MIN),
    },
    {
      evseId: 1,
      connectorId: 1,
      status: 'bogus' as never,
      rawStatus: 'Weird',
      from: iso(T0 - 30 * MIN),
      to: null,
    },
    // Wholly before the window: dropped.
    {
      evseId: 1,
      connectorId: 1,
      status: 'faulted',
      rawStatus: 'Faulted',
      from: iso(T0 - 300 * MIN),
      to: iso(T0 - 200 * MIN),
    },
  ];

  it('orders rows by EVSE and connector, clips periods to the window and names unknown statuses', () => {
    const { rows, bars } = timelineBars(segments, T0 - 60 * MIN, T0);
    expect(rows).toEqual([
      { evseId: 1, connectorId: 1 },
      { evseId: 2, connectorId: 1 },
    ]);
    expect(bars).toEqual([
      { row: 1, fromMs: T0 - 10 * MIN, toMs: T0, open: true, status: 'available', rawStatus: 'Available' },
      {
        row: 0,
        fromMs: T0 - 60 * MIN,
        toMs: T0 - 30 * MIN,
        open: false,
        status: 'occupied',
        rawStatus: 'Charging',
      },
      { row: 0, fromMs: T0 - 30 * MIN, toMs: T0, open: true, status: 'unknown', rawStatus: 'Weird' },
    ]);
  });

  it('colours bars like the map and labels rows', () => {
    const option = buildTimelineOption({
      segments,
      windowStartMs: T0 - 60 * MIN,
      nowMs: T0,
      theme: DARK,
      rowLabel: (row) => `E${row.evseId}C${row.connectorId}`,
      describe: (bar) => bar.status,
      axisTime: String,
    });
    expect(option.yAxis).toMatchObject({ type: 'category', data: ['E1C1', 'E2C1'] });
    const data = seriesOf(option)['data'] as { value: number[]; itemStyle: { color: string } }[];
    expect(data.map((d) => d.itemStyle.color)).toEqual(['#16a34a', '#2563eb', '#4b5563']);
    expect(data[0]?.value).toEqual([1, T0 - 10 * MIN, T0]);
  });
});

describe('session rows', () => {
  it('reads status and duration', () => {
    expect(sessionStatusOf({ status: 'completed' })).toBe('completed');
    expect(sessionStatusOf({ status: 'closed_by_watchdog' })).toBe('closed_by_watchdog');
    expect(sessionStatusOf({ status: 'Suspended' })).toBe('unknown');
    expect(sessionDurationMs({ startedAt: iso(T0), endedAt: iso(T0 + 90 * MIN) }, 0)).toBe(90 * MIN);
    expect(sessionDurationMs({ startedAt: iso(T0), endedAt: null }, T0 + 5 * MIN)).toBe(5 * MIN);
    expect(sessionDurationMs({ startedAt: 'nope', endedAt: null }, T0)).toBeNull();
    expect(sessionDurationMs({ startedAt: null, endedAt: iso(T0) }, T0)).toBeNull();
    expect(splitDuration(125 * MIN + 59_000)).toEqual({ hours: 2, minutes: 5 });
  });
});
