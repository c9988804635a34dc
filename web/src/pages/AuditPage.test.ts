import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import type { AuditEntry, AuditQuery } from '../api/types';
import { can } from '../domain/permissions';
import { fakeApi, harness } from '../testing/fixtures';
import AuditPage from './AuditPage.vue';

const entry = (id: number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-11-22T10:00:00.000Z',
  userId: 'u1',
  userEmail: 'admin@acme.test',
  action,
  targetType: 'station',
  targetId: 'st-1',
  details: { command: { type: 'remote_start' }, outcome: 'accepted', stationIdentity: 'CMD-1' },
  ip: '127.0.0.1',
  userAgent: 'test',
  ...extra,
});

describe('AuditPage', () => {
  it('lists entries, filters by action and actor, and pages', async () => {
    const queries: AuditQuery[] = [];
    const h = harness(
      fakeApi({
        listAudit: (q = {}) => {
          queries.push(q);
          const items = Array.from({ length: q.offset ? 1 : 50 }, (_, i) =>
            entry((q.offset ?? 0) + i + 1, 'command.sent'),
          );
          return Promise.resolve({ items, total: 51, limit: 50, offset: q.offset ?? 0 });
        },
      }),
    );
    const wrapper = mount(AuditPage, { global: h.global });
    await flushPromises();
    expect(wrapper.find('[data-testid="audit-page"]').exists()).toBe(true);
    const rows = wrapper.findAll('[data-testid="audit-row"]');
    expect(rows).toHaveLength(50);
    expect(rows[0]!.attributes('data-action')).toBe('command.sent');
    expect(rows[0]!.text()).toContain('Command sent');
    expect(rows[0]!.text()).toContain('admin@acme.test');
    expect(rows[0]!.text()).toContain('remote_start');
    expect(wrapper.get('[data-testid="audit-range"]').text()).toBe('1–50 of 51');

    await wrapper.get('[data-testid="audit-next"]').trigger('click');
    await flushPromises();
    expect(queries.at(-1)).toMatchObject({ offset: 50, limit: 50 });
    expect(wrapper.findAll('[data-testid="audit-row"]')).toHaveLength(1);

    await wrapper.get('[data-testid="audit-action"]').setValue('auth.login_failed');
    await wrapper.get('[data-testid="audit-actor"]').setValue('operator');
    await wrapper.get('[data-testid="audit-filters"]').trigger('submit');
    await flushPromises();
    expect(queries.at(-1)).toEqual({ limit: 50, offset: 0, action: 'auth.login_failed', actor: 'operator' });
  });

  it('shows an error with retry when the log cannot be loaded', async () => {
    const h = harness(
      fakeApi({
        listAudit: () => Promise.reject(new ApiError({ code: 'auth.forbidden', status: 403, message: 'no' })),
      }),
    );
    const wrapper = mount(AuditPage, { global: h.global });
    await flushPromises();
    expect(wrapper.find('[data-testid="load-error"]').exists()).toBe(true);
  });

  it('is for administrators only', () => {
    expect(can('admin', 'audit.view')).toBe(true);
    for (const role of ['operator', 'technician', 'analyst', 'viewer'] as const) {
      expect(can(role, 'audit.view')).toBe(false);
    }
  });
});
