import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsumptionReport, PeakHours, UtilisationReport } from '../api/types';
import { VChartStub } from '../components/charts/chart-test-doubles';
import { createFeatureApi, featureApiKey } from '../components/alerts/feature-api';
import type { ReportChartOption } from '../components/reports/report-chart-options';
import { useAuthStore } from '../stores/auth';
import { clientOver, fakeApi, harness } from '../testing/fixtures';
import ReportsPage from './ReportsPage.vue';

vi.mock('vue-echarts', async () => ({
  default: (await import('../components/charts/chart-test-doubles')).VChartStub,
}));

const period = { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const consumption = (groupBy: ConsumptionReport['groupBy']): ConsumptionReport => ({
  groupBy,
  ...period,
  items:
    groupBy === 'holder'
      ? [
          { key: 'h-1', label: 'Иван Иванов', detail: 'ООО Вольт', sessions: 2, energyWh: 5000 },
          { key: 'h-2', label: '李娜', detail: null, sessions: 1, energyWh: 1500 },
        ]
      : [
          { key: 'CARD-C', label: 'CARD-C', detail: 'Иван Иванов', sessions: 1, energyWh: 3000 },
          { key: 'CARD-A', label: 'CARD-A', detail: 'Иван Иванов', sessions: 1, energyWh: 2000 },
          { key: 'CARD-B', label: 'CARD-B', detail: '李娜', sessions: 1, energyWh: 1500 },
        ],
  total: groupBy === 'holder' ? 2 : 3,
  limit: 50,
  offset: 0,
  totals: { sessions: 3, energyWh: 6500 },
});
const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
grid[2]![18] = 6500;
const peak: PeakHours = { tz: 'Europe/Berlin', ...period, energyWh: grid };
const utilisation: UtilisationReport = {
  by: 'station',
  ...period,
  idleAvailable: true,
  total: 1,
  limit: 50,
  offset: 0,
  items: [
    {
      key: 'st-1',
      label: 'Зарядка 1',
      stationId: 'st-1',
      siteId: 'site-1',
      evseId: null,
      connectorId: null,
      connectors: 1,
      occupiedS: 1800,
      utilisationPercent: 25,
      chargingS: 1200,
      idleS: 600,
    },
  ],
};

function cloud() {
  const urls: URL[] = [];
  const fetch = vi.fn((url: string) => {
    const u = new URL(url, 'http://x');
    urls.push(u);
    const json = (body: unknown) => Promise.resolve(Response.json(body));
    switch (u.pathname) {
      case '/api/reports/consumption':
        return json(consumption((u.searchParams.get('groupBy') ?? 'token') as 'token'));
      case '/api/reports/energy':
        return json({
          interval: 'day',
          tz: 'Europe/Berlin',
          ...period,
          points: [{ at: '2026-12-02', energyWh: 6500 }],
        });
      case '/api/reports/revenue':
        return json({
          interval: 'day',
          tz: 'Europe/Berlin',
          ...period,
          points: [
            {
              at: '2026-12-02',
              currency: 'EUR',
              charges: '22.7500',
              refunds: '2.0000',
              adjustments: '0.0000',
              revenue: '20.7500',
            },
          ],
          totals: [{ currency: 'EUR', revenue: '20.7500' }],
        });
      case '/api/reports/peak-hours':
        return json(peak);
      case '/api/reports/utilisation':
        return json(utilisation);
      case '/api/reports/uptime':
        return json({
          ...period,
          items: [
            {
              stationId: 'st-1',
              stationName: 'Зарядка 1',
              siteId: 'site-1',
              siteName: 'Harbour',
              evseId: 1,
              upS: 3600,
              uptimePercent: 50,
            },
          ],
        });
      default:
        return Promise.resolve(new Response('{}', { status: 404 }));
    }
  });
  const core = fakeApi({
    listSites: () => Promise.resolve({ items: [] }),
    listTokenHolders: () => Promise.resolve({ items: [], total: 0, limit: 500, offset: 0 }),
  });
  const h = harness(core);
  useAuthStore().user = {
    id: 'u',
    email: 'u@test',
    name: 'U',
    role: 'analyst',
    tenantId: 't',
    tenantName: 'Acme',
  };
  const global = {
    ...h.global,
    provide: { ...h.global.provide, [featureApiKey]: createFeatureApi({ api: clientOver(fetch) }) },
  };
  return { global, urls };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ReportsPage', () => {
  it('shows consumption by RFID and by holder with the total, and a CSV link with the filters', async () => {
    const c = cloud();
    const wrapper = mount(ReportsPage, { props: { timeZone: 'Europe/Berlin' }, global: c.global });
    await flushPromises();
    const rows = () => wrapper.findAll('[data-testid="report-row"]');
    expect(rows().map((r) => r.attributes('data-key'))).toEqual(['CARD-C', 'CARD-A', 'CARD-B']);
    expect(rows()[0]!.text()).toContain('Иван Иванов');
    expect(wrapper.get('[data-testid="report-total"]').text()).toContain('6.5 kWh');

    await wrapper.get('[data-testid="report-group-holder"]').trigger('click');
    await flushPromises();
    expect(rows().map((r) => r.text())).toEqual([
      expect.stringContaining('Иван Иванов'),
      expect.stringContaining('李娜'),
    ]);
    expect(rows()[0]!.get('[data-testid="report-energy"]').text()).toBe('5.0 kWh');

    await wrapper.get('[data-testid="report-token"]').setValue('CARD-A');
    await wrapper.get('[data-testid="report-from"]').setValue('2026-12-01');
    await wrapper.get('[data-testid="report-filters"]').trigger('submit');
    await flushPromises();
    const last = c.urls.filter((u) => u.pathname === '/api/reports/consumption').at(-1)!;
    expect(last.searchParams.get('idToken')).toBe('CARD-A');
    expect(last.searchParams.get('groupBy')).toBe('holder');
    expect(last.searchParams.get('from')).toBe(new Date(2026, 11, 1).toISOString());
    const csv = new URL(wrapper.get('[data-testid="report-csv"]').attributes('href')!, 'http://x');
    expect(csv.pathname).toBe('/api/reports/consumption.csv');
    expect(csv.searchParams.get('idToken')).toBe('CARD-A');
  });

  it('draws energy, revenue, the peak-hour heat map, utilisation, idle time and uptime', async () => {
    const c = cloud();
    const wrapper = mount(ReportsPage, { props: { timeZone: 'Europe/Berlin' }, global: c.global });
    await flushPromises();
    expect(c.urls.find((u) => u.pathname === '/api/reports/peak-hours')!.searchParams.get('tz')).toBe(
      'Europe/Berlin',
    );
    for (const id of ['energy', 'revenue', 'peak', 'utilisation', 'idle', 'uptime']) {
      expect(wrapper.find(`[data-testid="report-${id}-chart"]`).exists(), id).toBe(true);
    }
    expect(wrapper.get('[data-testid="report-peak-chart"]').attributes('data-points')).toBe('1');
    expect(wrapper.get('[data-testid="report-revenue-chart"]').attributes('aria-label')).toContain(
      '20.7500 EUR',
    );
    const options = wrapper.findAllComponents(VChartStub).map((s) => s.props('option') as ReportChartOption);
    const heat = options.find((o) => (o.series as { type: string }[])[0]!.type === 'heatmap')!;
    expect((heat.series as { data: number[][] }[])[0]!.data).toContainEqual([18, 2, 6.5]);
    const idle = wrapper.findAllComponents(VChartStub)[4]!.props('option') as ReportChartOption;
    expect((idle.series as { data: number[] }[])[0]!.data).toEqual([0.17]);

    // Utilisation per site instead of per station: the next load asks for it.
    await wrapper.get('[data-testid="report-utilisation-by"]').setValue('site');
    await wrapper.get('[data-testid="report-filters"]').trigger('submit');
    await flushPromises();
    const asked = c.urls
      .filter((u) => u.pathname === '/api/reports/utilisation')
      .map((u) => u.searchParams.get('by'));
    expect(asked).toEqual(['station', 'site']);
  });
});
