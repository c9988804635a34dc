import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Incident, IncidentDetail } from '../api/types';
import { testCloud } from '../components/alerts/test-cloud';
import { can } from '../domain/permissions';
import { useAlertsStore } from '../stores/alerts';
import IncidentsPage from './IncidentsPage.vue';

const incident = (id: string, extra: Partial<Incident> = {}): Incident => ({
  id,
  ruleId: 'r-1',
  ruleName: 'Station offline 10 min',
  kind: 'station_offline',
  severity: 'critical',
  status: 'open',
  title: `CP-${id} offline at Harbour`,
  target: {
    siteId: 'site-1',
    siteName: 'Harbour',
    cityId: null,
    stationId: `st-${id}`,
    stationIdentity: `CP-${id}`,
    stationName: `Charger ${id}`,
    evseId: null,
    connectorId: null,
  },
  details: {},
  since: '2026-12-04T10:00:00.000Z',
  openedAt: '2026-12-04T10:10:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  autoResolved: false,
  flapCount: 0,
  escalationLevel: 0,
  lastNotifiedAt: null,
  link: `http://x/stations/st-${id}`,
  ...extra,
});

function cloud(role: 'admin' | 'technician' | 'viewer' = 'admin') {
  const list = [incident('1'), incident('2', { status: 'acknowledged', severity: 'warning' })];
  return testCloud(
    ({ method, url, body }) => {
      if (method === 'GET' && url.pathname === '/api/incidents')
        return { items: list, total: list.length, limit: 50, offset: 0 };
      const id = url.pathname.split('/')[3]!;
      if (method === 'POST' && url.pathname.endsWith('/acknowledge'))
        return incident(id, { status: 'acknowledged', acknowledgedBy: { id: 'u-1', name: 'Me' } });
      if (method === 'POST' && url.pathname.endsWith('/resolve'))
        return { ...incident(id, { status: 'resolved' }), comment: (body as { comment: string }).comment };
      if (method === 'GET' && url.pathname.startsWith('/api/incidents/'))
        return {
          ...incident(id),
          events: [
            {
              id: '1',
              at: '2026-12-04T10:10:00.000Z',
              type: 'opened',
              user: null,
              comment: null,
              details: {},
            },
            {
              id: '2',
              at: '2026-12-04T10:12:00.000Z',
              type: 'acknowledged',
              user: { id: 'u-2', name: 'Olga' },
              comment: 'on my way',
              details: {},
            },
          ],
          notifications: [
            {
              id: 'n-1',
              incidentId: id,
              reason: 'opened',
              channel: 'sms',
              status: 'delivered',
              severity: 'critical',
              recipient: { userId: 'u-2', name: 'Olga', webhookId: null, address: '+4915112345678' },
              subject: 's',
              body: 'b',
              attempts: 1,
              nextAttemptAt: null,
              providerId: 'SM1',
              lastError: null,
              createdAt: '2026-12-04T10:10:01.000Z',
              sentAt: null,
              deliveredAt: null,
              readAt: null,
            },
          ],
        } satisfies IncidentDetail;
      return undefined;
    },
    { role },
  );
}

const ids = (w: ReturnType<typeof mount>) =>
  w
    .findAll('[data-testid="incident-row"]')
    .map((r) => `${r.attributes('data-id')}:${r.attributes('data-status')}`);

describe('IncidentsPage', () => {
  it('lists unresolved incidents and follows live updates: new at the top, changed in place, resolved gone', async () => {
    const c = cloud();
    const wrapper = mount(IncidentsPage, { global: c.global });
    await flushPromises();
    expect(c.to('GET', '/api/incidents')[0]!.url.searchParams.get('status')).toBe('unresolved');
    expect(ids(wrapper)).toEqual(['1:open', '2:acknowledged']);
    expect(wrapper.get('[data-testid="incident-row"]').text()).toContain('CP-1 offline at Harbour');
    expect(wrapper.get('[data-testid="incident-row"]').text()).toContain('Critical');

    const alerts = useAlertsStore(c.h.pinia);
    alerts.receiveIncident(incident('3'));
    await flushPromises();
    expect(ids(wrapper)).toEqual(['3:open', '1:open', '2:acknowledged']);
    expect(wrapper.get('[data-testid="incidents-range"]').text()).toBe('1–3 of 3');
    alerts.receiveIncident(incident('1', { status: 'acknowledged' }));
    alerts.receiveIncident(incident('2', { status: 'resolved' }));
    await flushPromises();
    expect(ids(wrapper)).toEqual(['3:open', '1:acknowledged']);

    await wrapper.get('[data-testid="incident-severity-filter"]').setValue('warning');
    await flushPromises();
    expect(c.to('GET', '/api/incidents').at(-1)!.url.searchParams.get('severity')).toBe('warning');
  });

  it('acknowledges with an optional comment and resolves only with one', async () => {
    const c = cloud('technician');
    const wrapper = mount(IncidentsPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="incident-acknowledge"]').trigger('click');
    await wrapper.get('[data-testid="incident-comment"]').setValue('on my way');
    await wrapper.get('[data-testid="incident-action"] form').trigger('submit');
    await flushPromises();
    const ack = c.to('POST', '/api/incidents/1/acknowledge');
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ body: { comment: 'on my way' }, csrf: 'csrf-1' });
    expect(ids(wrapper)).toEqual(['1:acknowledged', '2:acknowledged']);
    expect(wrapper.find('[data-testid="incident-action"]').exists()).toBe(false);

    await wrapper.findAll('[data-testid="incident-resolve"]')[1]!.trigger('click');
    await wrapper.get('[data-testid="incident-action"] form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="incident-action"] [data-testid="form-error"]').text()).toContain(
      'A comment is required',
    );
    expect(c.to('POST', '/api/incidents/2/resolve')).toHaveLength(0);
    await wrapper.get('[data-testid="incident-comment"]').setValue('replaced the RCD');
    await wrapper.get('[data-testid="incident-action"] form').trigger('submit');
    await flushPromises();
    expect(c.to('POST', '/api/incidents/2/resolve')[0]!.body).toEqual({ comment: 'replaced the RCD' });
    expect(ids(wrapper)).toEqual(['1:acknowledged']);
    wrapper.unmount();
  });

  it('opens an incident with its timeline and notifications', async () => {
    const c = cloud();
    await c.h.router.push('/?incident=1');
    const wrapper = mount(IncidentsPage, { global: c.global });
    await flushPromises();
    const detail = wrapper.get('[data-testid="incident-detail"]');
    expect(detail.findAll('[data-testid="incident-event"]').map((e) => e.attributes('data-type'))).toEqual([
      'opened',
      'acknowledged',
    ]);
    expect(detail.text()).toContain('Olga');
    expect(detail.text()).toContain('on my way');
    const sms = detail.get('[data-testid="incident-notification"]');
    expect(sms.attributes('data-status')).toBe('delivered');
    expect(sms.text()).toContain('SMS');
  });

  it('hides acknowledge and resolve from roles that may not respond', async () => {
    const c = cloud('viewer');
    const wrapper = mount(IncidentsPage, { global: c.global });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="incident-row"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="incident-acknowledge"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="incident-resolve"]').exists()).toBe(false);
    expect(can('viewer', 'alerts.view')).toBe(true);
    expect(can('viewer', 'alerts.respond')).toBe(false);
    expect(can('technician', 'alerts.respond')).toBe(true);
  });
});
