import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Page, Tariff, TariffInput } from '../api/types';
import { billingCloud, tariff } from '../components/billing/billing-fixtures';
import { can } from '../domain/permissions';
import TariffsPage from './TariffsPage.vue';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');

function cloudWith(tariffs: Tariff[], role: 'admin' | 'analyst' = 'admin') {
  return billingCloud(
    ({ method, url, body }) => {
      if (url.pathname === '/api/tariffs' && method === 'GET')
        return { items: tariffs, total: tariffs.length, limit: 500, offset: 0 } satisfies Page<Tariff>;
      if (url.pathname === '/api/tariffs' && method === 'POST') {
        const input = body as TariffInput;
        return tariff({ id: 'tar-2', name: input.name, assignments: [], current: null, versions: [] });
      }
      if (url.pathname === '/api/tariff-assignments') return null;
      return undefined;
    },
    {
      role,
      core: {
        listSites: () => Promise.resolve({ items: [{ id: 'site-1', name: 'Depot' } as never] }),
        listStations: () => Promise.resolve({ items: [], total: 0, limit: 500, offset: 0 }),
        listTokenGroups: () => Promise.resolve({ items: [], total: 0, limit: 500, offset: 0 }),
        listTokens: () => Promise.resolve({ items: [], total: 0, limit: 500, offset: 0 }),
      },
    },
  );
}

describe('TariffsPage', () => {
  it('shows the version in force with its week grid, versions and where the tariff applies', async () => {
    const c = cloudWith([tariff()]);
    const wrapper = mount(TariffsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    const card = wrapper.get('[data-testid="tariff-card"]');
    expect(card.text()).toContain('Депо');
    expect(card.get('[data-testid="tariff-prices"]').text()).toContain('€0.30');
    const cells = card.get('[data-testid="tariff-grid"]').findAll('.week__cell');
    expect(cells).toHaveLength(24 * 7);
    // Monday 18:00 is the peak, Monday 08:00 and Saturday 18:00 the base rates.
    expect(cells[18]!.attributes('data-period')).toBe('0');
    expect(cells[8]!.attributes('data-period')).toBe('-1');
    expect(cells[5 * 24 + 18]!.attributes('data-period')).toBe('-1');
    expect(card.get('[data-testid="tariff-version-row"]').attributes('data-state')).toBe('current');
    expect(card.get('[data-testid="tariff-assignment"]').text()).toContain('Depot');
  });

  it('creates a tariff with a time-of-day period and assigns it to a site', async () => {
    const c = cloudWith([]);
    const wrapper = mount(TariffsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    await wrapper.get('[data-testid="tariff-new"]').trigger('click');
    await wrapper.get('[data-testid="tariff-name"]').setValue('Night & day');
    await wrapper.get('[data-testid="tariff-currency"]').setValue('eur');
    await wrapper.get('[data-testid="tariff-time-zone"]').setValue('Europe/Berlin');
    await wrapper.get('[data-testid="tariff-energyPerKwh"]').setValue('0.40');
    await wrapper.get('[data-testid="tariff-taxRatePercent"]').setValue('19');
    await wrapper.get('[data-testid="tariff-add-period"]').trigger('click');
    await wrapper.get('[data-testid="period-name"]').setValue('Night');
    await wrapper.get('[data-testid="period-start"]').setValue('22:00');
    await wrapper.get('[data-testid="period-end"]').setValue('00:00');
    await wrapper.get('[data-testid="period-energy"]').setValue('0.20');
    await wrapper.get('[data-testid="tariff-editor"]').trigger('submit');
    await flushPromises();
    const created = c.calls.find((call) => call.method === 'POST')!;
    expect(Object.keys(created.body as object).sort()).toEqual(['description', 'name', 'spec', 'validFrom']);
    expect(created.body).toMatchObject({
      name: 'Night & day',
      spec: {
        currency: 'EUR',
        energyPerKwh: '0.40',
        taxRatePercent: '19',
        periods: [
          { name: 'Night', days: [1, 2, 3, 4, 5], startMinute: 1320, endMinute: 1440, energyPerKwh: '0.20' },
        ],
      },
    });
    expect(wrapper.find('[data-testid="tariff-editor"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="tariff-card"]').attributes('data-name')).toBe('Night & day');

    await wrapper.get('[data-testid="assign-target"]').setValue('site-1');
    await wrapper.get('[data-testid="tariff-assign-form"]').trigger('submit');
    await flushPromises();
    expect(c.calls.find((call) => call.method === 'PUT')!.body).toEqual({
      targetType: 'site',
      targetId: 'site-1',
      tariffId: 'tar-2',
    });
  });

  it('shows the API field errors under the fields', async () => {
    const c = billingCloud(({ method }) =>
      method === 'GET'
        ? { items: [], total: 0, limit: 500, offset: 0 }
        : Response.json(
            {
              type: 'x',
              title: 'Invalid request',
              status: 400,
              code: 'request.invalid',
              detail: 'the request does not match the schema',
              errors: [{ path: 'spec.minimum', message: 'at most 2 fraction digits in EUR' }],
            },
            { status: 400 },
          ),
    );
    const wrapper = mount(TariffsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    await wrapper.get('[data-testid="tariff-new"]').trigger('click');
    await wrapper.get('[data-testid="tariff-name"]').setValue('X');
    await wrapper.get('[data-testid="tariff-minimum"]').setValue('2.001');
    await wrapper.get('[data-testid="tariff-editor"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="tariff-minimum-error"]').text()).toBe(
      'at most 2 fraction digits in EUR',
    );
  });

  it('is read by analysts without editing; technicians and viewers do not see it', async () => {
    const c = cloudWith([tariff()], 'analyst');
    const wrapper = mount(TariffsPage, { props: { now: () => NOW }, global: c.global });
    await flushPromises();
    expect(wrapper.find('[data-testid="tariff-card"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="tariff-new"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="tariff-assign-form"]').exists()).toBe(false);
    expect(can('technician', 'tariffs.view')).toBe(false);
    expect(can('viewer', 'tariffs.view')).toBe(false);
  });
});
