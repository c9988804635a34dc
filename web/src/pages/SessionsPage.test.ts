import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Page, SessionItem } from '../api/types';
import { billingCloud, sessionItem } from '../components/billing/billing-fixtures';
import { can } from '../domain/permissions';
import SessionsPage from './SessionsPage.vue';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');

describe('SessionsPage', () => {
  it('lists sessions with status badges, the live one marked, cost in the currency, and filters', async () => {
    const live = sessionItem({
      id: '00000000-0000-4000-8000-000000000002',
      status: 'active',
      endedAt: null,
      cost: null,
      startedAt: new Date(NOW - 45 * 60_000).toISOString(),
    });
    const c = billingCloud(({ url }): Page<SessionItem> => {
      const items = url.searchParams.get('status') === 'disputed' ? [] : [live, sessionItem()];
      return { items, total: items.length, limit: 50, offset: 0 };
    });
    const wrapper = mount(SessionsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="session-row"]');
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['active', 'completed']);
    expect(rows[0]!.classes()).toContain('session-table__live');
    expect(rows[0]!.text()).toContain('Charging');
    expect(rows[0]!.text()).toContain('45 min');
    expect(rows[1]!.text()).toContain('Иван Петров');
    expect(rows[1]!.text()).toContain('11.000');
    expect(rows[1]!.get('[data-testid="session-cost"]').text()).toBe('€9.91');
    expect(rows[1]!.get('[data-testid="session-link"]').attributes('href')).toBe(
      `/sessions/${sessionItem().id}`,
    );
    expect(c.calls[0]!.url.search).toBe('?limit=50&offset=0&sort=-startedAt');

    await wrapper.get('[data-testid="sessions-status"]').setValue('disputed');
    await wrapper.get('[data-testid="sessions-search"]').setValue('CP-1');
    await wrapper.get('[data-testid="sessions-sort"]').setValue('-cost');
    await wrapper.get('[data-testid="sessions-filters"]').trigger('submit');
    await flushPromises();
    expect(Object.fromEntries(c.calls.at(-1)!.url.searchParams)).toEqual({
      limit: '50',
      offset: '0',
      sort: '-cost',
      q: 'CP-1',
      status: 'disputed',
    });
    expect(wrapper.find('[data-testid="sessions-empty"]').exists()).toBe(true);
  });

  it('is open to every role; disputes only for admins and operators', () => {
    for (const role of ['admin', 'operator', 'technician', 'analyst', 'viewer'] as const)
      expect(can(role, 'sessions.view')).toBe(true);
    expect(
      ['admin', 'operator', 'technician', 'analyst', 'viewer'].filter((r) =>
        can(r as never, 'sessions.dispute'),
      ),
    ).toEqual(['admin', 'operator']);
  });
});
