/** Test fixtures and a harness that gives stores and components a fake API client. */
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp, type Plugin } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { createApiClient, type ApiClient, type FetchPort } from '../api/client';
import { apiClientKey } from '../api/inject';
import type { Kpis, StationSummary } from '../api/types';
import { createAppI18n } from '../i18n';

export function station(overrides: Partial<StationSummary> = {}): StationSummary {
  const id = overrides.id ?? 'st-1';
  return {
    id,
    identity: `CP-${id}`,
    name: `Station ${id}`,
    siteId: 'site-1',
    siteName: 'Harbour',
    cityId: 'city-1',
    cityName: 'Tallinn',
    lat: 59.437,
    lon: 24.7536,
    online: true,
    status: 'available',
    lastSeenAt: '2026-01-01T10:00:00.000Z',
    ocppVersion: 'ocpp1.6',
    vendor: 'Acme',
    model: 'AC22',
    connectors: [
      {
        evseId: 1,
        connectorId: 1,
        status: 'available',
        rawStatus: 'Available',
        errorCode: null,
        statusAt: null,
      },
    ],
    ...overrides,
  };
}

export function kpis(overrides: Partial<Kpis> = {}): Kpis {
  return {
    stationsOnline: 1,
    stationsOffline: 0,
    stationsCharging: 0,
    stationsFaulted: 0,
    activeSessions: 0,
    powerNowW: 0,
    energyTodayWh: 0,
    ...overrides,
  };
}

/** A fake client: every method rejects unless the test supplies it. */
/** The real API client over a test `fetch`, as after sign-in (CSRF token `csrf`). */
export function clientOver(fetch: FetchPort, csrf = 'csrf-1'): ApiClient {
  const client = createApiClient({ fetch });
  client.setCsrfToken(csrf);
  return client;
}

export function fakeApi(methods: Partial<ApiClient> = {}): ApiClient {
  const missing = (name: string) => () => Promise.reject(new Error(`fakeApi.${name} not stubbed`));
  return {
    setCsrfToken: () => undefined,
    send: missing('send'),
    login: missing('login'),
    me: missing('me'),
    logout: missing('logout'),
    listStations: missing('listStations'),
    getStation: missing('getStation'),
    listSites: missing('listSites'),
    listCities: missing('listCities'),
    liveSnapshot: missing('liveSnapshot'),
    powerHistory: missing('powerHistory'),
    stationMeter: missing('stationMeter'),
    stationTimeline: missing('stationTimeline'),
    stationSessions: missing('stationSessions'),
    sendCommand: missing('sendCommand'),
    listCommands: missing('listCommands'),
    activeTransactions: missing('activeTransactions'),
    listAudit: missing('listAudit'),
    publicSettings: missing('publicSettings'),
    uiSettings: missing('uiSettings'),
    // Sites, stations and tokens management
    listSiteDetails: missing('listSiteDetails'),
    listCityDetails: missing('listCityDetails'),
    createCity: missing('createCity'),
    updateCity: missing('updateCity'),
    deleteCity: missing('deleteCity'),
    createSite: missing('createSite'),
    updateSite: missing('updateSite'),
    deleteSite: missing('deleteSite'),
    natsAuthorization: missing('natsAuthorization'),
    rotateSiteCredentials: missing('rotateSiteCredentials'),
    stationSettings: missing('stationSettings'),
    createStation: missing('createStation'),
    updateStation: missing('updateStation'),
    replaceConnectors: missing('replaceConnectors'),
    rotateStationPassword: missing('rotateStationPassword'),
    listTokens: missing('listTokens'),
    createToken: missing('createToken'),
    updateToken: missing('updateToken'),
    deleteToken: missing('deleteToken'),
    listTokenHolders: missing('listTokenHolders'),
    createTokenHolder: missing('createTokenHolder'),
    updateTokenHolder: missing('updateTokenHolder'),
    deleteTokenHolder: missing('deleteTokenHolder'),
    listTokenGroups: missing('listTokenGroups'),
    createTokenGroup: missing('createTokenGroup'),
    updateTokenGroup: missing('updateTokenGroup'),
    deleteTokenGroup: missing('deleteTokenGroup'),
    // Accounts
    listUsers: missing('listUsers'),
    createUser: missing('createUser'),
    updateUser: missing('updateUser'),
    resetUserPassword: missing('resetUserPassword'),
    addGrant: missing('addGrant'),
    removeGrant: missing('removeGrant'),
    changePassword: missing('changePassword'),
    listApiTokens: missing('listApiTokens'),
    createApiToken: missing('createApiToken'),
    revokeApiToken: missing('revokeApiToken'),
    systemSettings: missing('systemSettings'),
    updateSystemSettings: missing('updateSystemSettings'),
    ...methods,
  };
}

export interface Harness {
  pinia: Pinia;
  i18n: ReturnType<typeof createAppI18n>;
  router: Router;
  /** For @vue/test-utils `mount(..., { global })`. */
  global: { plugins: Plugin[]; provide: Record<symbol, unknown> };
}

/** Pinia bound to an app that provides the fake client, so `useApi()` inside stores resolves. */
export function harness(api: ApiClient = fakeApi()): Harness {
  const app = createApp({});
  app.provide(apiClientKey, api);
  const pinia = createPinia();
  app.use(pinia);
  setActivePinia(pinia);
  const i18n = createAppI18n('en');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'dashboard', component: { template: '<div />' } },
      { path: '/stations', name: 'stations', component: { template: '<div />' } },
      { path: '/stations/:id', name: 'station', component: { template: '<div />' } },
    ],
  });
  return {
    pinia,
    i18n,
    router,
    global: { plugins: [pinia, i18n, router], provide: { [apiClientKey]: api } },
  };
}
