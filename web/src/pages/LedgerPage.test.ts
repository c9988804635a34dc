import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BalancePage, ImportReport, LedgerEntry, LedgerPage as Page, Role } from '../api/types';
import { createFeatureApi, featureApiKey } from '../components/alerts/feature-api';
import { useAuthStore } from '../stores/auth';
import { clientOver, fakeApi, harness } from '../testing/fixtures';
import LedgerPage from './LedgerPage.vue';

const entry = (i: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `e-${i}`,
  orderNumber: `VM-0000000${i}`,
  kind: 'session_charge',
  amount: '12.3400',
  currency: 'EUR',
  occurredAt: '2026-12-02T10:00:00.000Z',
  recordedAt: '2026-12-02T10:00:01.000Z',
  sessionId: 's-1',
  stationId: 'st-1',
  stationName: 'Зарядка 1',
  siteId: 'site-1',
  siteName: 'Harbour',
  idToken: 'CARD-1',
  holderId: 'h-1',
  holderName: 'Анна Петрова',
  groupId: null,
  groupName: null,
  groupKind: null,
  company: '北京公司',
  refundOf: null,
  reason: null,
  actorEmail: null,
  externalRef: null,
  ...extra,
});

const page: Page = {
  items: [
    entry(1),
    entry(2, {
      kind: 'refund',
      amount: '-2.0000',
      refundOf: 'VM-00000001',
      reason: 'slow',
      actorEmail: 'ops@acme.test',
    }),
  ],
  total: 2,
  limit: 50,
  offset: 0,
  from: '2026-12-01T00:00:00.000Z',
  to: '2027-01-01T00:00:00.000Z',
  sums: [{ currency: 'EUR', amount: '10.3400' }],
};
const balances: BalancePage = {
  by: 'holder',
  items: [
    {
      key: 'h-1',
      label: 'Анна Петрова',
      currency: 'EUR',
      charged: '12.3400',
      refunded: '2.0000',
      adjusted: '0.0000',
      balance: '10.3400',
      entries: 2,
    },
  ],
  total: 1,
  limit: 50,
  offset: 0,
};
const dryRun: ImportReport = {
  dryRun: true,
  rows: 3,
  accepted: [{ line: 2, externalRef: 'EXT-1', orderNumber: null, amount: '5.0000', currency: 'EUR' }],
  rejected: [
    {
      line: 3,
      externalRef: 'EXT-2',
      code: 'invalid_value',
      field: 'amount',
      message: 'a non-negative decimal',
    },
    {
      line: 4,
      externalRef: 'EXT-3',
      code: 'already_imported',
      field: 'external_ref',
      message: 'in the ledger',
    },
  ],
};

interface Call {
  method: string;
  url: URL;
  body: unknown;
}

