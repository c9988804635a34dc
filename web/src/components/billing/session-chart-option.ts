/** A session's energy (kWh, cumulative) and average power between readings (kW) over time. */
import type { ChartOption } from '../charts/chart-option';
import type { ChartTheme } from '../charts/chart-theme';

export interface SessionChartInput {
  timeline: readonly { at: string; energyWh: number }[];
  theme: ChartTheme;
  energyName: string;
  powerName: string;
  formatTime: (ms: number) => string;
}

export function sessionSeries(timeline: SessionChartInput['timeline']) {
  const energy: [number, number][] = [];
  const power: [number, number][] = [];
  let prev: { ms: number; wh: number } | null = null;
  for (const p of timeline) {
    const ms = Date.parse(p.at);
    energy.push([ms, p.energyWh / 1000]);
    if (prev && ms > prev.ms) {
      const kw = ((p.energyWh - prev.wh) * 3_600_000) / (ms - prev.ms) / 1000;
      // Drawn with step 'start': each reading's average power holds over the interval before it.
      if (power.length === 0) power.push([prev.ms, kw]);
      power.push([ms, kw]);
    }
    prev = { ms, wh: p.energyWh };
  }
  return { energy, power };
}

export function buildSessionChartOption(input: SessionChartInput): ChartOption {
  const { theme } = input;
  const { energy, power } = sessionSeries(input.timeline);
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
    },
    xAxis: {
      type: 'time',
      min: 'dataMin',
      max: 'dataMax',
      axisLabel: { color: theme.textMuted, hideOverlap: true, formatter: (v: number) => input.formatTime(v) },
      axisLine: { lineStyle: { color: theme.border } },
    },
    yAxis: [
      {
        type: 'value',
        name: input.energyName,
        nameTextStyle: { color: theme.textMuted },
        axisLabel: { color: theme.textMuted },
        splitLine: { lineStyle: { color: theme.border } },
      },
      {
        type: 'value',
        name: input.powerName,
        nameTextStyle: { color: theme.textMuted },
        axisLabel: { color: theme.textMuted },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'line',
        name: input.energyName,
        data: energy,
        showSymbol: false,
        lineStyle: { color: theme.accent, width: 2 },
        itemStyle: { color: theme.accent },
        areaStyle: { color: theme.accent, opacity: 0.12 },
      },
      {
        type: 'line',
        name: input.powerName,
        yAxisIndex: 1,
        step: 'start',
        data: power,
        showSymbol: false,
        lineStyle: { color: '#f59e0b', width: 1.5 },
        itemStyle: { color: '#f59e0b' },
      },
    ],
  };
}
