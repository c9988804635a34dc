import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { ApiClient } from '../../api/client';
import type { MeterHistory, SessionPage, StationDetail, StationTimeline } from '../../api/types';
import { useLiveSync } from '../../composables/useLiveSync';
import StationDetailPage from '../../pages/StationDetailPage.vue';
import { fakeSocket, type FakeSocket } from '../../testing/fake-socket';
import { fakeApi, harness, kpis, station } from '../../testing/fixtures';
import type { ChartOption } from './chart-option';
import { VChartStub } from './chart-test-doubles';

vi.mock('vue-echarts', async () => ({ default: (await import('./chart-test-doubles')).VChartStub }));
vi.mock('./echarts-setup', () => ({}));

const detail: StationDetail = {
  ...station({ id: 'a', identity: 'TLN-001', name: 'Harbour 1', status: 'charging' }),
  siteCode: 'HRB',
  recentEvents: [],
};
const now = Date.now();
const at = (agoMs: number) => new Date(now - agoMs).toISOString();

const meter: MeterHistory = {
  points: [
    { at: at(3000), evseId: 1, powerW: 11_000, voltageV: 230, currentA: 16, socPercent: 40 },
    { at: at(2000), evseId: 1, powerW: null, voltageV: 231, currentA: null, socPercent: null },
    { at: at(1000), evseId: 1, powerW: 11_500, voltageV: 229, currentA: 16.5, socPercent: 41 },
    { at: at(1000), evseId: 2, powerW: 0, voltageV: 230, currentA: 0, socPercent: null },
  ],
};
const timeline: StationTimeline = {
  segments: [
    {
      evseId: 1,
      connectorId: 1,
      status: 'available',
      rawStatus: 'Available',
      from: at(5 * 3_600_000),
      to: at(3_600_000),
    },
    { evseId: 1, connectorId: 1, status: 'occupied', rawStatus: 'Charging', from: at(3_600_000), to: null },
  ],
};
const sessions: SessionPage = {
  total: 31,
  items: [
    {
      id: 's2',
      transactionId: 'T2',
      evseId: 1,
      connectorId: 1,
      idToken: 'RFID1',
      startedAt: at(3_600_000),
      endedAt: null,
      energyWh: 12_345,
      status: 'active',
      stopReason: null,
    },
    {
      id: 's1',
      transactionId: 'T1',
      evseId: 1,
      connectorId: 1,
      idToken: null,
      startedAt: '2026-01-01T08:00:00.000Z',
      endedAt: '2026-01-01T09:35:00.000Z',
      energyWh: 30_000,
      status: 'completed',
      stopReason: 'EVDisconnected',
    },
  ],
};

/** The page inside a stand-in for the signed-in shell, which owns the one live connection. */
async function mountPage(methods: Partial<ApiClient>) {
  const sockets: FakeSocket[] = [];
  const harnessed = harness(
    fakeApi({
      getStation: () => Promise.resolve(detail),
      liveSnapshot: () => Promise.resolve({ at: at(0), stations: [], kpis: kpis() }),
      ...methods,
    }),
  );
  const Shell = defineComponent({
    setup() {
      useLiveSync(() => {
        const socket = fakeSocket();
        sockets.push(socket);
        return socket.socket;
      });
      return () => h(StationDetailPage);
    },
  });
  await harnessed.router.push('/stations/a');
  const wrapper = mount(Shell, { global: harnessed.global });
  await flushPromises();
  return { wrapper, sockets, router: harnessed.router };
}

const never = () => new Promise<never>(() => undefined);

