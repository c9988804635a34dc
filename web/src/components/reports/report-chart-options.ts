/**
 * ECharts options of the Reports page, as pure functions of the API's answers: energy per period,
 * a bar per site/station/EVSE (utilisation, idle time, uptime), revenue per period and currency,
 * and the hour-of-week heat map of peak hours. Kept free of Vue so they are unit-tested directly.
 */
import type { BarSeriesOption, HeatmapSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { EnergySeries, PeakHours, RevenueSeries } from '../../api/types';
import type { ChartTheme } from '../charts/chart-theme';

export type ReportChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
>;

const axisStyle = (theme: ChartTheme) => ({
  axisLine: { lineStyle: { color: theme.border } },
  axisLabel: { color: theme.textMuted },
  splitLine: { lineStyle: { color: theme.border } },
});

/** Energy per day, week or month in kWh (the API sends Wh). */
export function buildEnergyOption(series: EnergySeries, theme: ChartTheme, name: string): ReportChartOption {
  return {
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: series.points.map((p) => p.at), ...axisStyle(theme) },
    yAxis: { type: 'value', name: 'kWh', ...axisStyle(theme) },
    series: [
      {
        type: 'bar',
        name,
        itemStyle: { color: theme.accent },
        data: series.points.map((p) => Math.round(p.energyWh) / 1000),
      },
    ],
  };
}

/** One horizontal bar per row (site, station or EVSE), e.g. utilisation % or idle hours. */
export function buildBarsOption(input: {
  labels: string[];
  values: number[];
  name: string;
  unit: string;
  theme: ChartTheme;
  max?: number;
}): ReportChartOption {
  const { theme } = input;
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      name: input.unit,
      ...(input.max !== undefined ? { max: input.max } : {}),
      ...axisStyle(theme),
    },
    yAxis: { type: 'category', data: input.labels, inverse: true, ...axisStyle(theme) },
    series: [{ type: 'bar', name: input.name, itemStyle: { color: theme.accent }, data: input.values }],
  };
}

/** Revenue (charges minus refunds) per period, one series per currency. */
export function buildRevenueOption(series: RevenueSeries, theme: ChartTheme): ReportChartOption {
  const periods = [...new Set(series.points.map((p) => p.at))].sort();
  const currencies = [...new Set(series.points.map((p) => p.currency))].sort();
  return {
    grid: { left: 56, right: 16, top: 28, bottom: 32 },
    tooltip: { trigger: 'axis' },
    legend: { data: currencies, top: 0, right: 0, textStyle: { color: theme.textMuted } },
    xAxis: { type: 'category', data: periods, ...axisStyle(theme) },
    yAxis: { type: 'value', ...axisStyle(theme) },
    series: currencies.map((currency) => ({
      type: 'bar' as const,
      name: currency,
      barMaxWidth: 48,
      data: periods.map((at) => {
        const p = series.points.find((x) => x.at === at && x.currency === currency);
        // Display only: the amounts stay decimal strings everywhere else.
        return p ? Number(p.revenue) : 0;
      }),
    })),
  };
}

/** Energy per weekday × hour as a heat map: [hour, weekday, kWh] cells, Monday on top. */
export function buildPeakHoursOption(
  peak: PeakHours,
  theme: ChartTheme,
  dayNames: string[],
): ReportChartOption {
  const cells = peak.energyWh.flatMap((hours, day) =>
    hours.map((wh, hour) => [hour, day, Math.round(wh) / 1000]),
  );
  const max = Math.max(0, ...cells.map((c) => c[2]!));
  return {
    grid: { left: 48, right: 16, top: 8, bottom: 56 },
    tooltip: { position: 'top' },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      splitArea: { show: true },
      ...axisStyle(theme),
    },
    yAxis: {
      type: 'category',
      data: dayNames,
      inverse: true,
      splitArea: { show: true },
      ...axisStyle(theme),
    },
    visualMap: {
      min: 0,
      max: max > 0 ? max : 1,
      // No drag handles: their value labels would sit on the hour axis.
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 10,
      itemHeight: 160,
      text: [`${max > 0 ? max : 1} kWh`, '0'],
      textStyle: { color: theme.textMuted },
      inRange: { color: [theme.surface, theme.accent] },
    },
    series: [{ type: 'heatmap', name: 'kWh', data: cells }],
  };
}

export const peakCells = (peak: PeakHours) =>
  peak.energyWh.reduce((n, day) => n + day.filter((v) => v > 0).length, 0);
