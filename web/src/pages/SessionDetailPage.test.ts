import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { SessionCostLive, SessionDetail } from '../api/types';
import { billingCloud, sessionDetail } from '../components/billing/billing-fixtures';
import { sessionSocketKey } from '../components/billing/useSessionLive';
import { fakeSocket } from '../testing/fake-socket';
import SessionDetailPage from './SessionDetailPage.vue';

vi.mock('vue-echarts', async () => ({
  default: (await import('../components/charts/chart-test-doubles')).VChartStub,
}));

const NOW = Date.parse('2026-12-02T16:00:00.000Z');

async function mountAt(
  detail: SessionDetail,
  options: { role?: 'admin' | 'viewer'; print?: () => void } = {},
) {
  const c = billingCloud(
    ({ method, url, body }) => {
      if (method === 'POST' && url.pathname.endsWith('/dispute'))
        return sessionDetail({
          status: 'disputed',
          dispute: {
            at: '2026-12-03T10:00:00.000Z',
            reason: (body as { reason: string }).reason,
            by: 'u@test',
            previousStatus: 'completed',
          },
        });
      return detail;
    },
    { role: options.role ?? 'admin' },
  );
  const socket = fakeSocket();
  await c.h.router.push(`/sessions/${detail.id}`);
  const wrapper = mount(SessionDetailPage, {
    props: { now: () => NOW, print: options.print ?? (() => undefined) },
    global: {
      ...c.global,
      provide: { ...c.global.provide, [sessionSocketKey]: () => socket.socket as never },
    },
  });
  await flushPromises();
  return { wrapper, c, socket };
}

describe('SessionDetailPage', () => {
  it('shows the final report: kWh, charging and idle time, the cost breakdown, CSV and Print', async () => {
    const print = vi.fn();
    const { wrapper, socket } = await mountAt(sessionDetail(), { print });
    expect(wrapper.get('[data-testid="report-energy"]').text()).toBe('11.000 kWh');
    expect(wrapper.get('[data-testid="report-charging"]').text()).toBe('1 h 00 min');
    expect(wrapper.get('[data-testid="report-idle"]').text()).toBe('20 min');
    expect(wrapper.get('[data-testid="session-holder"]').text()).toContain('Иван Петров');
    const lines = wrapper.findAll('[data-testid="breakdown-line"]');
    expect(lines.map((l) => l.attributes('data-component'))).toEqual([
      'energy',
      'charging_time',
      'energy',
      'charging_time',
      'idle_time',
      'session_fee',
    ]);
    expect(lines[2]!.text()).toContain('Peak');
    expect(lines[2]!.text()).toContain('5.500 kWh');
    // Unit prices keep at least the currency's cents; the fee has no period.
    expect(lines[0]!.text()).toContain('€0.30');
    expect(lines[2]!.text()).toContain('€2.475');
    expect(lines[5]!.findAll('td').map((td) => td.text())).toEqual(['Session fee', '', '', '€1.00', '€1.00']);
    expect(wrapper.get('[data-testid="breakdown-net"]').text()).toBe('€8.33');
    expect(wrapper.get('[data-testid="breakdown-tax"]').text()).toBe('€1.58');
    expect(wrapper.get('[data-testid="breakdown-total"]').text()).toBe('€9.91');
    expect(wrapper.get('[data-testid="session-csv"]').attributes('href')).toBe(
      `/api/sessions/${sessionDetail().id}/report.csv`,
    );
    expect(wrapper.get('[data-testid="session-chart"]').attributes('data-points')).toBe('4');
    await wrapper.get('[data-testid="session-print"]').trigger('click');
    expect(print).toHaveBeenCalledOnce();
    // An ended session needs no live connection.
    expect(socket.connect).not.toHaveBeenCalled();
  });

  it('updates energy, power, voltage, current and the running cost live while charging', async () => {
    const active = sessionDetail({
      status: 'active',
      endedAt: null,
      cost: null,
      breakdown: null,
      running: {
        at: '2026-12-02T15:45:00.000Z',
        energyWh: 2750,
        chargingSeconds: 900,
        idleSeconds: 0,
        powerW: 7400,
        voltageV: 229,
        currentA: 32.2,
        cost: { net: '2.00', tax: '0.38', total: '2.38', currency: 'EUR' },
        breakdown: null,
      },
      timeline: [
        { at: '2026-12-02T15:30:00.000Z', energyWh: 0 },
        { at: '2026-12-02T15:45:00.000Z', energyWh: 2750 },
      ],
    });
    const { wrapper, socket } = await mountAt(active);
    expect(wrapper.get('[data-testid="live-cost"]').text()).toBe('€2.38');
    expect(wrapper.get('[data-testid="live-duration"]').text()).toBe('30 min');
    // The latest readings before the first push come with the session.
    expect(wrapper.get('[data-testid="live-power"]').text()).toBe('7.4 kW');
    expect(wrapper.get('[data-testid="live-voltage"]').text()).toBe('229 V');
    expect(wrapper.get('[data-testid="live-current"]').text()).toBe('32.2 A');
    socket.receive('connect');
    expect(socket.sent()).toContainEqual(['session:subscribe', active.id]);
    const push: SessionCostLive = {
      sessionId: active.id,
      status: 'active',
      at: '2026-12-02T16:00:00.000Z',
      energyWh: 5500,
      powerW: 11_000,
      voltageV: 230,
      currentA: 15.9,
      chargingSeconds: 1800,
      idleSeconds: 0,
      cost: { net: '3.25', tax: '0.62', total: '3.87', currency: 'EUR' },
    };
    socket.receive('session:cost', push);
    await flushPromises();
    expect(wrapper.get('[data-testid="live-energy"]').text()).toBe('5.500 kWh');
    expect(wrapper.get('[data-testid="live-power"]').text()).toBe('11.0 kW');
    expect(wrapper.get('[data-testid="live-voltage"]').text()).toBe('230 V');
    expect(wrapper.get('[data-testid="live-current"]').text()).toBe('15.9 A');
    expect(wrapper.get('[data-testid="live-cost"]').text()).toBe('€3.87');
    expect(wrapper.get('[data-testid="session-chart"]').attributes('data-points')).toBe('3');
    wrapper.unmount();
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it('lets an admin dispute an ended session with a reason; a viewer has no button', async () => {
    const { wrapper, c } = await mountAt(sessionDetail());
    await wrapper.get('[data-testid="session-dispute"]').trigger('click');
    await wrapper.get('[data-testid="dispute-reason"]').setValue('Счёт завышен');
    await wrapper.get('[data-testid="dispute-form"]').trigger('submit');
    await flushPromises();
    expect(c.calls.at(-1)).toMatchObject({ method: 'POST', body: { reason: 'Счёт завышен' } });
    expect(wrapper.get('[data-testid="session-detail-status"]').text()).toBe('Disputed');
    expect(wrapper.get('[data-testid="session-dispute-note"]').text()).toContain('Счёт завышен');

    const viewer = await mountAt(sessionDetail(), { role: 'viewer' });
    expect(viewer.wrapper.find('[data-testid="session-dispute"]').exists()).toBe(false);
  });
});
