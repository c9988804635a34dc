/** The dashboard's fleet power chart: history buckets as a kW area line over time. */
import type { HistoryBucket, PowerPoint } from '../../api/types';
import type { ChartOption, Sample } from './chart-option';
import type { ChartTheme } from './chart-theme';
import { countPoints, toMs, wattsToKilowatts, withGaps } from './samples';

export const BUCKET_MS: Record<HistoryBucket, number> = {
  '1m': 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

export interface ChartFormatters {
  /** `1.2` → `1.2 kW` (or the locale's unit text); the value is already in the chart's unit. */
  value(value: number): string;
  /** Axis tick label: like `value` but without padding zeros (`50 kW`, not `50.0 kW`). */
  axisValue(value: number): string;
  /** Axis tick label for a time. */
  axisTime(atMs: number): string;
  /** Tooltip time. */
  tooltipTime(atMs: number): string;
}

export interface PowerHistoryOptionInput {
  points: readonly PowerPoint[];
  bucket: HistoryBucket;
  theme: ChartTheme;
  seriesName: string;
  format: ChartFormatters;
}

/** kW samples in time order; a missing bucket (more than 1.5 buckets between points) breaks the line. */
export function powerHistorySamples(points: readonly PowerPoint[], bucket: HistoryBucket): Sample[] {
  const samples: Sample[] = points
    .map((point): Sample => [toMs(point.at), wattsToKilowatts(point.powerW)])
    .filter((sample) => Number.isFinite(sample[0]))
    .sort((a, b) => a[0] - b[0]);
  return withGaps(samples, BUCKET_MS[bucket] * 1.5);
}

export function buildPowerHistoryOption(input: PowerHistoryOptionInput): ChartOption {
  const { theme, format } = input;
  const data = powerHistorySamples(input.points, input.bucket);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      valueFormatter: (value) => (typeof value === 'number' ? format.value(value) : '—'),
      axisPointer: { lineStyle: { color: theme.textMuted } },
    },
    xAxis: {
      type: 'time',
      axisLine: { lineStyle: { color: theme.border } },
      axisLabel: {
        color: theme.textMuted,
        formatter: (value: number) => format.axisTime(value),
        hideOverlap: true,
      },
      axisPointer: { label: { formatter: ({ value }) => format.tooltipTime(Number(value)) } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      axisLabel: { color: theme.textMuted, formatter: (value: number) => format.axisValue(value) },
      splitLine: { lineStyle: { color: theme.border } },
    },
    series: [
      {
        type: 'line',
        name: input.seriesName,
        data,
        showSymbol: data.length < 2,
        connectNulls: false,
        lineStyle: { color: theme.accent, width: 2 },
        itemStyle: { color: theme.accent },
        areaStyle: { color: theme.accent, opacity: 0.18 },
      },
    ],
  };
}

export function powerHistoryPointCount(points: readonly PowerPoint[], bucket: HistoryBucket): number {
  return countPoints(powerHistorySamples(points, bucket));
}
