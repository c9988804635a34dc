import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem } from '../../api/types';
import { fakeSocket } from '../../testing/fake-socket';
import { TOAST_MS } from '../../stores/alerts';
import AlertsBell from './AlertsBell.vue';
import { testCloud } from './test-cloud';
import { alertSocketKey, type AlertSocket } from './useAlertsLive';

const item = (id: string, extra: Partial<InboxItem> = {}): InboxItem => ({
  id,
  incidentId: `i-${id}`,
  reason: 'opened',
  severity: 'critical',
  subject: `CP-${id} offline at Harbour`,
  body: 'Offline since 10:00. Open: http://x/stations/st-1',
  link: 'http://x/stations/st-1',
  createdAt: '2026-12-04T10:10:00.000Z',
  readAt: null,
  ...extra,
});

function setup() {
  const socket = fakeSocket();
  let unread = 2;
  const c = testCloud(({ method, url, body }) => {
    if (method === 'GET' && url.pathname === '/api/notifications/inbox')
      return {
        items: [item('1'), item('2'), item('3', { readAt: '2026-12-04T09:00:00.000Z' })],
        total: 3,
        unread,
        limit: 20,
        offset: 0,
      };
    if (method === 'POST' && url.pathname === '/api/notifications/inbox/read') {
      unread = 'all' in (body as object) ? 0 : unread - 1;
      return { marked: 1, unread };
    }
    return undefined;
  });
  const global = {
    ...c.global,
    provide: { ...c.global.provide, [alertSocketKey]: () => socket.socket as unknown as AlertSocket },
  };
  return { c, socket, global };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AlertsBell', () => {
  it('shows the unread count, lists the inbox and marks one or all read', async () => {
    const { c, socket, global } = setup();
    const wrapper = mount(AlertsBell, { global, attachTo: document.body });
    await flushPromises();
    expect(socket.connect).toHaveBeenCalled();
    expect(wrapper.get('[data-testid="alerts-bell-count"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="alerts-bell"]').attributes('aria-label')).toBe(
      'Notifications, 2 unread',
    );

    await wrapper.get('[data-testid="alerts-bell"]').trigger('click');
    const items = wrapper.findAll('[data-testid="inbox-item"]');
    expect(items.map((i) => i.attributes('data-read'))).toEqual(['false', 'false', 'true']);
    expect(items[0]!.text()).toContain('CP-1 offline at Harbour');
    expect(items[0]!.get('a').attributes('href')).toBe('/incidents?incident=i-1');

    await items[0]!.get('[data-testid="inbox-mark-read"]').trigger('click');
    await flushPromises();
    expect(c.to('POST', '/api/notifications/inbox/read')[0]).toMatchObject({
      body: { ids: ['1'] },
      csrf: 'csrf-1',
    });
    expect(wrapper.get('[data-testid="alerts-bell-count"]').text()).toBe('1');
    await wrapper.get('[data-testid="inbox-mark-all"]').trigger('click');
    await flushPromises();
    expect(c.to('POST', '/api/notifications/inbox/read')[1]!.body).toEqual({ all: true });
    expect(wrapper.find('[data-testid="alerts-bell-count"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="inbox-item"]').map((i) => i.attributes('data-read'))).toEqual([
      'true',
      'true',
      'true',
    ]);
    wrapper.unmount();
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it('counts a notification that arrives live and shows it as a toast until closed or timed out', async () => {
    const { socket, global } = setup();
    const wrapper = mount(AlertsBell, { global, attachTo: document.body });
    await flushPromises();
    vi.useFakeTimers();
    socket.receive('notification:new', item('9', { severity: 'warning', subject: 'CP-9 faulted' }));
    socket.receive('notification:new', item('9', { severity: 'warning', subject: 'CP-9 faulted' }));
    await flushPromises();
    expect(wrapper.get('[data-testid="alerts-bell-count"]').text()).toBe('3');
    const toasts = wrapper.findAll('[data-testid="alert-toast"]');
    expect(toasts).toHaveLength(1);
    expect(toasts[0]!.attributes('data-severity')).toBe('warning');
    expect(toasts[0]!.text()).toContain('CP-9 faulted');

    socket.receive('notification:new', item('10'));
    await flushPromises();
    await wrapper.findAll('[data-testid="alert-toast-close"]')[0]!.trigger('click');
    expect(wrapper.findAll('[data-testid="alert-toast"]').map((t) => t.text())).toEqual([
      expect.stringContaining('CP-10 offline'),
    ]);
    vi.advanceTimersByTime(TOAST_MS);
    await flushPromises();
    expect(wrapper.find('[data-testid="alert-toast"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
