import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Page, StationQuery, StationSummary } from '../api/types';
import { fakeApi, harness, station } from '../testing/fixtures';
import { useStationsStore } from '../stores/stations';
import StationsPage from './StationsPage.vue';

const all = [
  station({ id: 'a', identity: 'TLN-001', status: 'available' }),
  station({ id: 'b', identity: 'TLN-002', status: 'charging', siteId: 'site-2', cityId: 'city-2' }),
  station({ id: 'c', identity: 'TRT-001', status: 'faulted', cityId: 'city-2' }),
];

/** A server stand-in that filters like the cloud would, so assertions read as behaviour. */
function listStations(stations: StationSummary[]) {
  return vi.fn((query: StationQuery = {}): Promise<Page<StationSummary>> => {
    const items = stations.filter(
      (s) =>
        (!query.q || s.identity.toLowerCase().includes(query.q.toLowerCase())) &&
        (!query.status || s.status === query.status) &&
        (!query.cityId || s.cityId === query.cityId) &&
        (!query.siteId || s.siteId === query.siteId),
    );
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    return Promise.resolve({
      items: items.slice(offset, offset + limit),
      total: items.length,
      limit,
      offset,
    });
  });
}

async function mountPage(stations = all) {
  const list = listStations(stations);
  const api = fakeApi({
    listStations: list,
    listSites: () =>
      Promise.resolve({
        items: [
          {
            id: 'site-1',
            code: 'H',
            name: 'Harbour',
            cityId: 'city-1',
            cityName: 'Tallinn',
            lat: 0,
            lon: 0,
            stationCount: 2,
          },
          {
            id: 'site-2',
            code: 'M',
            name: 'Mall',
            cityId: 'city-2',
            cityName: 'Tartu',
            lat: 0,
            lon: 0,
            stationCount: 1,
          },
        ],
      }),
    listCities: () =>
      Promise.resolve({
        items: [
          { id: 'city-1', name: 'Tallinn', lat: 0, lon: 0 },
          { id: 'city-2', name: 'Tartu', lat: 0, lon: 0 },
        ],
      }),
  });
  const h = harness(api);
  const wrapper = mount(StationsPage, { global: h.global });
  await flushPromises();
  return { wrapper, list };
}

function rows(wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper']) {
  return wrapper
    .findAll('[data-testid="station-row"]')
    .map((r) => [r.attributes('data-identity'), r.attributes('data-status')]);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StationsPage', () => {
  it('lists stations with identity and status hooks, each row linking to its station', async () => {
    const { wrapper, list } = await mountPage();
    expect(list).toHaveBeenCalledWith({ limit: 200, offset: 0 });
    expect(rows(wrapper)).toEqual([
      ['TLN-001', 'available'],
      ['TLN-002', 'charging'],
      ['TRT-001', 'faulted'],
    ]);
    expect(wrapper.get('[data-testid="station-row"]').attributes('href')).toBe('/stations/a');
    expect(wrapper.get('[data-testid="stations-total"]').text()).toBe('Found: 3');
  });

  it('debounces the search box and sends only the last query', async () => {
    vi.useFakeTimers();
    const { wrapper, list } = await mountPage();
    const input = wrapper.get('[data-testid="station-search"]');
    await input.setValue('T');
    await input.setValue('TL');
    await input.setValue('tln-00');
    expect(list).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();
    expect(list).toHaveBeenCalledTimes(2);
    expect(list).toHaveBeenLastCalledWith({ q: 'tln-00', limit: 200, offset: 0 });
    expect(rows(wrapper).map(([identity]) => identity)).toEqual(['TLN-001', 'TLN-002']);
  });

  it('filters by city, site and status on the server, and says when nothing matches', async () => {
    const { wrapper, list } = await mountPage();
    await wrapper.get('[data-testid="filter-city"]').setValue('city-2');
    await flushPromises();
    expect(list).toHaveBeenLastCalledWith({ cityId: 'city-2', limit: 200, offset: 0 });
    expect(rows(wrapper).map(([identity]) => identity)).toEqual(['TLN-002', 'TRT-001']);
    expect(wrapper.findAll('[data-testid="filter-site"] option').map((o) => o.text())).toEqual([
      'All sites',
      'Mall',
    ]);

    await wrapper.get('[data-testid="filter-status"]').setValue('faulted');
    await flushPromises();
    expect(list).toHaveBeenLastCalledWith({ status: 'faulted', cityId: 'city-2', limit: 200, offset: 0 });
    expect(rows(wrapper)).toEqual([['TRT-001', 'faulted']]);

    await wrapper.get('[data-testid="filter-site"]').setValue('site-2');
    await wrapper.get('[data-testid="filter-status"]').setValue('available');
    await flushPromises();
    expect(rows(wrapper)).toEqual([]);
    expect(wrapper.get('[data-testid="stations-empty"]').text()).toBe('No stations match your search.');
  });

  it('filters by online state and connector type on the server; Clear resets every filter', async () => {
    const { wrapper, list } = await mountPage();
    await wrapper.get('[data-testid="filter-online"]').setValue('offline');
    await flushPromises();
    expect(list).toHaveBeenLastCalledWith({ online: false, limit: 200, offset: 0 });
    await wrapper.get('[data-testid="filter-connector-type"]').setValue('CCS2');
    await flushPromises();
    expect(list).toHaveBeenLastCalledWith({ online: false, connectorType: 'CCS2', limit: 200, offset: 0 });
    expect(wrapper.findAll('[data-testid="filter-connector-type"] option').map((o) => o.text())).toContain(
      'CHAdeMO',
    );

    await wrapper.get('[data-testid="filter-clear"]').trigger('click');
    await flushPromises();
    expect(list).toHaveBeenLastCalledWith({ limit: 200, offset: 0 });
    expect(wrapper.find('[data-testid="filter-clear"]').exists()).toBe(false);
  });

  it('shows live status changes from the stations store in the rows', async () => {
    const { wrapper } = await mountPage();
    useStationsStore().applyStationUpdates([station({ id: 'b', identity: 'TLN-002', status: 'faulted' })]);
    await flushPromises();
    expect(rows(wrapper)[1]).toEqual(['TLN-002', 'faulted']);
    useStationsStore().applyStationUpdates([station({ id: 'b', identity: 'TLN-002', online: false })]);
    await flushPromises();
    expect(rows(wrapper)[1]).toEqual(['TLN-002', 'offline']);
  });

  it('renders only a window of rows for thousands of stations', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => station({ id: `s${i}`, identity: `CP-${i}` }));
    const { wrapper } = await mountPage(many);
    expect(wrapper.get('[data-testid="stations-total"]').text()).toBe('Found: 5,000');
    const rendered = wrapper.findAll('[data-testid="station-row"]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
  });

  it('fetches the next page when the user scrolls near the end of what is loaded', async () => {
    const many = Array.from({ length: 450 }, (_, i) => station({ id: `s${i}`, identity: `CP-${i}` }));
    const { wrapper, list } = await mountPage(many);
    expect(list).toHaveBeenCalledTimes(1);

    const viewport = wrapper.get('[data-testid="station-list"]');
    viewport.element.scrollTop = 170 * 56;
    await viewport.trigger('scroll');
    await flushPromises();

    expect(list).toHaveBeenLastCalledWith({ limit: 200, offset: 200 });
    expect(
      wrapper.findAll('[data-testid="station-row"]').map((r) => r.attributes('data-identity')),
    ).toContain('CP-180');
  });
});
