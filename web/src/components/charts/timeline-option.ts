/**
 * A station's connector status over time: one row per connector, one bar per status period,
 * coloured like the map and the connector chips (CONNECTOR_STATUS_COLORS).
 */
import type { CustomSeriesRenderItem } from 'echarts';
import type { ConnectorStatus, TimelineSegment } from '../../api/types';
import { CONNECTOR_STATUS_COLORS, connectorStatusOf } from '../../domain/station-status';
import type { ChartOption } from './chart-option';
import type { ChartTheme } from './chart-theme';
import { toMs } from './samples';

export interface TimelineRow {
  evseId: number;
  connectorId: number;
}

export interface TimelineBar {
  row: number;
  fromMs: number;
  /** Clamped to the window; `open` says the period is still going on. */
  toMs: number;
  open: boolean;
  status: ConnectorStatus;
  rawStatus: string;
}

export interface TimelineBars {
  rows: TimelineRow[];
  bars: TimelineBar[];
}

/** Rows in EVSE/connector order; periods clipped to [windowStartMs, nowMs], empty ones dropped. */
export function timelineBars(
  segments: readonly TimelineSegment[],
  windowStartMs: number,
  nowMs: number,
): TimelineBars {
  const rows = [...new Map(segments.map((s) => [`${s.evseId}/${s.connectorId}`, s])).values()]
    .map((s): TimelineRow => ({ evseId: s.evseId, connectorId: s.connectorId }))
    .sort((a, b) => a.evseId - b.evseId || a.connectorId - b.connectorId);
  const rowOf = (s: TimelineSegment) =>
    rows.findIndex((r) => r.evseId === s.evseId && r.connectorId === s.connectorId);
  const bars: TimelineBar[] = [];
  for (const segment of segments) {
    const fromMs = Math.max(toMs(segment.from), windowStartMs);
    const toMsRaw = segment.to === null ? nowMs : toMs(segment.to);
    const end = Math.min(toMsRaw, nowMs);
    if (!Number.isFinite(fromMs) || !Number.isFinite(end) || end <= fromMs) continue;
    bars.push({
      row: rowOf(segment),
      fromMs,
      toMs: end,
      open: segment.to === null,
      status: connectorStatusOf(segment),
      rawStatus: segment.rawStatus,
    });
  }
  return { rows, bars };
}

export interface TimelineOptionInput {
  segments: readonly TimelineSegment[];
  windowStartMs: number;
  nowMs: number;
  theme: ChartTheme;
  rowLabel(row: TimelineRow): string;
  describe(bar: TimelineBar): string;
  axisTime(atMs: number): string;
}

/** Draws one bar: value = [row, fromMs, toMs]; clipped to the plot area. */
export const renderTimelineBar: CustomSeriesRenderItem = (params, api) => {
  const row = Number(api.value(0));
  const start = api.coord([api.value(1), row]);
  const end = api.coord([api.value(2), row]);
  const band = api.size?.([0, 1]);
  const height = (Array.isArray(band) ? (band[1] ?? 0) : 0) * 0.6;
  const area = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
  const x = Math.max(start[0] ?? 0, area.x);
  const right = Math.min(end[0] ?? 0, area.x + area.width);
  if (right <= x) return null;
  return {
    type: 'rect',
    shape: { x, y: (start[1] ?? 0) - height / 2, width: Math.max(right - x, 1), height },
    style: { fill: api.visual('color') as string },
  };
};

export function buildTimelineOption(input: TimelineOptionInput): ChartOption {
  const { theme } = input;
  const { rows, bars } = timelineBars(input.segments, input.windowStartMs, input.nowMs);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'item',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      formatter: (params) => {
        const index = Array.isArray(params) ? params[0]?.dataIndex : params.dataIndex;
        const bar = index === undefined ? undefined : bars[index];
        return bar ? input.describe(bar) : '';
      },
    },
    xAxis: {
      type: 'time',
      min: input.windowStartMs,
      max: input.nowMs,
      axisLine: { lineStyle: { color: theme.border } },
      axisLabel: {
        color: theme.textMuted,
        formatter: (value: number) => input.axisTime(value),
        hideOverlap: true,
      },
      splitLine: { lineStyle: { color: theme.border } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((row) => input.rowLabel(row)),
      axisLabel: { color: theme.text },
      axisLine: { lineStyle: { color: theme.border } },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'custom',
        renderItem: renderTimelineBar,
        encode: { x: [1, 2], y: 0 },
        data: bars.map((bar) => ({
          value: [bar.row, bar.fromMs, bar.toMs],
          itemStyle: { color: CONNECTOR_STATUS_COLORS[bar.status] },
        })),
      },
    ],
  };
}
