import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import type { ApiClient } from '../api/client';
import type { GrantInput, ManagedUser, UserInput, UserPatch, UserQuery } from '../api/types';
import { fakeApi, harness } from '../testing/fixtures';
import UsersPage from './UsersPage.vue';

const user = (overrides: Partial<ManagedUser> = {}): ManagedUser => ({
  id: 'u1',
  email: 'olga@acme.test',
  name: 'Olga',
  phone: null,
  locale: null,
  disabled: false,
  lastLoginAt: null,
  passwordChangedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  grants: [
    {
      id: 'g1',
      role: 'operator',
      siteId: 's1',
      siteName: 'North depot',
      cityId: null,
      cityName: null,
      createdAt: '',
    },
  ],
  ...overrides,
});

function mountPage(methods: Partial<ApiClient> = {}) {
  const h = harness(
    fakeApi({
      listUsers: () => Promise.resolve({ items: [user()], total: 1, limit: 50, offset: 0 }),
      listCities: () => Promise.resolve({ items: [{ id: 'c1', name: 'Tallinn', lat: null, lon: null }] }),
      listSites: () =>
        Promise.resolve({
          items: [
            {
              id: 's1',
              code: 'north',
              name: 'North depot',
              cityId: 'c1',
              cityName: 'Tallinn',
              lat: null,
              lon: null,
              stationCount: 1,
            },
          ],
        }),
      ...methods,
    }),
  );
  return mount(UsersPage, { global: h.global, attachTo: document.body });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('UsersPage', () => {
  it('lists users with their roles and scope, and searches and filters on the server', async () => {
    const queries: UserQuery[] = [];
    const wrapper = mountPage({
      listUsers: (q = {}) => {
        queries.push(q);
        return Promise.resolve({ items: [user()], total: 1, limit: 50, offset: 0 });
      },
    });
    await flushPromises();
    const row = wrapper.get('[data-testid="user-row"]');
    expect(row.attributes('data-email')).toBe('olga@acme.test');
    expect(row.get('[data-testid="user-row-grants"]').text()).toBe('Operator · Site: North depot');
    expect(row.get('[data-testid="user-row-status"]').text()).toBe('Active');

    await wrapper.get('[data-testid="user-search"]').setValue('olg');
    await wrapper.get('[data-testid="user-role-filter"]').setValue('operator');
    await wrapper.get('[data-testid="user-search-apply"]').trigger('click');
    await flushPromises();
    expect(queries.at(-1)).toEqual({ limit: 50, offset: 0, q: 'olg', role: 'operator' });
  });

  it('creates a user with a role limited to one site and shows the policy error under the password', async () => {
    const created: UserInput[] = [];
    const wrapper = mountPage({
      createUser: (body) => {
        created.push(body);
        if (created.length === 1) {
          return Promise.reject(
            new ApiError({
              code: 'password.policy',
              status: 400,
              message: 'weak',
              problem: {
                type: 'urn:voltmesh:problem:password.policy',
                title: 'Password does not meet the password policy',
                status: 400,
                code: 'password.policy',
                detail: 'the password must be at least 10 characters',
                errors: [{ path: 'password', message: 'must be at least 10 characters [minLength]' }],
              },
            }),
          );
        }
        return Promise.resolve(user({ id: 'u2', email: body.email }));
      },
    });
    await flushPromises();
    await wrapper.get('[data-testid="user-add"]').trigger('click');
    await wrapper.get('[data-testid="user-email"]').setValue('new@acme.test');
    await wrapper.get('[data-testid="user-name"]').setValue('New');
    await wrapper.get('[data-testid="user-password"]').setValue('short');
    await wrapper.get('[data-testid="grant-role"]').setValue('operator');
    await wrapper.get('[data-testid="grant-scope"]').setValue('site:s1');
    await wrapper.get('[data-testid="user-dialog"] form').trigger('submit');
    await flushPromises();
    expect(created[0]).toEqual({
      email: 'new@acme.test',
      name: 'New',
      phone: null,
      locale: null,
      password: 'short',
      grant: { role: 'operator', siteId: 's1', cityId: null },
    });
    expect(wrapper.get('[data-testid="field-error"][data-field="password"]').text()).toContain('[minLength]');

    await wrapper.get('[data-testid="user-password"]').setValue('Tidal-Orbit-42-Lantern');
    await wrapper.get('[data-testid="user-dialog"] form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="user-dialog"]').exists()).toBe(false);
  });

  it('adds and removes roles, showing why the last administrator role stays', async () => {
    const added: GrantInput[] = [];
    const wrapper = mountPage({
      addGrant: (_id, body) => {
        added.push(body);
        return Promise.resolve({ id: 'g2', ...body, siteName: null, cityName: 'Tallinn', createdAt: '' });
      },
      removeGrant: () =>
        Promise.reject(
          new ApiError({
            code: 'user.last_admin',
            status: 409,
            message: 'last',
            problem: {
              type: 'urn:voltmesh:problem:user.last_admin',
              title: 'The tenant must keep an administrator',
              status: 409,
              code: 'user.last_admin',
              detail: 'this is the last tenant-wide administrator grant of the tenant',
            },
          }),
        ),
    });
    await flushPromises();
    await wrapper.get('[data-testid="user-grants"]').trigger('click');
    await wrapper.get('[data-testid="grants-dialog"] [data-testid="grant-role"]').setValue('analyst');
    await wrapper.get('[data-testid="grants-dialog"] [data-testid="grant-scope"]').setValue('city:c1');
    await wrapper.get('[data-testid="grants-dialog"] form').trigger('submit');
    await flushPromises();
    expect(added).toEqual([{ role: 'analyst', siteId: null, cityId: 'c1' }]);
    expect(wrapper.findAll('[data-testid="grant-row"]').map((r) => r.text())).toEqual([
      expect.stringContaining('Operator · Site: North depot'),
      expect.stringContaining('Analyst · City: Tallinn'),
    ]);
    await wrapper.get('[data-testid="grant-remove"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="form-error"]').text()).toContain('last tenant-wide administrator');
    expect(wrapper.findAll('[data-testid="grant-row"]')).toHaveLength(2);
  });

  it('disables a user after confirmation and resets a password', async () => {
    const patches: UserPatch[] = [];
    const resets: string[] = [];
    let disabled = false;
    const wrapper = mountPage({
      listUsers: () => Promise.resolve({ items: [user({ disabled })], total: 1, limit: 50, offset: 0 }),
      updateUser: (_id, body) => {
        patches.push(body);
        disabled = body.disabled ?? disabled;
        return Promise.resolve(user({ disabled }));
      },
      resetUserPassword: (_id, password) => {
        resets.push(password);
        return Promise.resolve();
      },
    });
    await flushPromises();
    await wrapper.get('[data-testid="user-disable"]').trigger('click');
    expect(patches).toEqual([]);
    await wrapper.get('[data-testid="user-disable-dialog"] form').trigger('submit');
    await flushPromises();
    expect(patches).toEqual([{ disabled: true }]);
    expect(wrapper.get('[data-testid="user-row"]').attributes('data-disabled')).toBe('true');
    expect(wrapper.get('[data-testid="user-row-status"]').text()).toBe('Disabled');

    await wrapper.get('[data-testid="user-reset-password"]').trigger('click');
    await wrapper.get('[data-testid="reset-password"]').setValue('Tidal-Orbit-42-Lantern');
    await wrapper.get('[data-testid="password-reset-dialog"] form').trigger('submit');
    await flushPromises();
    expect(resets).toEqual(['Tidal-Orbit-42-Lantern']);
    expect(wrapper.get('[data-testid="users-notice"]').text()).toContain('olga@acme.test');
  });
});
