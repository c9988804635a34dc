import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import type { ApiToken, ApiTokenInput, Role, SystemSettings } from '../api/types';
import { useAuthStore } from '../stores/auth';
import { fakeApi, harness } from '../testing/fixtures';
import SettingsPage from './SettingsPage.vue';

const SETTINGS: SystemSettings = {
  defaultLanguage: 'en',
  currency: 'EUR',
  phonePrefixes: ['+49'],
  passwordPolicy: { minLength: 10, minEntropyBits: 50 },
  loginPolicy: { minEmailLength: 3, maxEmailLength: 254 },
};

const apiToken = (overrides: Partial<ApiToken> = {}): ApiToken => ({
  id: 'k1',
  name: 'billing export',
  prefix: 'vmt_AbCdEfGh',
  userId: 'u',
  userEmail: 'u@test',
  grantId: 'g',
  role: 'analyst',
  siteId: null,
  siteName: null,
  cityId: null,
  cityName: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  ...overrides,
});

function mountAs(role: Role, methods: Partial<ApiClient> = {}) {
  const h = harness(
    fakeApi({
      systemSettings: () => Promise.resolve(SETTINGS),
      listApiTokens: () => Promise.resolve({ items: [] }),
      ...methods,
    }),
  );
  useAuthStore().user = { id: 'u', email: 'u@test', name: 'U', role, tenantId: 't', tenantName: 'Acme' };
  return mount(SettingsPage, { global: h.global, attachTo: document.body });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('SettingsPage', () => {
  it('lets an admin change language, currency, prefixes and the password policy', async () => {
    const sent: SystemSettings[] = [];
    const wrapper = mountAs('admin', {
      updateSystemSettings: (body) => {
        sent.push(body);
        return Promise.resolve(body);
      },
    });
    await flushPromises();
    expect((wrapper.get('[data-testid="settings-currency"]').element as HTMLInputElement).value).toBe('EUR');
    await wrapper.get('[data-testid="settings-language"]').setValue('ru');
    await wrapper.get('[data-testid="settings-currency"]').setValue('RUB');
    await wrapper.get('[data-testid="settings-phone-prefixes"]').setValue('+7, +49');
    await wrapper.get('[data-testid="settings-min-length"]').setValue('14');
    await wrapper.get('.settings').trigger('submit');
    await flushPromises();
    expect(sent[0]).toEqual({
      defaultLanguage: 'ru',
      currency: 'RUB',
      phonePrefixes: ['+7', '+49'],
      passwordPolicy: { minLength: 14, minEntropyBits: 50 },
      loginPolicy: { minEmailLength: 3, maxEmailLength: 254 },
    });
    expect(wrapper.find('[data-testid="settings-saved"]').exists()).toBe(true);
  });

  it('is read-only for other roles, who still manage their own API tokens', async () => {
    const created: ApiTokenInput[] = [];
    const revoked: string[] = [];
    let tokens: ApiToken[] = [];
    const wrapper = mountAs('analyst', {
      listApiTokens: () => Promise.resolve({ items: tokens }),
      createApiToken: (body) => {
        created.push(body);
        tokens = [apiToken({ name: body.name })];
        return Promise.resolve({ ...tokens[0]!, token: 'vmt_secret-shown-once' });
      },
      revokeApiToken: (id) => {
        revoked.push(id);
        tokens = [];
        return Promise.resolve();
      },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="settings-readonly"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="settings-save"]').exists()).toBe(false);
    expect(wrapper.get('fieldset').attributes()).toHaveProperty('disabled');
    expect(wrapper.find('[data-testid="api-tokens-empty"]').exists()).toBe(true);

    await wrapper.get('[data-testid="api-token-name"]').setValue('billing export');
    await wrapper.get('[data-testid="api-tokens-section"] form').trigger('submit');
    await flushPromises();
    expect(created).toEqual([{ name: 'billing export', expiresAt: null }]);
    expect(wrapper.get('[data-testid="secret-value"]').text()).toBe('vmt_secret-shown-once');
    await wrapper.get('[data-testid="secret-close"]').trigger('click');
    expect(wrapper.text()).not.toContain('vmt_secret-shown-once');
    const row = wrapper.get('[data-testid="api-token-row"]');
    expect(row.text()).toContain('vmt_AbCdEfGh…');
    expect(row.text()).toContain('Analyst · Whole tenant');

    await wrapper.get('[data-testid="api-token-revoke"]').trigger('click');
    await wrapper.get('[data-testid="api-token-revoke-dialog"] form').trigger('submit');
    await flushPromises();
    expect(revoked).toEqual(['k1']);
    expect(wrapper.find('[data-testid="api-token-row"]').exists()).toBe(false);
  });
});
