import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { AuthSession } from '../api/types';
import { fakeApi, harness } from '../testing/fixtures';
import { useAuthStore } from './auth';

const session: AuthSession = {
  user: {
    id: 'u1',
    email: 'op@example.com',
    name: 'Olga',
    role: 'operator',
    tenantId: 't1',
    tenantName: 'Acme',
  },
  csrfToken: 'csrf-abc',
};

function problem(status: number, code: string, retryAfterS?: number): ApiError {
  return new ApiError({
    code,
    status,
    message: code,
    problem: { type: 'about:blank', title: code, status, code },
    ...(retryAfterS !== undefined ? { retryAfterS } : {}),
  });
}

describe('auth store', () => {
  it('signs in, keeps the CSRF token for later requests and grants the role its pages', async () => {
    const setCsrfToken = vi.fn();
    harness(fakeApi({ login: vi.fn(() => Promise.resolve(session)), setCsrfToken }));
    const auth = useAuthStore();

    const outcome = await auth.login('op@example.com', 'secret');

    expect(outcome).toEqual({ ok: true, user: session.user });
    expect(auth.isAuthenticated).toBe(true);
    expect(auth.user?.name).toBe('Olga');
    expect(setCsrfToken).toHaveBeenLastCalledWith('csrf-abc');
    expect(auth.allows('monitoring.view')).toBe(true);
  });

  it('reports invalid credentials on 401 and stays signed out', async () => {
    harness(fakeApi({ login: () => Promise.reject(problem(401, 'auth.invalid_credentials')) }));
    const auth = useAuthStore();

    await expect(auth.login('op@example.com', 'wrong')).resolves.toEqual({
      ok: false,
      reason: 'invalidCredentials',
    });
    expect(auth.isAuthenticated).toBe(false);
  });

  it('reports throttling with the Retry-After delay', async () => {
    harness(fakeApi({ login: () => Promise.reject(problem(429, 'auth.throttled', 42)) }));
    const auth = useAuthStore();

    await expect(auth.login('op@example.com', 'x')).resolves.toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterS: 42,
    });
  });

  it('maps network failures and unknown errors to their own reasons', async () => {
    const login = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ code: 'client.network', status: 0, message: 'offline' }))
      .mockRejectedValueOnce(problem(500, 'internal'));
    harness(fakeApi({ login }));
    const auth = useAuthStore();

    expect(await auth.login('a', 'b')).toMatchObject({ reason: 'network' });
    expect(await auth.login('a', 'b')).toMatchObject({ reason: 'unknown' });
  });

  it('restores a session from /api/auth/me once, even for concurrent callers', async () => {
    const me = vi.fn(() => Promise.resolve(session));
    harness(fakeApi({ me }));
    const auth = useAuthStore();

    await Promise.all([auth.restore(), auth.restore()]);
    await auth.restore();

    expect(me).toHaveBeenCalledTimes(1);
    expect(auth.state).toBe('authenticated');
  });

  it('treats 401 auth.required from /me as signed out, and logout clears the user', async () => {
    harness(fakeApi({ me: () => Promise.reject(problem(401, 'auth.required')) }));
    const auth = useAuthStore();
    await auth.restore();
    expect(auth.state).toBe('anonymous');

    const logout = vi.fn(() => Promise.resolve());
    harness(fakeApi({ login: () => Promise.resolve(session), logout }));
    const second = useAuthStore();
    await second.login('op@example.com', 'secret');
    await second.logout();
    expect(logout).toHaveBeenCalledOnce();
    expect(second.user).toBeNull();
    expect(second.state).toBe('anonymous');
  });
});
