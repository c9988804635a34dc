/**
 * The event log's chart: entries per hour (or day) stacked by category, one bar per bucket from the
 * start of the period to its end (empty buckets count 0, so quiet hours show as gaps in activity).
 */
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { EVENT_CATEGORIES, type EventCategory, type EventLogCounts } from '../../api/types';
import type { ChartTheme } from '../charts/chart-theme';
import { CATEGORY_COLORS } from './event-log-text';

export type EventsChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

export interface EventsChartInput {
  counts: EventLogCounts;
  theme: ChartTheme;
  categoryName: (c: EventCategory) => string;
  formatTime: (atMs: number) => string;
}

/** Bucket starts covering [from, to): hours in UTC, days at UTC midnight, as the server truncates. */
export function bucketStarts(counts: EventLogCounts): number[] {
  const size = BUCKET_MS[counts.bucket];
  const first = Math.floor(Date.parse(counts.from) / size) * size;
  const end = Date.parse(counts.to);
  const starts: number[] = [];
  for (let at = first; at < end; at += size) starts.push(at);
  return starts;
}

export function eventsTotal(counts: EventLogCounts): number {
  return counts.points.reduce((sum, p) => sum + p.count, 0);
}

export function buildEventsChartOption(input: EventsChartInput): EventsChartOption {
  const { counts, theme } = input;
  const starts = bucketStarts(counts);
  const byCategory = new Map<EventCategory, Map<number, number>>();
  for (const p of counts.points) {
    const series = byCategory.get(p.category) ?? new Map<number, number>();
    series.set(Date.parse(p.at), (series.get(Date.parse(p.at)) ?? 0) + p.count);
    byCategory.set(p.category, series);
  }
  const present = EVENT_CATEGORIES.filter((c) => byCategory.has(c));
  return {
    animation: false,
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    legend: { top: 0, textStyle: { color: theme.textMuted }, data: present.map(input.categoryName) },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: starts.map(input.formatTime),
      axisLine: { lineStyle: { color: theme.border } },
      axisLabel: { color: theme.textMuted },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitLine: { lineStyle: { color: theme.border } },
      axisLabel: { color: theme.textMuted },
    },
    series: present.map((category) => ({
      type: 'bar',
      name: input.categoryName(category),
      stack: 'events',
      itemStyle: { color: CATEGORY_COLORS[category] },
      data: starts.map((at) => byCategory.get(category)?.get(at) ?? 0),
    })),
  };
}
