/**
 * The option type every chart builder returns: only the series and components registered in
 * echarts-setup.ts, so a builder cannot ask for a part the bundle does not ship.
 */
import type { ComposeOption } from 'echarts/core';
import type { CustomSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';

export type ChartOption = ComposeOption<
  LineSeriesOption | CustomSeriesOption | GridComponentOption | TooltipComponentOption
>;

/** One plotted point: time in ms since the epoch, value or null for a gap in the line. */
export type Sample = [atMs: number, value: number | null];

/** What a chart section shows: its chart, or one of the states ChartState draws. */
export type ChartViewState = 'loading' | 'error' | 'empty' | 'ready';
