import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { PowerHistory } from '../../api/types';
import { useStationsStore } from '../../stores/stations';
import { fakeApi, harness, kpis } from '../../testing/fixtures';
import type { ChartOption } from './chart-option';
import { VChartStub } from './chart-test-doubles';
import FleetPowerChart from './FleetPowerChart.vue';

vi.mock('vue-echarts', async () => ({ default: (await import('./chart-test-doubles')).VChartStub }));
vi.mock('./echarts-setup', () => ({}));

const now = Date.now();
const bucketStart = Math.floor(now / 900_000) * 900_000;
const history: PowerHistory = {
  bucket: '15m',
  from: new Date(now - 86_400_000).toISOString(),
  to: new Date(now).toISOString(),
  points: [
    { at: new Date(bucketStart - 900_000).toISOString(), powerW: 12_000, energyWh: 3000 },
    { at: new Date(bucketStart).toISOString(), powerW: 15_500, energyWh: 1000 },
  ],
};

function mountChart(powerHistory: () => Promise<PowerHistory>) {
  const h = harness(fakeApi({ powerHistory }));
  const wrapper = mount(FleetPowerChart, { global: h.global });
  return { wrapper, h };
}

function drawnData(wrapper: ReturnType<typeof mountChart>['wrapper']): unknown {
  const option: ChartOption = wrapper.getComponent(VChartStub).props('option');
  return (option.series as { data: unknown }[])[0]?.data;
}

describe('FleetPowerChart', () => {
  it('shows loading, then the chart with its point count and an accessible description', async () => {
    const { wrapper } = mountChart(() => Promise.resolve(history));
    expect(wrapper.find('[data-testid="chart-loading"]').exists()).toBe(true);
    await flushPromises();
    const chart = wrapper.get('[data-testid="fleet-power-chart"]');
    expect(chart.attributes('data-points')).toBe('2');
    expect(chart.attributes('role')).toBe('img');
    expect(chart.attributes('aria-label')).toContain('2 points, latest 15.5 kW');
    expect(drawnData(wrapper)).toEqual([
      [bucketStart - 900_000, 12],
      [bucketStart, 15.5],
    ]);
    expect(wrapper.getComponent(VChartStub).props('autoresize')).toEqual({ throttle: 200 });
  });

  it('follows kpis.powerNowW in the open bucket without reloading', async () => {
    const powerHistory = vi.fn(() => Promise.resolve(history));
    const { wrapper } = mountChart(powerHistory);
    await flushPromises();
    useStationsStore().applyKpis(kpis({ powerNowW: 42_000 }));
    await flushPromises();
    expect(powerHistory).toHaveBeenCalledTimes(1);
    expect(drawnData(wrapper)).toEqual([
      [bucketStart - 900_000, 12],
      [bucketStart, 42],
    ]);
    expect(wrapper.get('[data-testid="fleet-power-chart"]').attributes('aria-label')).toContain('42.0 kW');
  });

  it('says so when there is no data, and offers a retry on error', async () => {
    const empty = mountChart(() => Promise.resolve({ ...history, points: [] }));
    await flushPromises();
    expect(empty.wrapper.get('[data-testid="chart-empty"]').text()).toContain('No readings');
    expect(empty.wrapper.find('[data-testid="fleet-power-chart"]').exists()).toBe(false);

    let fail = true;
    const failing = mountChart(() => (fail ? Promise.reject(new Error('down')) : Promise.resolve(history)));
    await flushPromises();
    expect(failing.wrapper.get('[data-testid="chart-error"]').text()).toContain(
      'Could not load the chart data.',
    );
    fail = false;
    await failing.wrapper.get('[data-testid="chart-retry"]').trigger('click');
    await flushPromises();
    expect(failing.wrapper.get('[data-testid="fleet-power-chart"]').attributes('data-points')).toBe('2');
  });
});