/** The page's real feature client over a fetch that answers like the cloud and records the calls. */
function cloud(role: Role, answer: (c: Call) => Response | undefined = () => undefined) {
  const calls: Call[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    const call = {
      method: init.method ?? 'GET',
      url: new URL(url, 'http://x'),
      body: init.body ? (JSON.parse(init.body as string) as unknown) : undefined,
    };
    calls.push(call);
    const custom = answer(call);
    if (custom) return Promise.resolve(custom);
    if (call.url.pathname === '/api/ledger/balances') return Promise.resolve(Response.json(balances));
    if (call.url.pathname === '/api/ledger/import') {
      const dry = (call.body as { dryRun: boolean }).dryRun;
      return Promise.resolve(
        Response.json(
          dry
            ? dryRun
            : {
                ...dryRun,
                dryRun: false,
                accepted: [{ ...dryRun.accepted[0]!, orderNumber: 'VM-00000009' }],
              },
        ),
      );
    }
    return Promise.resolve(Response.json(page));
  });
  const core = fakeApi({ me: () => Promise.resolve({ user: user(role), csrfToken: 'csrf-1' }) });
  const h = harness(core);
  useAuthStore().user = user(role);
  const global = {
    ...h.global,
    provide: { ...h.global.provide, [featureApiKey]: createFeatureApi({ api: clientOver(fetch) }) },
  };
  return { global, calls };
}
const user = (role: Role) => ({
  id: 'u',
  email: 'u@test',
  name: 'U',
  role,
  tenantId: 't',
  tenantName: 'Acme',
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('LedgerPage', () => {
  it('lists the current month by default with holder names, sums and a CSV export of the same filters', async () => {
    const c = cloud('analyst');
    const wrapper = mount(LedgerPage, { global: c.global });
    await flushPromises();
    // No period chosen: the server's default (the current month) applies and is shown.
    expect(c.calls[0]!.url.searchParams.get('from')).toBeNull();
    const rows = wrapper.findAll('[data-testid="ledger-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('Анна Петрова');
    expect(rows[0]!.text()).toContain('北京公司');
    expect(rows[1]!.text()).toContain('Refund');
    expect(rows[1]!.text()).toContain('refund of VM-00000001');
    expect(wrapper.get('[data-testid="ledger-sum"]').text()).toContain('10.3400 EUR');
    expect(wrapper.get('[data-testid="ledger-period"]').text()).toMatch(/Period: .+ – .+/);
    // An analyst reads: no adjustment, refund or import buttons.
    expect(wrapper.find('[data-testid="ledger-adjust"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="ledger-refund"]').exists()).toBe(false);

    await wrapper.get('[data-testid="ledger-kind"]').setValue('refund');
    await wrapper.get('[data-testid="ledger-token"]').setValue('CARD-1');
    await wrapper.get('[data-testid="ledger-filters"]').trigger('submit');
    await flushPromises();
    const last = c.calls.at(-1)!.url;
    expect(last.searchParams.get('kind')).toBe('refund');
    expect(last.searchParams.get('idToken')).toBe('CARD-1');
    const csv = new URL(wrapper.get('[data-testid="ledger-csv"]').attributes('href')!, 'http://x');
    expect(csv.pathname).toBe('/api/ledger.csv');
    expect(csv.searchParams.get('kind')).toBe('refund');
  });

  it('shows balances per holder', async () => {
    const c = cloud('analyst');
    const wrapper = mount(LedgerPage, { global: c.global });
    await flushPromises();
    await wrapper.get('[data-testid="ledger-tab-balances"]').trigger('click');
    await wrapper.get('[data-testid="balance-by"]').setValue('holder');
    await flushPromises();
    expect(c.calls.at(-1)!.url.searchParams.get('by')).toBe('holder');
    const row = wrapper.get('[data-testid="balance-row"]');
    expect(row.text()).toContain('Анна Петрова');
    expect(row.get('[data-testid="balance-value"]').text()).toBe('10.3400 EUR');
  });

  it('refunds a charge with a reason and shows the field error when the cloud refuses more than is left', async () => {
    let refused = false;
    const c = cloud('operator', (call) => {
      if (call.url.pathname !== '/api/ledger/refunds') return undefined;
      if (!refused) {
        refused = true;
        return Response.json(
          {
            type: 'urn:voltmesh:problem:ledger.refund_exceeds_charge',
            title: 'Refund exceeds what is left of the charge',
            status: 409,
            code: 'ledger.refund_exceeds_charge',
            detail: 'at most 12.3400 EUR of this charge can still be refunded',
            errors: [{ path: 'amount', message: 'at most 12.3400 EUR of this charge can still be refunded' }],
          },
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        );
      }
      return Response.json(entry(3, { kind: 'refund', amount: '-5.0000', orderNumber: 'VM-00000003' }), {
        status: 201,
      });
    });
    const wrapper = mount(LedgerPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="ledger-refund"]').trigger('click');
    await wrapper.get('[data-testid="refund-amount"]').setValue('99');
    await wrapper.get('[data-testid="refund-reason"]').setValue('charger stopped early');
    await wrapper.get('[data-testid="refund-dialog"] form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-field="amount"]').text()).toContain('at most 12.3400 EUR');
    await wrapper.get('[data-testid="refund-amount"]').setValue('5');
    await wrapper.get('[data-testid="refund-dialog"] form').trigger('submit');
    await flushPromises();
    const refunds = c.calls.filter((x) => x.url.pathname === '/api/ledger/refunds');
    expect(refunds.map((r) => r.body)).toEqual([
      { orderNumber: 'VM-00000001', amount: '99', reason: 'charger stopped early' },
      { orderNumber: 'VM-00000001', amount: '5', reason: 'charger stopped early' },
    ]);
    expect(wrapper.find('[data-testid="refund-dialog"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="ledger-notice"]').text()).toContain('VM-00000003');
  });

  it('records an adjustment with its reason', async () => {
    const c = cloud('admin', (call) =>
      call.url.pathname === '/api/ledger/adjustments'
        ? Response.json(entry(4, { kind: 'adjustment', orderNumber: 'VM-00000004' }), { status: 201 })
        : undefined,
    );
    const wrapper = mount(LedgerPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="ledger-adjust"]').trigger('click');
    await wrapper.get('[data-testid="adjustment-amount"]').setValue('-5,50');
    await wrapper.get('[data-testid="adjustment-token"]').setValue('CARD-1');
    await wrapper.get('[data-testid="adjustment-reason"]').setValue('goodwill credit');
    await wrapper.get('[data-testid="adjustment-dialog"] form').trigger('submit');
    await flushPromises();
    const body = c.calls.find((x) => x.url.pathname === '/api/ledger/adjustments')!.body;
    expect(body).toEqual({
      amount: '-5.50',
      currency: 'EUR',
      reason: 'goodwill credit',
      idToken: 'CARD-1',
      sessionId: null,
    });
  });

  it('imports a CSV after a dry-run preview that lists the rejected rows with their reasons', async () => {
    const c = cloud('operator');
    const wrapper = mount(LedgerPage, { global: c.global, attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="ledger-import-open"]').trigger('click');
    const input = wrapper.get('[data-testid="ledger-import-file"]');
    const file = new File(
      ['external_ref,occurred_at,amount,currency\nEXT-1,2026-12-01T10:00:00Z,5,EUR\n'],
      'orders.csv',
      {
        type: 'text/csv',
      },
    );
    Object.defineProperty(input.element, 'files', { value: [file] });
    await input.trigger('change');
    await flushPromises();
    const imports = () => c.calls.filter((x) => x.url.pathname === '/api/ledger/import');
    expect(imports().map((x) => (x.body as { dryRun: boolean }).dryRun)).toEqual([true]);
    expect(wrapper.get('[data-testid="ledger-import-summary"]').text()).toBe(
      'Check of 3 rows: 1 can be imported, 2 rejected.',
    );
    const rejected = wrapper.findAll('[data-testid="ledger-import-rejected-row"]');
    expect(rejected.map((r) => r.attributes('data-code'))).toEqual(['invalid_value', 'already_imported']);
    expect(rejected[1]!.text()).toContain('Already in the ledger');
    await wrapper.get('[data-testid="ledger-import-confirm"]').trigger('click');
    await flushPromises();
    expect(imports().map((x) => (x.body as { dryRun: boolean }).dryRun)).toEqual([true, false]);
    expect(wrapper.get('[data-testid="ledger-import-summary"]').text()).toBe(
      'Imported 1 of 3 rows; 2 rejected.',
    );
  });
});
