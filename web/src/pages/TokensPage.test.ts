import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import type { Role, Token, TokenInput, TokenQuery } from '../api/types';
import { can } from '../domain/permissions';
import { useAuthStore } from '../stores/auth';
import { fakeApi, harness } from '../testing/fixtures';
import TokensPage from './TokensPage.vue';

const token = (overrides: Partial<Token> = {}): Token => ({
  id: 't1',
  uid: '04AABBCC',
  type: 'ISO14443',
  status: 'accepted',
  expiresAt: null,
  holderId: 'h1',
  holderName: 'Erika',
  groupId: null,
  groupName: null,
  siteId: null,
  siteName: null,
  ocppGroupId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

function mountAs(role: Role, methods: Partial<ApiClient> = {}) {
  const h = harness(
    fakeApi({
      listTokens: () => Promise.resolve({ items: [token()], total: 1, limit: 50, offset: 0 }),
      listTokenHolders: () =>
        Promise.resolve({
          items: [
            {
              id: 'h1',
              name: 'Erika',
              phone: null,
              email: null,
              company: 'Fleet',
              tokenCount: 1,
              createdAt: '',
            },
          ],
          total: 1,
          limit: 500,
          offset: 0,
        }),
      listTokenGroups: () =>
        Promise.resolve({
          items: [{ id: 'g1', name: 'Fleet', kind: 'corporate', tokenCount: 0, createdAt: '' }],
          total: 1,
          limit: 500,
          offset: 0,
        }),
      listSites: () => Promise.resolve({ items: [] }),
      ...methods,
    }),
  );
  useAuthStore().user = { id: 'u', email: 'u@test', name: 'U', role, tenantId: 't', tenantName: 'Acme' };
  return mount(TokensPage, { global: h.global, attachTo: document.body });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('TokensPage', () => {
  it('lists tokens, searches and filters on the server, and blocks a token', async () => {
    const queries: TokenQuery[] = [];
    const updates: Partial<TokenInput>[] = [];
    let blocked = false;
    const wrapper = mountAs('operator', {
      listTokens: (q = {}) => {
        queries.push(q);
        return Promise.resolve({
          items: [token({ status: blocked ? 'blocked' : 'accepted' })],
          total: 1,
          limit: 50,
          offset: 0,
        });
      },
      updateToken: (_id, body) => {
        updates.push(body);
        blocked = body.status === 'blocked';
        return Promise.resolve(token({ status: 'blocked' }));
      },
    });
    await flushPromises();
    const row = wrapper.get('[data-testid="token-row"]');
    expect(row.attributes()).toMatchObject({ 'data-uid': '04AABBCC', 'data-status': 'accepted' });
    expect(row.text()).toContain('Erika');
    expect(row.text()).toContain('Every site');

    await wrapper.get('[data-testid="token-search"]').setValue('erika');
    await wrapper.get('[data-testid="token-status-filter"]').setValue('accepted');
    await flushPromises();
    expect(queries.at(-1)).toEqual({ limit: 50, offset: 0, q: 'erika', status: 'accepted' });

    await wrapper.get('[data-testid="token-block"]').trigger('click');
    await flushPromises();
    expect(updates).toEqual([{ status: 'blocked' }]);
    expect(wrapper.get('[data-testid="token-row"]').attributes('data-status')).toBe('blocked');
    expect(wrapper.get('[data-testid="token-block"]').text()).toBe('Unblock');
  });

  it('creates a token for a holder and a group', async () => {
    const bodies: TokenInput[] = [];
    const wrapper = mountAs('admin', {
      createToken: (body) => {
        bodies.push(body);
        return Promise.resolve(token({ id: 't2', uid: body.uid }));
      },
    });
    await flushPromises();
    await wrapper.get('[data-testid="token-add"]').trigger('click');
    await wrapper.get('[data-testid="token-uid"]').setValue(' 04FFEE ');
    await wrapper.get('[data-testid="token-holder"]').setValue('h1');
    await wrapper.get('[data-testid="token-group"]').setValue('g1');
    await wrapper.get('[data-testid="token-expires"]').setValue('2030-01-31');
    await wrapper.get('[data-testid="token-dialog"] form').trigger('submit');
    await flushPromises();
    expect(bodies).toEqual([
      {
        uid: '04FFEE',
        type: 'ISO14443',
        status: 'accepted',
        expiresAt: '2030-01-31T00:00:00.000Z',
        holderId: 'h1',
        groupId: 'g1',
        siteId: null,
      },
    ]);
    expect(wrapper.find('[data-testid="token-dialog"]').exists()).toBe(false);
  });

  it('shows holders and groups in their tabs; analysts read, viewers do not see the page', async () => {
    const wrapper = mountAs('analyst');
    await flushPromises();
    expect(wrapper.find('[data-testid="token-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="token-block"]').exists()).toBe(false);
    await wrapper.get('[data-testid="tokens-tab-holders"]').trigger('click');
    expect(wrapper.get('[data-testid="holder-row"]').attributes('data-name')).toBe('Erika');
    await wrapper.get('[data-testid="tokens-tab-groups"]').trigger('click');
    expect(wrapper.get('[data-testid="group-row"]').attributes()).toMatchObject({
      'data-name': 'Fleet',
      'data-kind': 'corporate',
    });
    expect(can('viewer', 'tokens.view')).toBe(false);
    expect(can('operator', 'tokens.manage')).toBe(true);
  });
});
