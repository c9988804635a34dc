import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { AuthSession } from '../api/types';
import { fakeApi, harness } from '../testing/fixtures';
import LoginPage from './LoginPage.vue';

const session: AuthSession = {
  user: {
    id: 'u1',
    email: 'op@example.com',
    name: 'Op',
    role: 'operator',
    tenantId: 't1',
    tenantName: 'Acme',
  },
  csrfToken: 'c',
};

async function submit(login: () => Promise<AuthSession>, password = 'pw') {
  const h = harness(fakeApi({ login }));
  await h.router.push('/');
  const wrapper = mount(LoginPage, { global: h.global });
  await wrapper.get('[data-testid="login-email"]').setValue('op@example.com');
  await wrapper.get('[data-testid="login-password"]').setValue(password);
  await wrapper.get('[data-testid="login-form"]').trigger('submit');
  await flushPromises();
  return { wrapper, router: h.router };
}

describe('LoginPage', () => {
  it('explains invalid credentials and clears the password', async () => {
    const { wrapper } = await submit(() =>
      Promise.reject(new ApiError({ code: 'auth.invalid_credentials', status: 401, message: 'x' })),
    );
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('The e-mail or password is not correct.');
    expect((wrapper.get('[data-testid="login-password"]').element as HTMLInputElement).value).toBe('');
  });

  it('tells a throttled user how long to wait', async () => {
    const { wrapper } = await submit(() =>
      Promise.reject(new ApiError({ code: 'auth.throttled', status: 429, message: 'x', retryAfterS: 60 })),
    );
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe(
      'Too many sign-in attempts. Try again in 60 seconds.',
    );
  });

  it('asks for both fields before calling the server, then signs in', async () => {
    const login = vi.fn(() => Promise.resolve(session));
    const { wrapper, router } = await submit(login, '');
    expect(login).not.toHaveBeenCalled();
    expect(wrapper.get('[data-testid="login-error"]').attributes('data-reason')).toBe('required');

    await wrapper.get('[data-testid="login-password"]').setValue('secret');
    await wrapper.get('[data-testid="login-form"]').trigger('submit');
    await flushPromises();
    expect(login).toHaveBeenCalledWith({ email: 'op@example.com', password: 'secret' });
    expect(router.currentRoute.value.name).toBe('dashboard');
  });

  it('shows a labelled demo hint only on a demo deployment', async () => {
    for (const demo of [true, false]) {
      const h = harness(fakeApi({ publicSettings: () => Promise.resolve({ demo }) }));
      await h.router.push('/');
      const wrapper = mount(LoginPage, { global: h.global });
      await flushPromises();
      const hint = wrapper.find('[data-testid="login-demo-hint"]');
      expect(hint.exists()).toBe(demo);
      if (demo) expect(hint.text()).toBe('Demo This is a demo deployment with simulated stations.');
    }
    // No answer from the server: no hint, and the form works as before.
    const h = harness(fakeApi());
    await h.router.push('/');
    const wrapper = mount(LoginPage, { global: h.global });
    await flushPromises();
    expect(wrapper.find('[data-testid="login-demo-hint"]').exists()).toBe(false);
  });
});
