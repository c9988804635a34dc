import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { CityDetail, Role, SiteDetail } from '../api/types';
import { fakeApi, harness } from '../testing/fixtures';
import { useAuthStore } from '../stores/auth';
import SitesPage from './SitesPage.vue';

const city: CityDetail = {
  id: 'c1',
  name: 'Hamburg',
  countryCode: 'DE',
  lat: 53.5,
  lon: 10,
  siteCount: 1,
  stationCount: 3,
};
const site = (overrides: Partial<SiteDetail> = {}): SiteDetail => ({
  id: 's1',
  code: 'harbour',
  name: 'Harbour',
  cityId: 'c1',
  cityName: 'Hamburg',
  address: null,
  lat: null,
  lon: null,
  gridCapacityKw: 250,
  policy: {
    unknownStations: 'reject',
    unknownTokenWhileOffline: 'reject',
    heartbeatIntervalS: 300,
    bootRetryIntervalS: 60,
  },
  stationCount: 3,
  onlineCount: 2,
  natsUser: 'edge-harbour',
  credentialsAt: null,
  ...overrides,
});

function mountAs(role: Role, methods: Partial<ApiClient> = {}) {
  const h = harness(
    fakeApi({
      listCityDetails: () => Promise.resolve({ items: [city] }),
      listSiteDetails: () =>
        Promise.resolve({ items: [site(), site({ id: 's2', code: 'lone', name: 'Lone', cityId: null })] }),
      ...methods,
    }),
  );
  useAuthStore().user = { id: 'u', email: 'u@test', name: 'U', role, tenantId: 't', tenantName: 'Acme' };
  return mount(SitesPage, { global: h.global, attachTo: document.body });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('SitesPage', () => {
  it('shows operator → city → site with station and online counts', async () => {
    const wrapper = mountAs('viewer');
    await flushPromises();
    expect(wrapper.get('[data-testid="tenant-node"]').text()).toContain('Acme');
    const cities = wrapper.findAll('[data-testid="city-node"]');
    expect(cities.map((c) => c.attributes('data-name'))).toEqual(['Hamburg', '']);
    const harbour = cities[0]!.get('[data-testid="site-node"]');
    expect(harbour.attributes()).toMatchObject({
      'data-code': 'harbour',
      'data-station-count': '3',
      'data-online-count': '2',
    });
    expect(harbour.text()).toContain('Stations: 3, online: 2');
    expect(cities[1]!.text()).toContain('Sites without a city');
    // A viewer manages nothing.
    expect(wrapper.find('[data-testid="site-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="site-add-station"]').exists()).toBe(false);
  });

  it('creates a site and shows its edge credentials once', async () => {
    const bodies: unknown[] = [];
    const wrapper = mountAs('admin', {
      createSite: (body) => {
        bodies.push(body);
        return Promise.resolve({
          site: site({ id: 's3', code: 'new-site', name: 'New' }),
          credentials: { natsUser: 'edge-new-site', natsPassword: 'pw-shown-once' },
        });
      },
    });
    await flushPromises();
    await wrapper.get('[data-testid="site-add"]').trigger('click');
    await wrapper.get('[data-testid="site-code"]').setValue('new-site');
    await wrapper.get('[data-testid="site-name"]').setValue('New');
    await wrapper.get('[data-testid="site-city"]').setValue('c1');
    await wrapper.get('[data-testid="site-capacity"]').setValue('150');
    await wrapper.get('[data-testid="site-dialog"] form').trigger('submit');
    await flushPromises();
    expect(bodies[0]).toMatchObject({ code: 'new-site', name: 'New', cityId: 'c1', gridCapacityKw: 150 });
    const secret = wrapper.get('[data-testid="secret-dialog"]');
    expect(secret.get('[data-name="natsPassword"][data-testid="secret-value"]').text()).toBe('pw-shown-once');
    expect(secret.get('[data-testid="secret-warning"]').text()).toContain('shown only once');
    await wrapper.get('[data-testid="secret-close"]').trigger('click');
    expect(wrapper.find('[data-testid="secret-dialog"]').exists()).toBe(false);
    expect(wrapper.html()).not.toContain('pw-shown-once');
  });

  it('shows the field the server rejected', async () => {
    const wrapper = mountAs('admin', {
      createCity: () =>
        Promise.reject(
          new ApiError({
            code: 'request.invalid',
            status: 400,
            message: 'bad',
            problem: {
              type: 'x',
              title: 'Invalid request',
              status: 400,
              code: 'request.invalid',
              detail: 'the request does not match the schema',
              errors: [{ path: 'countryCode', message: 'must be an ISO 3166-1 alpha-2 code like "DE"' }],
            },
          }),
        ),
    });
    await flushPromises();
    await wrapper.get('[data-testid="city-add"]').trigger('click');
    await wrapper.get('[data-testid="city-name"]').setValue('X');
    await wrapper.get('[data-testid="city-country"]').setValue('Germany');
    await wrapper.get('[data-testid="city-dialog"] form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="field-error"]').attributes('data-field')).toBe('countryCode');
    expect(wrapper.find('[data-testid="city-dialog"]').exists()).toBe(true);
  });

  it('registers a station with a CCS2 connector and shows its password once', async () => {
    const bodies: unknown[] = [];
    const wrapper = mountAs('operator', {
      createStation: (body) => {
        bodies.push(body);
        return Promise.resolve({
          station: {
            id: 'st9',
            siteId: 's1',
            siteCode: 'harbour',
            identity: 'HB-9',
            name: 'HB 9',
            vendor: null,
            model: null,
            serialNumber: null,
            firmwareVersion: null,
            lat: null,
            lon: null,
            unplaced: true,
            approved: true,
            enabled: true,
            registrationStatus: null,
            securityProfile: 1,
            hasPassword: true,
            passwordSetAt: null,
            connectors: [{ evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 }],
          },
          password: 'station-pw-123',
        });
      },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="site-add"]').exists()).toBe(false);
    await wrapper.get('[data-testid="site-add-station"]').trigger('click');
    await wrapper.get('[data-testid="station-form-identity"]').setValue('HB-9');
    await wrapper.get('[data-testid="station-form-name"]').setValue('HB 9');
    await wrapper.get('[data-testid="connector-add"]').trigger('click');
    await wrapper.get('[data-testid="connector-type"]').setValue('CCS2');
    await wrapper.get('[data-testid="connector-power"]').setValue('150');
    await wrapper.get('[data-testid="station-form"] form').trigger('submit');
    await flushPromises();
    expect(bodies[0]).toMatchObject({
      siteId: 's1',
      identity: 'HB-9',
      securityProfile: 1,
      connectors: [{ evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 }],
    });
    expect(wrapper.get('[data-testid="secret-value"]').text()).toBe('station-pw-123');
  });

  it('shows the nats-server authorization block to an admin', async () => {
    const wrapper = mountAs('admin', {
      natsAuthorization: () =>
        Promise.resolve({
          config: 'authorization {\n  users = [\n    { user: "edge-harbour" }\n  ]\n}\n',
          sites: 1,
          sitesWithoutCredentials: ['lone'],
        }),
    });
    await flushPromises();
    await wrapper.get('[data-testid="sites-nats-config"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="nats-config"]').text()).toContain('user: "edge-harbour"');
    expect(wrapper.get('[data-testid="nats-config-missing"]').text()).toContain('lone');
  });
});
