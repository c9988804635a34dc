import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { EventLogCounts, EventLogEntry, EventLogPage } from '../api/types';
import { VChartStub } from '../components/charts/chart-test-doubles';
import type { EventsChartOption } from '../components/alerts/events-chart-option';
import { createFeatureApi, featureApiKey } from '../components/alerts/feature-api';
import { clientOver, fakeApi, harness, station } from '../testing/fixtures';
import StationEventsPage from './StationEventsPage.vue';

vi.mock('vue-echarts', async () => ({
  default: (await import('../components/charts/chart-test-doubles')).VChartStub,
}));

const NOW = Date.parse('2026-12-04T12:00:00.000Z');

const entry = (i: number, extra: Partial<EventLogEntry> = {}): EventLogEntry => ({
  id: `e-${i}`,
  at: new Date(NOW - i * 60_000).toISOString(),
  source: 'station',
  stationId: 'st-1',
  stationIdentity: 'CP-1',
  stationName: 'Зарядка 1',
  siteId: 'site-1',
  siteName: 'Harbour',
  category: 'status',
  type: 'connector.status',
  summary: {
    code: 'status',
    params: { evseId: 1, connectorId: 1, status: 'available', rawStatus: 'Available' },
  },
  text: 'EVSE 1/1 available (Available)',
  details: { type: 'connector.status' },
  ...extra,
});

const fault = entry(0, {
  id: 'fault',
  category: 'error',
  summary: {
    code: 'fault',
    params: {
      evseId: 1,
      connectorId: 1,
      status: 'faulted',
      rawStatus: 'Faulted',
      errorCode: 'GroundFailure',
      vendorErrorCode: 'E-4711',
      info: null,
    },
  },
});
const command = entry(1, {
  id: 'cmd',
  source: 'command',
  category: 'command',
  type: 'command.sent',
  summary: { code: 'command', params: { user: 'ops@acme.test', command: 'reset', outcome: 'accepted' } },
});

const counts: EventLogCounts = {
  bucket: 'hour',
  from: new Date(NOW - 7 * 86_400_000).toISOString(),
  to: new Date(NOW).toISOString(),
  points: [
    { at: '2026-12-04T11:00:00.000Z', category: 'error', count: 1 },
    { at: '2026-12-04T11:00:00.000Z', category: 'command', count: 2 },
    { at: '2026-12-04T10:00:00.000Z', category: 'status', count: 50 },
  ],
};

/** The page's real feature client, over a fetch that answers like the cloud and records the URLs. */
function cloud(answer: (url: URL) => Response | undefined = () => undefined) {
  const urls: URL[] = [];
  const fetch = vi.fn((url: string) => {
    const u = new URL(url, 'http://x');
    urls.push(u);
    const custom = answer(u);
    if (custom) return Promise.resolve(custom);
    if (u.pathname === '/api/events/counts') return Promise.resolve(Response.json(counts));
    const offset = Number(u.searchParams.get('offset') ?? 0);
    const items =
      offset === 0 ? [fault, command, ...Array.from({ length: 48 }, (_, i) => entry(i + 2))] : [entry(99)];
    const page: EventLogPage = { items, total: 51, limit: 50, offset, from: counts.from, to: counts.to };
    return Promise.resolve(Response.json(page));
  });
  const core = fakeApi({
    me: () => Promise.reject(new Error('reads need no CSRF token')),
    getStation: (id) =>
      Promise.resolve({ ...station({ id, name: 'Зарядка 1' }), siteCode: 'h', recentEvents: [] }),
    listSites: () =>
      Promise.resolve({
        items: [{ ...station(), id: 'site-1', code: 'h', name: 'Harbour', stationCount: 1 }],
      }),
    listCities: () => Promise.resolve({ items: [] }),
  });
  const h = harness(core);
  const global = {
    ...h.global,
    provide: { ...h.global.provide, [featureApiKey]: createFeatureApi({ api: clientOver(fetch) }) },
  };
  const events = () => urls.filter((u) => u.pathname === '/api/events');
  return { h, global, urls, events };
}

