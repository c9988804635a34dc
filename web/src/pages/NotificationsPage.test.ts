import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../api/types';
import { testCloud } from '../components/alerts/test-cloud';
import { can } from '../domain/permissions';
import NotificationsPage from './NotificationsPage.vue';

const note = (id: string, extra: Partial<AlertNotification> = {}): AlertNotification => ({
  id,
  incidentId: 'i-1',
  reason: 'opened',
  channel: 'sms',
  status: 'delivered',
  severity: 'critical',
  recipient: { userId: 'u-2', name: 'Olga', webhookId: null, address: '+4915112345678' },
  subject: 'CP-1 offline at Harbour',
  body: 'CP-1 offline since 10:00',
  attempts: 1,
  nextAttemptAt: null,
  providerId: 'SM123',
  lastError: null,
  createdAt: '2026-12-04T10:10:00.000Z',
  sentAt: '2026-12-04T10:10:01.000Z',
  deliveredAt: '2026-12-04T10:10:03.000Z',
  readAt: null,
  ...extra,
});

describe('NotificationsPage', () => {
  it('lists deliveries with channel, recipient, status, attempts and error, and filters them', async () => {
    const c = testCloud(({ url }) =>
      url.pathname === '/api/notifications'
        ? {
            items: [
              note('n-1'),
              note('n-2', {
                channel: 'email',
                status: 'failed',
                attempts: 5,
                lastError: '550 mailbox unavailable',
                recipient: { userId: 'u-2', name: 'Olga', webhookId: null, address: 'olga@acme.test' },
              }),
            ],
            total: 2,
            limit: 50,
            offset: 0,
          }
        : undefined,
    );
    const wrapper = mount(NotificationsPage, { global: c.global });
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="notification-row"]');
    expect(rows.map((r) => `${r.attributes('data-channel')}:${r.attributes('data-status')}`)).toEqual([
      'sms:delivered',
      'email:failed',
    ]);
    expect(rows[0]!.text()).toContain('+4915112345678');
    expect(rows[0]!.get('[data-testid="notification-subject"]').text()).toBe('CP-1 offline at Harbour');
    expect(rows[1]!.get('[data-testid="notification-attempts"]').text()).toBe('5');
    expect(rows[1]!.text()).toContain('550 mailbox unavailable');
    expect(rows[1]!.get('[data-testid="notification-status"]').text()).toBe('Failed');

    await wrapper.get('[data-testid="notification-channel-filter"]').setValue('email');
    await wrapper.get('[data-testid="notification-status-filter"]').setValue('failed');
    await flushPromises();
    expect(Object.fromEntries(c.to('GET', '/api/notifications').at(-1)!.url.searchParams)).toEqual({
      channel: 'email',
      status: 'failed',
      limit: '50',
      offset: '0',
    });
    expect(can('technician', 'notifications.view')).toBe(true);
    expect(can('viewer', 'notifications.view')).toBe(false);
  });
});
