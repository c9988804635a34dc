import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import type { StationDetail } from '../api/types';
import { useStationsStore } from '../stores/stations';
import { fakeApi, harness, station } from '../testing/fixtures';
import StationDetailPage from './StationDetailPage.vue';

const detail: StationDetail = {
  ...station({ id: 'a', identity: 'TLN-001', name: 'Harbour 1', status: 'charging' }),
  siteCode: 'HRB',
  recentEvents: [{ at: '2026-01-01T09:00:00.000Z', type: 'boot', summary: 'BootNotification accepted' }],
};

async function mountDetail(getStation: (id: string) => Promise<StationDetail>) {
  const h = harness(fakeApi({ getStation }));
  await h.router.push('/stations/a');
  const wrapper = mount(StationDetailPage, { global: h.global });
  await flushPromises();
  return wrapper;
}

describe('StationDetailPage', () => {
  it('shows the station with its status, connectors and recent events', async () => {
    const wrapper = await mountDetail(() => Promise.resolve(detail));
    expect(wrapper.get('[data-testid="station-name"]').text()).toBe('Harbour 1');
    expect(wrapper.get('[data-testid="station-status"]').attributes('data-status')).toBe('charging');
    expect(wrapper.get('[data-testid="station-status"]').text()).toBe('Charging');
    expect(wrapper.findAll('[data-testid="connector-status"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="station-events"]').text()).toContain('BootNotification accepted');
    expect(wrapper.text()).toContain('HRB');
  });

  it('follows live updates for the station', async () => {
    const wrapper = await mountDetail(() => Promise.resolve(detail));
    useStationsStore().applyStationUpdates([
      station({
        id: 'a',
        identity: 'TLN-001',
        name: 'Harbour 1',
        status: 'faulted',
        connectors: [
          {
            evseId: 1,
            connectorId: 1,
            status: 'faulted',
            rawStatus: 'Faulted',
            errorCode: 'GroundFailure',
            statusAt: null,
          },
        ],
      }),
    ]);
    await flushPromises();
    expect(wrapper.get('[data-testid="station-status"]').attributes('data-status')).toBe('faulted');
    expect(wrapper.get('[data-testid="connector-status"]').attributes('data-status')).toBe('faulted');
    expect(wrapper.text()).toContain('Error: GroundFailure');
    useStationsStore().applyStationUpdates([station({ id: 'a', online: false })]);
    await flushPromises();
    expect(wrapper.get('[data-testid="station-status"]').attributes('data-status')).toBe('offline');
  });

  it('says so when the station does not exist', async () => {
    const wrapper = await mountDetail(() =>
      Promise.reject(new ApiError({ code: 'station.not_found', status: 404, message: 'nope' })),
    );
    expect(wrapper.get('[data-testid="station-not-found"]').text()).toContain('does not exist');
  });
});