describe('StationEventsPage', () => {
  it('lists the log with coloured categories and translated summaries, and draws entries per hour', async () => {
    const c = cloud();
    const wrapper = mount(StationEventsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="event-row"]');
    expect(rows).toHaveLength(50);
    expect(rows[0]!.attributes('data-category')).toBe('error');
    expect(rows[0]!.find('[data-testid="event-summary"]').text()).toBe(
      'EVSE 1/1 fault: GroundFailure, vendor code E-4711',
    );
    expect(rows[0]!.find('.badge').text()).toBe('Error');
    expect(rows[1]!.find('[data-testid="event-summary"]').text()).toBe('ops@acme.test sent Reset: Accepted');
    expect(rows[1]!.text()).toContain('Remote command');
    expect(rows[2]!.find('[data-testid="event-summary"]').text()).toBe('EVSE 1/1: Available (Available)');
    expect(rows[0]!.text()).toContain('Зарядка 1');

    // The default period: the last 7 days up to now.
    expect(c.events()[0]!.searchParams.get('from')).toBe(new Date(NOW - 7 * 86_400_000).toISOString());
    expect(c.events()[0]!.searchParams.get('to')).toBe(new Date(NOW).toISOString());

    const chart = wrapper.get('[data-testid="events-chart"]');
    expect(chart.attributes('data-total')).toBe('53');
    expect(chart.attributes('data-buckets')).toBe(String(7 * 24));
    const option = wrapper.findComponent(VChartStub).props('option') as EventsChartOption;
    const series = option.series as { name: string; stack: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(['Status', 'Error', 'Command']);
    expect(series.every((s) => s.stack === 'events')).toBe(true);
    expect(series[1]!.data.at(-1)).toBe(1);
    expect(series[0]!.data.at(-2)).toBe(50);
  });

  it('filters by category, type, site, text and period, pages, and exports the same filters', async () => {
    const c = cloud();
    const wrapper = mount(StationEventsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();

    await wrapper.get('[data-testid="event-category-security"]').trigger('click');
    await wrapper.get('[data-testid="event-category-error"]').trigger('click');
    await flushPromises();
    expect(c.events().at(-1)!.searchParams.get('category')).toBe('error,security');
    expect(wrapper.get('[data-testid="event-category-error"]').attributes('aria-pressed')).toBe('true');

    await wrapper.get('[data-testid="event-log-type"]').setValue('connector.status');
    await wrapper.get('[data-testid="event-log-site"]').setValue('site-1');
    await wrapper.get('[data-testid="event-log-search"]').setValue('E-4711');
    await wrapper.get('[data-testid="event-log-period"]').setValue('h24');
    await wrapper.get('[data-testid="event-log-filters"]').trigger('submit');
    await flushPromises();
    const q = c.events().at(-1)!.searchParams;
    expect(Object.fromEntries(q)).toEqual({
      category: 'error,security',
      type: 'connector.status',
      siteId: 'site-1',
      q: 'E-4711',
      from: new Date(NOW - 86_400_000).toISOString(),
      to: new Date(NOW).toISOString(),
      limit: '50',
      offset: '0',
    });
    const counted = c.urls.filter((u) => u.pathname === '/api/events/counts').at(-1)!;
    expect(counted.searchParams.get('q')).toBe('E-4711');

    const csv = new URL(wrapper.get('[data-testid="event-log-csv"]').attributes('href')!, 'http://x');
    expect(csv.pathname).toBe('/api/events.csv');
    expect(Object.fromEntries(csv.searchParams)).toEqual({
      category: 'error,security',
      type: 'connector.status',
      siteId: 'site-1',
      q: 'E-4711',
      from: new Date(NOW - 86_400_000).toISOString(),
      to: new Date(NOW).toISOString(),
    });

    const countsBefore = c.urls.filter((u) => u.pathname === '/api/events/counts').length;
    await wrapper.get('[data-testid="event-log-next"]').trigger('click');
    await flushPromises();
    expect(c.events().at(-1)!.searchParams.get('offset')).toBe('50');
    expect(wrapper.findAll('[data-testid="event-row"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="event-log-range"]').text()).toBe('51–51 of 51');
    // Paging keeps the chart: it counts the whole period, not a page.
    expect(c.urls.filter((u) => u.pathname === '/api/events/counts')).toHaveLength(countsBefore);

    await wrapper.get('[data-testid="event-log-clear"]').trigger('click');
    await flushPromises();
    expect([...c.events().at(-1)!.searchParams.keys()].sort()).toEqual(['from', 'limit', 'offset', 'to']);
  });

  it('shows one station under /stations/:id/events, without the site filter', async () => {
    const c = cloud();
    await c.h.router.push('/stations/st-7');
    const wrapper = mount(StationEventsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Event log: Зарядка 1');
    expect(c.events()[0]!.searchParams.get('stationId')).toBe('st-7');
    expect(wrapper.find('[data-testid="event-log-site"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="event-log-back"]').attributes('href')).toBe('/stations/st-7');
  });

  it('explains a period the server refuses, and offers a retry when loading fails', async () => {
    const problem = (status: number, code: string) =>
      new Response(JSON.stringify({ type: 'x', title: 't', status, code }), {
        status,
        headers: { 'content-type': 'application/problem+json' },
      });
    let fail: 'invalid' | 'down' = 'invalid';
    const c = cloud((u) =>
      u.pathname === '/api/events'
        ? problem(
            fail === 'invalid' ? 400 : 503,
            fail === 'invalid' ? 'request.invalid' : 'service.unavailable',
          )
        : undefined,
    );
    const wrapper = mount(StationEventsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    expect(wrapper.get('[data-testid="event-log-invalid"]').text()).toContain('at most 93 days');
    fail = 'down';
    await wrapper.get('[data-testid="event-log-filters"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="load-error"]').exists()).toBe(true);
  });
});
