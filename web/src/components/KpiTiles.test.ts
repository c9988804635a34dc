import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { harness, kpis } from '../testing/fixtures';
import ActivityFeed from './ActivityFeed.vue';
import KpiTiles from './KpiTiles.vue';

describe('KpiTiles', () => {
  it('shows counts, power in kW and energy in kWh, with raw values for tests', () => {
    const h = harness();
    const wrapper = mount(KpiTiles, {
      props: {
        kpis: kpis({
          stationsOnline: 1200,
          activeSessions: 37,
          powerNowW: 512_345,
          energyTodayWh: 8_123_456,
        }),
      },
      global: h.global,
    });
    expect(wrapper.get('[data-testid="kpi-stationsOnline"]').text()).toContain('1,200');
    expect(wrapper.get('[data-testid="kpi-powerNow"]').text()).toContain('512.3 kW');
    expect(wrapper.get('[data-testid="kpi-powerNow"]').attributes('data-value')).toBe('512345');
    expect(wrapper.get('[data-testid="kpi-energyToday"]').text()).toContain('8,123.5 kWh');
  });

  it('shows a loading placeholder before the first snapshot, and follows the locale', async () => {
    const h = harness();
    const wrapper = mount(KpiTiles, { props: { kpis: null }, global: h.global });
    expect(wrapper.get('[data-testid="kpi-activeSessions"]').attributes('data-value')).toBe('');
    expect(wrapper.get('.kpis').attributes('aria-busy')).toBe('true');

    h.i18n.global.locale.value = 'ru';
    await wrapper.setProps({ kpis: kpis({ powerNowW: 7400 }) });
    expect(wrapper.get('[data-testid="kpi-powerNow"] .kpi__value').text()).toBe('7,4 кВт');
  });
});

describe('ActivityFeed', () => {
  it('links each event to its station and says when there is nothing yet', async () => {
    const h = harness();
    const wrapper = mount(ActivityFeed, { props: { items: [] }, global: h.global });
    expect(wrapper.find('[data-testid="activity-empty"]').exists()).toBe(true);
    await wrapper.setProps({
      items: [
        {
          seq: 1,
          at: '2026-01-01T10:00:00.000Z',
          stationId: 'st-7',
          identity: 'CP-7',
          siteName: 'Harbour',
          kind: 'status',
          text: 'Connector 1 Faulted',
        },
      ],
    });
    const item = wrapper.get('[data-testid="activity-item"]');
    expect(item.text()).toContain('Connector 1 Faulted');
    expect(item.get('a').attributes('href')).toBe('/stations/st-7');
  });
});
