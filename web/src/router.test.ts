import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { ApiError } from './api/errors';
import type { AuthSession } from './api/types';
import { createAppRouter, installAuthGuard, safeRedirect } from './router';
import { useAuthStore } from './stores/auth';
import { fakeApi, harness } from './testing/fixtures';

const session: AuthSession = {
  user: { id: 'u1', email: 'v@example.com', name: 'Vic', role: 'viewer', tenantId: 't1', tenantName: 'Acme' },
  csrfToken: 'c',
};

function setup(me: () => Promise<AuthSession>) {
  harness(fakeApi({ me }));
  const router = createAppRouter(createMemoryHistory());
  installAuthGuard(router, useAuthStore());
  return router;
}

describe('auth guard', () => {
  it('sends a signed-out user to login and remembers where they were going', async () => {
    const router = setup(() =>
      Promise.reject(new ApiError({ code: 'auth.required', status: 401, message: 'no session' })),
    );
    await router.push('/stations/st-9');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query['redirect']).toBe('/stations/st-9');
  });

  it('lets a signed-in user through and keeps them off the login page', async () => {
    const me = vi.fn(() => Promise.resolve(session));
    const router = setup(me);
    await router.push('/map');
    expect(router.currentRoute.value.name).toBe('map');
    await router.push('/login?redirect=/stations');
    expect(router.currentRoute.value.fullPath).toBe('/stations');
    expect(me).toHaveBeenCalledOnce();
  });

  it('only follows same-app redirects', () => {
    expect(safeRedirect('/stations?q=a')).toBe('/stations?q=a');
    expect(safeRedirect('//evil.example/')).toBeUndefined();
    expect(safeRedirect('https://evil.example/')).toBeUndefined();
    expect(safeRedirect(['/a'])).toBeUndefined();
  });
});
