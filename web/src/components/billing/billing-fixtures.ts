/** Test fixtures of the billing pages: sessions, a tariff and a fake cloud behind the feature client. */
import { vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { Role, SessionDetail, SessionItem, Tariff, TariffSpec } from '../../api/types';
import { useAuthStore } from '../../stores/auth';
import { clientOver, fakeApi, harness } from '../../testing/fixtures';
import { createFeatureApi, featureApiKey } from '../alerts/feature-api';

export const SPEC: TariffSpec = {
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  energyPerKwh: '0.30',
  chargingPerMinute: '0.02',
  idlePerMinute: '0.10',
  idleGraceMinutes: 10,
  sessionFee: '1.00',
  minimum: '2.00',
  maximum: '100.00',
  taxRatePercent: '19',
  periods: [
    {
      name: 'Peak',
      days: [1, 2, 3, 4, 5],
      startMinute: 1020,
      endMinute: 1200,
      energyPerKwh: '0.45',
      chargingPerMinute: null,
      idlePerMinute: '0.20',
    },
  ],
};

export const sessionItem = (extra: Partial<SessionItem> = {}): SessionItem => ({
  id: '00000000-0000-4000-8000-000000000001',
  stationId: 'st-1',
  stationIdentity: 'CP-1',
  stationName: 'Зарядка 1',
  siteId: 'site-1',
  siteName: 'Depot',
  evseId: 1,
  connectorId: 1,
  transactionId: 'tx-1',
  idToken: 'TAG1',
  holderId: 'h-1',
  holderName: 'Иван Петров',
  groupName: '企业车队',
  status: 'completed',
  startedAt: '2026-12-02T15:30:00.000Z',
  endedAt: '2026-12-02T16:50:00.000Z',
  stopReason: 'local',
  energyWh: 11_000,
  chargingSeconds: 3600,
  idleSeconds: 1200,
  peakPowerW: 11_000,
  cost: { net: '8.33', tax: '1.58', total: '9.91', currency: 'EUR' },
  ...extra,
});

export const sessionDetail = (extra: Partial<SessionDetail> = {}): SessionDetail => ({
  ...sessionItem(),
  meterStartWh: 120_000,
  meterStopWh: 131_000,
  tariff: {
    id: 'tar-1',
    name: 'Депо',
    versionId: 'v-1',
    validFrom: '2026-12-01T00:00:00.000Z',
    timeZone: 'Europe/Berlin',
  },
  breakdown: {
    lines: [
      { component: 'energy', period: null, quantity: '5.5', unitPrice: '0.3', amount: '1.65' },
      { component: 'charging_time', period: null, quantity: '30', unitPrice: '0.02', amount: '0.6' },
      { component: 'energy', period: 'Peak', quantity: '5.5', unitPrice: '0.45', amount: '2.475' },
      { component: 'charging_time', period: 'Peak', quantity: '30', unitPrice: '0.02', amount: '0.6' },
      { component: 'idle_time', period: 'Peak', quantity: '10', unitPrice: '0.2', amount: '2' },
      { component: 'session_fee', period: null, quantity: '1', unitPrice: '1', amount: '1' },
    ],
    periods: [],
    taxRatePercent: '19',
    billedIdleSeconds: 600,
  },
  running: null,
  timeline: [
    { at: '2026-12-02T15:30:00.000Z', energyWh: 0 },
    { at: '2026-12-02T16:00:00.000Z', energyWh: 5500 },
    { at: '2026-12-02T16:30:00.000Z', energyWh: 11_000 },
    { at: '2026-12-02T16:50:00.000Z', energyWh: 11_000 },
  ],
  reportAt: '2026-12-02T16:50:01.000Z',
  dispute: null,
  forceStop: null,
  ...extra,
});

export const tariff = (extra: Partial<Tariff> = {}): Tariff => {
  const version = {
    id: 'v-1',
    validFrom: '2026-12-01T00:00:00.000Z',
    validTo: null,
    spec: SPEC,
    createdAt: '2026-12-01T00:00:00.000Z',
    sessionCount: 3,
  };
  return {
    id: 'tar-1',
    name: 'Депо',
    description: null,
    current: version,
    versions: [version],
    assignments: [
      {
        targetType: 'site',
        targetId: 'site-1',
        targetName: 'Depot',
        tariffId: 'tar-1',
        tariffName: 'Депо',
        assignedAt: '2026-12-01T00:00:00.000Z',
      },
    ],
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...extra,
  };
};

export interface Call {
  method: string;
  url: URL;
  body: unknown;
}

/** The feature client over a fetch that answers with `answer` and records every call. */
export function billingCloud(
  answer: (call: Call) => unknown,
  options: { role?: Role; core?: Partial<ApiClient> } = {},
) {
  const calls: Call[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    const call = {
      method: init.method ?? 'GET',
      url: new URL(url, 'http://x'),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const body = answer(call);
    return Promise.resolve(
      body === undefined
        ? new Response(null, { status: 204 })
        : body instanceof Response
          ? body
          : Response.json(body),
    );
  });
  const core = fakeApi({
    me: () =>
      Promise.resolve({
        user: {
          id: 'u',
          email: 'u@test',
          name: 'U',
          role: options.role ?? 'admin',
          tenantId: 't',
          tenantName: 'Acme',
        },
        csrfToken: 'csrf',
      }),
    listSites: () => Promise.resolve({ items: [] }),
    listCities: () => Promise.resolve({ items: [] }),
    ...options.core,
  });
  const h = harness(core);
  useAuthStore().user = {
    id: 'u',
    email: 'u@test',
    name: 'U',
    role: options.role ?? 'admin',
    tenantId: 't',
    tenantName: 'Acme',
  };
  for (const [path, name] of [
    ['/sessions', 'sessions'],
    ['/sessions/:id', 'session'],
    ['/tariffs', 'tariffs'],
  ] as const)
    h.router.addRoute({ path, name, component: { template: '<div />' } });
  const global = {
    ...h.global,
    provide: { ...h.global.provide, [featureApiKey]: createFeatureApi({ api: clientOver(fetch, 'csrf') }) },
  };
  return { h, global, calls };
}
