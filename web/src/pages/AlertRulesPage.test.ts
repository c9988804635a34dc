import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../api/types';
import { problem, testCloud } from '../components/alerts/test-cloud';
import { can } from '../domain/permissions';
import AlertRulesPage from './AlertRulesPage.vue';

const rule = (id: string, extra: Partial<AlertRule> = {}): AlertRule => ({
  id,
  name: 'Station offline',
  kind: 'station_offline',
  severity: 'critical',
  enabled: true,
  scope: { cityIds: [], siteIds: [], stationIds: [] },
  params: { durationMinutes: 10 },
  cooldownMinutes: 15,
  channels: ['sms', 'email', 'in_app'],
  recipients: { siteOnCall: true, groupIds: [], userIds: [] },
  notifyOnRecovery: true,
  escalation: { afterMinutes: 30, groupId: null },
  isDefault: true,
  openIncidents: 2,
  lastEvaluatedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...extra,
});

function cloud(role: 'admin' | 'technician' = 'admin') {
  return testCloud(
    ({ method, url, body }) => {
      if (method === 'GET' && url.pathname === '/api/alerts/rules')
        return { items: [rule('r-1')], total: 1, limit: 500, offset: 0 };
      if (method === 'GET' && url.pathname === '/api/oncall-groups')
        return {
          items: [
            {
              id: 'g-1',
              name: 'Harbour crew',
              description: '',
              siteId: 'site-1',
              siteName: 'Harbour',
              cityId: null,
              cityName: null,
              members: [],
              createdAt: '',
              updatedAt: '',
            },
          ],
          total: 1,
          limit: 500,
          offset: 0,
        };
      if (method === 'GET' && url.pathname === '/api/alerts/recipients')
        return {
          items: [
            {
              userId: 'u-2',
              name: 'Olga',
              email: 'olga@acme.test',
              phone: null,
              role: 'technician',
              channels: ['sms'],
              quietHours: null,
              groups: [],
            },
          ],
          total: 1,
          limit: 500,
          offset: 0,
        };
      if (method === 'PATCH' && url.pathname === '/api/alerts/rules/r-1')
        return rule('r-1', body as Partial<AlertRule>);
      if (method === 'POST' && url.pathname === '/api/alerts/rules') {
        const b = body as AlertRule;
        if (b.params['threshold'] === 1)
          return new Response(
            JSON.stringify({
              type: 'x',
              title: 'Invalid request',
              status: 400,
              code: 'request.invalid',
              errors: [{ path: 'params.threshold', message: 'Too small: expected number to be >=2' }],
            }),
            { status: 400, headers: { 'content-type': 'application/problem+json' } },
          );
        return rule('r-2', { ...b, isDefault: false, openIncidents: 0 });
      }
      if (method === 'DELETE') return new Response(null, { status: 204 });
      return problem(404, 'route.not_found');
    },
    { role },
  );
}

describe('AlertRulesPage', () => {
  it('lists rules with their thresholds and saves a changed threshold', async () => {
    const c = cloud();
    const wrapper = mount(AlertRulesPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    const row = wrapper.get('[data-testid="rule-row"]');
    expect(row.attributes('data-kind')).toBe('station_offline');
    expect(row.get('[data-testid="rule-thresholds"]').text()).toBe('For at least (minutes): 10');
    expect(row.text()).toContain('SMS, E-mail, In-app');
    expect(row.get('[data-testid="rule-open-incidents"]').text()).toBe('2 open');

    await row.get('[data-testid="rule-edit"]').trigger('click');
    const dialog = wrapper.get('[data-testid="rule-dialog"]');
    expect((dialog.get('[data-testid="rule-kind"]').element as HTMLSelectElement).disabled).toBe(true);
    expect((dialog.get('[data-testid="rule-param-durationMinutes"]').element as HTMLInputElement).value).toBe(
      '10',
    );
    await dialog.get('[data-testid="rule-param-durationMinutes"]').setValue('25');
    await dialog.get('[data-testid="rule-channel-sms"]').setValue(false);
    await dialog.get('[data-testid="rule-group-g-1"]').setValue(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    const patch = c.to('PATCH', '/api/alerts/rules/r-1')[0]!;
    expect(patch.csrf).toBe('csrf-1');
    expect(patch.body).toMatchObject({
      params: { durationMinutes: 25 },
      channels: ['email', 'in_app'],
      recipients: { siteOnCall: true, groupIds: ['g-1'], userIds: [] },
      escalation: { afterMinutes: 30, groupId: null },
      notifyOnRecovery: true,
    });
    expect(patch.body).not.toHaveProperty('kind');
    expect(wrapper.find('[data-testid="rule-dialog"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="rule-thresholds"]').text()).toBe('For at least (minutes): 25');
    wrapper.unmount();
  });

  it('creates a rule with the thresholds its condition needs and shows the server’s field errors', async () => {
    const c = cloud();
    const wrapper = mount(AlertRulesPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="rule-add"]').trigger('click');
    const dialog = wrapper.get('[data-testid="rule-dialog"]');
    await dialog.get('[data-testid="rule-name"]').setValue('Repeated faults');
    await dialog.get('[data-testid="rule-kind"]').setValue('fault_burst');
    expect(dialog.find('[data-testid="rule-param-durationMinutes"]').exists()).toBe(false);
    expect((dialog.get('[data-testid="rule-param-threshold"]').element as HTMLInputElement).value).toBe('3');
    await dialog.get('[data-testid="rule-param-threshold"]').setValue('1');
    await dialog.get('[data-testid="rule-escalate-after"]').setValue('20');
    await dialog.get('[data-testid="rule-escalate-group"]').setValue('g-1');
    await dialog.get('[data-testid="rule-site-site-1"]').setValue(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="rule-dialog"] [data-testid="form-error"]').text()).toContain(
      'params.threshold',
    );

    await dialog.get('[data-testid="rule-param-threshold"]').setValue('4');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(c.to('POST', '/api/alerts/rules').at(-1)!.body).toMatchObject({
      name: 'Repeated faults',
      kind: 'fault_burst',
      params: { threshold: 4, windowMinutes: 60 },
      scope: { siteIds: ['site-1'], cityIds: [] },
      escalation: { afterMinutes: 20, groupId: 'g-1' },
    });
    expect(wrapper.findAll('[data-testid="rule-row"]').map((r) => r.attributes('data-kind'))).toEqual([
      'station_offline',
      'fault_burst',
    ]);

    await wrapper.findAll('[data-testid="rule-delete"]')[1]!.trigger('click');
    await wrapper.get('[data-testid="rule-delete-dialog"] form').trigger('submit');
    await flushPromises();
    expect(c.to('DELETE', '/api/alerts/rules/r-2')).toHaveLength(1);
    expect(wrapper.findAll('[data-testid="rule-row"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it('lets technicians read the rules without changing them', async () => {
    const c = cloud('technician');
    const wrapper = mount(AlertRulesPage, { global: c.global });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="rule-row"]')).toHaveLength(1);
    expect(wrapper.find('[data-testid="rule-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="rule-edit"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="rules-read-only"]').exists()).toBe(true);
    expect(can('technician', 'alerts.rules')).toBe(true);
    expect(can('analyst', 'alerts.rules')).toBe(false);
    expect(can('operator', 'alerts.manage')).toBe(true);
  });
});
