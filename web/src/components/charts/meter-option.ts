/** One EVSE's power, voltage or current over the last hour as a line; nulls are gaps. */
import type { ChartOption, Sample } from './chart-option';
import type { ChartTheme } from './chart-theme';
import type { MeterQuantity } from './meter-series';
import type { ChartFormatters } from './power-history-option';
import { withGaps } from './samples';

/** Voltage and current need hues of their own; mid-tones that read on light and dark surfaces. */
const QUANTITY_COLORS: Record<Exclude<MeterQuantity, 'power'>, string> = {
  voltage: '#a855f7',
  current: '#0d9488',
};

export function quantityColor(quantity: MeterQuantity, theme: ChartTheme): string {
  return quantity === 'power' ? theme.accent : QUANTITY_COLORS[quantity];
}

/** Readings arrive every few seconds to a minute; a silence longer than this is drawn as a gap. */
export const METER_MAX_GAP_MS = 5 * 60_000;

export interface MeterOptionInput {
  quantity: MeterQuantity;
  samples: readonly Sample[];
  theme: ChartTheme;
  seriesName: string;
  format: ChartFormatters;
  windowStartMs: number;
  nowMs: number;
}

export function buildMeterOption(input: MeterOptionInput): ChartOption {
  const { theme, format } = input;
  const color = quantityColor(input.quantity, theme);
  const data = withGaps(input.samples, METER_MAX_GAP_MS);
  return {
    animation: false,
    grid: { left: 8, right: 12, top: 12, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      valueFormatter: (value) => (typeof value === 'number' ? format.value(value) : '—'),
    },
    xAxis: {
      type: 'time',
      min: input.windowStartMs,
      max: input.nowMs,
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
      scale: input.quantity === 'voltage',
      axisLabel: { color: theme.textMuted, formatter: (value: number) => format.axisValue(value) },
      splitLine: { lineStyle: { color: theme.border } },
    },
    series: [
      {
        type: 'line',
        name: input.seriesName,
        data,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { color, width: 1.5 },
        itemStyle: { color },
        ...(input.quantity === 'power' ? { areaStyle: { color, opacity: 0.15 } } : {}),
      },
    ],
  };
}
