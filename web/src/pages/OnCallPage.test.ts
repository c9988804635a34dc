import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { OncallGroup, Recipient } from '../api/types';
import { problem, testCloud } from '../components/alerts/test-cloud';
import OnCallPage from './OnCallPage.vue';

const olga: Recipient = {
  userId: 'u-2',
  name: 'Olga',
  email: 'olga@acme.test',
  phone: '+4915112345678',
  role: 'technician',
  channels: ['sms', 'in_app'],
  quietHours: null,
  groups: [{ id: 'g-1', name: 'Harbour crew', level: 1 }],
};
const ivan: Recipient = {
  ...olga,
  userId: 'u-3',
  name: 'Ivan',
  email: 'ivan@acme.test',
  phone: null,
  groups: [],
};
const crew: OncallGroup = {
  id: 'g-1',
  name: 'Harbour crew',
  description: 'Night and day',
  siteId: 'site-1',
  siteName: 'Harbour',
  cityId: null,
  cityName: null,
  members: [{ userId: 'u-2', name: 'Olga', email: 'olga@acme.test', phone: null, level: 1, position: 0 }],
  createdAt: '',
  updatedAt: '',
};

function cloud(role: 'operator' | 'technician' = 'operator') {
  return testCloud(
    ({ method, url, body }) => {
      if (method === 'GET' && url.pathname === '/api/oncall-groups')
        return { items: [crew], total: 1, limit: 500, offset: 0 };
      if (method === 'GET' && url.pathname === '/api/alerts/recipients')
        return { items: [olga, ivan], total: 2, limit: 500, offset: 0 };
      if (method === 'POST' && url.pathname === '/api/oncall-groups') {
        const b = body as {
          name: string;
          cityId: string | null;
          members: { userId: string; level: number }[];
        };
        return {
          ...crew,
          id: 'g-2',
          name: b.name,
          siteId: null,
          siteName: null,
          cityId: b.cityId,
          cityName: 'Tallinn',
          members: b.members.map((m, i) => ({
            ...m,
            name: m.userId === 'u-3' ? 'Ivan' : 'Olga',
            email: '',
            phone: null,
            position: i,
          })),
        };
      }
      if (method === 'PUT' && url.pathname === '/api/alerts/recipients/u-3') {
        const b = body as Recipient;
        if (b.phone === '12345') return problem(400, 'request.invalid', 'phone must be E.164');
        return { ...ivan, ...b };
      }
      return undefined;
    },
    { role },
  );
}

describe('OnCallPage', () => {
  it('shows groups by site with members per level and each person’s contact preferences', async () => {
    const c = cloud();
    const wrapper = mount(OnCallPage, { global: c.global });
    await flushPromises();
    const card = wrapper.get('[data-testid="group-card"]');
    expect(card.get('[data-testid="group-scope"]').text()).toBe('Harbour');
    expect(card.get('[data-testid="group-level"]').text()).toBe('Level 1 Olga');
    const rows = wrapper.findAll('[data-testid="person-row"]');
    expect(rows[0]!.get('[data-testid="person-phone"]').text()).toBe('+4915112345678');
    expect(rows[0]!.get('[data-testid="person-channels"]').text()).toBe('SMS, In-app');
    expect(rows[0]!.text()).toContain('Harbour crew (1)');
    expect(rows[1]!.get('[data-testid="person-quiet"]').text()).toBe('None');
  });

  it('creates a city group with members on two levels', async () => {
    const c = cloud();
    const wrapper = mount(OnCallPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="group-add"]').trigger('click');
    const dialog = wrapper.get('[data-testid="group-dialog"]');
    await dialog.get('[data-testid="group-name"]').setValue('Tallinn escalation');
    await dialog.get('[data-testid="group-scope-select"]').setValue('city:city-1');
    for (const user of ['u-2', 'u-3']) {
      await dialog.get('[data-testid="group-member-add-select"]').setValue(user);
      await dialog.get('[data-testid="group-member-add"]').trigger('click');
    }
    await dialog.findAll('[data-testid="group-member-level"]')[1]!.setValue('2');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(c.to('POST', '/api/oncall-groups')[0]!.body).toEqual({
      name: 'Tallinn escalation',
      description: '',
      siteId: null,
      cityId: 'city-1',
      members: [
        { userId: 'u-2', level: 1 },
        { userId: 'u-3', level: 2 },
      ],
    });
    const added = wrapper.findAll('[data-testid="group-card"]')[1]!;
    expect(added.findAll('[data-testid="group-level"]').map((l) => l.text())).toEqual([
      'Level 1 Olga',
      'Level 2 Ivan',
    ]);
    wrapper.unmount();
  });

  it('edits a person’s phone, channels and quiet hours, showing the server’s refusal', async () => {
    const c = cloud();
    const wrapper = mount(OnCallPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.findAll('[data-testid="person-edit"]')[1]!.trigger('click');
    const dialog = wrapper.get('[data-testid="person-dialog"]');
    await dialog.get('[data-testid="person-phone-input"]').setValue('12345');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="person-dialog"] [data-testid="form-error"]').text()).toContain('E.164');

    await dialog.get('[data-testid="person-phone-input"]').setValue('+37255512345');
    await dialog.get('[data-testid="person-channel-sms"]').setValue(false);
    await dialog.get('[data-testid="person-channel-email"]').setValue(true);
    await dialog.get('[data-testid="person-quiet-on"]').setValue(true);
    await dialog.get('[data-testid="person-quiet-tz"]').setValue('Europe/Tallinn');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(c.to('PUT', '/api/alerts/recipients/u-3').at(-1)!.body).toEqual({
      phone: '+37255512345',
      channels: ['email', 'in_app'],
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Tallinn' },
    });
    const row = wrapper.findAll('[data-testid="person-row"]')[1]!;
    expect(row.get('[data-testid="person-quiet"]').text()).toBe('22:00–07:00 (Europe/Tallinn)');
    wrapper.unmount();
  });

  it('lets technicians read without changing', async () => {
    const c = cloud('technician');
    const wrapper = mount(OnCallPage, { global: c.global });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="group-card"]')).toHaveLength(1);
    expect(wrapper.find('[data-testid="group-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="person-edit"]').exists()).toBe(false);
  });
});