describe('station page: charts, timeline and sessions', () => {
  it('shows each section loading while its data is on the way', async () => {
    const { wrapper } = await mountPage({
      stationMeter: never,
      stationTimeline: never,
      stationSessions: never,
    });
    for (const id of ['station-meter', 'station-timeline', 'recent-sessions']) {
      const section = wrapper.get(`[data-testid="${id}"]`);
      expect(section.attributes('data-state')).toBe('loading');
      expect(section.find('[data-testid="chart-loading"]').exists()).toBe(true);
    }
  });

  it('says so when a section has nothing to show', async () => {
    const { wrapper } = await mountPage({
      stationMeter: () => Promise.resolve({ points: [] }),
      stationTimeline: () => Promise.resolve({ segments: [] }),
      stationSessions: () => Promise.resolve({ items: [], total: 0 }),
    });
    expect(wrapper.get('[data-testid="station-meter"]').text()).toContain(
      'No meter values in the last hour.',
    );
    expect(wrapper.get('[data-testid="station-timeline"]').text()).toContain('No status changes');
    expect(wrapper.get('[data-testid="recent-sessions"]').text()).toContain('No charging sessions yet.');
    expect(wrapper.findComponent(VChartStub).exists()).toBe(false);
  });

  it('shows an error with a retry when the data cannot be loaded', async () => {
    const { wrapper } = await mountPage({});
    for (const id of ['station-meter', 'station-timeline', 'recent-sessions']) {
      expect(wrapper.find(`[data-testid="${id}"] [data-testid="chart-error"]`).exists()).toBe(true);
    }
  });

  it('draws power, voltage and current per EVSE with point counts and gaps for missing readings', async () => {
    const { wrapper } = await mountPage({
      stationMeter: () => Promise.resolve(meter),
      stationTimeline: () => Promise.resolve(timeline),
      stationSessions: () => Promise.resolve(sessions),
    });
    const charts = wrapper.findAll('[data-testid="meter-chart"]');
    expect(
      charts.map(
        (c) => `${c.attributes('data-evse')}:${c.attributes('data-quantity')}:${c.attributes('data-points')}`,
      ),
    ).toEqual(['1:power:2', '1:voltage:3', '1:current:2', '2:power:1', '2:voltage:1', '2:current:1']);
    expect(charts[0]?.attributes('aria-label')).toBe(
      'Power of EVSE 1 over the last hour: 2 points, latest 11.5 kW.',
    );
    expect(charts[1]?.attributes('aria-label')).toContain('latest 229 V');
    const power = wrapper.findAllComponents(VChartStub)[0]?.props('option') as ChartOption;
    expect((power.series as { data: unknown[] }[])[0]?.data).toEqual([
      [now - 3000, 11],
      [now - 2000, null],
      [now - 1000, 11.5],
    ]);
  });

  it("watches the station over the shell's one connection and charts its meter:update once per frame", async () => {
    const { wrapper, sockets, router } = await mountPage({
      stationMeter: () => Promise.resolve(meter),
      stationTimeline: () => Promise.resolve(timeline),
      stationSessions: () => Promise.resolve(sessions),
    });
    expect(sockets).toHaveLength(1);
    const socket = sockets[0]!;
    expect(socket.connect).toHaveBeenCalledOnce();
    socket.receive('connect');
    expect(socket.sent()).toEqual([['station:subscribe', 'a']]);

    const update = { evseId: 1, connectorId: 1, energyRegisterWh: 1, transactionId: 'T2' };
    socket.receive('meter:update', {
      ...update,
      stationId: 'a',
      at: new Date(now).toISOString(),
      powerW: 12_000,
    });
    socket.receive('meter:update', {
      ...update,
      stationId: 'other',
      at: new Date(now).toISOString(),
      powerW: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await flushPromises();
    const power = wrapper.get('[data-testid="meter-chart"][data-evse="1"][data-quantity="power"]');
    expect(power.attributes('data-points')).toBe('3');
    expect(power.attributes('aria-label')).toContain('latest 12.0 kW');

    // Another station: the old subscription ends, the new one starts, on the same socket.
    await router.push('/stations/b');
    await flushPromises();
    expect(socket.sent()).toEqual([
      ['station:subscribe', 'a'],
      ['station:unsubscribe', 'a'],
      ['station:subscribe', 'b'],
    ]);
    wrapper.unmount();
    expect(socket.disconnect).toHaveBeenCalledOnce();
    expect(sockets).toHaveLength(1);
  });

  it('draws the status timeline coloured by status, with a legend', async () => {
    const { wrapper } = await mountPage({
      stationMeter: () => Promise.resolve({ points: [] }),
      stationTimeline: () => Promise.resolve(timeline),
      stationSessions: () => Promise.resolve(sessions),
    });
    const chart = wrapper.get('[data-testid="status-timeline-chart"]');
    expect(chart.attributes('data-points')).toBe('2');
    expect(chart.attributes('data-rows')).toBe('1');
    expect(chart.attributes('aria-label')).toBe(
      'Connector status over the last 24 hours: 2 periods across 1 connectors.',
    );
    const legend = wrapper.get('[data-testid="status-timeline-legend"]');
    expect(legend.findAll('li').map((li) => li.attributes('data-status'))).toEqual(['available', 'occupied']);
    expect(legend.text()).toContain('Occupied');
  });

  it('lists recent sessions with duration, kWh and translated status', async () => {
    const { wrapper } = await mountPage({
      stationMeter: () => Promise.resolve({ points: [] }),
      stationTimeline: () => Promise.resolve({ segments: [] }),
      stationSessions: () => Promise.resolve(sessions),
    });
    const rows = wrapper.findAll('[data-testid="session-row"]');
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['active', 'completed']);
    expect(rows[0]?.text()).toContain('In progress');
    expect(rows[0]?.text()).toContain('12.3 kWh');
    expect(rows[0]?.text()).toContain('Charging');
    expect(rows[1]?.text()).toContain('1 h 35 min');
    expect(rows[1]?.text()).toContain('30.0 kWh');
    expect(rows[1]?.text()).toContain('Completed');
    expect(rows[1]?.text()).toContain('EVDisconnected');
    expect(wrapper.get('[data-testid="sessions-total"]').text()).toBe('2 of 31');
  });
});
