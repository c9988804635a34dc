/** Who is signed in. The session lives in an HttpOnly cookie; this store mirrors /api/auth/me. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useApi } from '../api/inject';
import { CLIENT_ERROR_CODES, isApiError } from '../api/errors';
import type { AuthSession, User } from '../api/types';
import { can, type Permission } from '../domain/permissions';

export type AuthState = 'unknown' | 'anonymous' | 'authenticated';

export const LOGIN_FAILURES = [
  'invalidCredentials',
  'throttled',
  'validation',
  'network',
  'unknown',
] as const;
export type LoginFailure = (typeof LOGIN_FAILURES)[number];

export type LoginOutcome =
  { ok: true; user: User } | { ok: false; reason: LoginFailure; retryAfterS?: number; fields?: string[] };

const FAILURE_BY_CODE: Record<string, LoginFailure> = {
  'auth.invalid_credentials': 'invalidCredentials',
  'auth.throttled': 'throttled',
  [CLIENT_ERROR_CODES.network]: 'network',
};

function failureFor(error: unknown): Extract<LoginOutcome, { ok: false }> {
  if (!isApiError(error)) return { ok: false, reason: 'unknown' };
  const reason =
    FAILURE_BY_CODE[error.code] ??
    (error.status === 429
      ? 'throttled'
      : error.status === 400 || error.status === 422
        ? 'validation'
        : 'unknown');
  return {
    ok: false,
    reason,
    ...(error.retryAfterS !== undefined ? { retryAfterS: error.retryAfterS } : {}),
    ...(error.problem?.errors ? { fields: error.problem.errors.map((e) => e.path) } : {}),
  };
}

export const useAuthStore = defineStore('auth', () => {
  const api = useApi();
  const user = ref<User | null>(null);
  const state = ref<AuthState>('unknown');
  let restoring: Promise<void> | undefined;

  const isAuthenticated = computed(() => state.value === 'authenticated');

  function accept(session: AuthSession): void {
    api.setCsrfToken(session.csrfToken);
    user.value = session.user;
    state.value = 'authenticated';
  }

  function forget(): void {
    api.setCsrfToken(undefined);
    user.value = null;
    state.value = 'anonymous';
  }

  /** Asks the server once whether the cookie is still a session; concurrent callers share the answer. */
  function restore(): Promise<void> {
    if (state.value !== 'unknown') return Promise.resolve();
    restoring ??= api
      .me()
      .then(accept, forget)
      .finally(() => {
        restoring = undefined;
      });
    return restoring;
  }

  async function login(email: string, password: string): Promise<LoginOutcome> {
    try {
      const session = await api.login({ email, password });
      accept(session);
      return { ok: true, user: session.user };
    } catch (error) {
      return failureFor(error);
    }
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // The server may already consider the session gone; locally it ends either way.
    }
    forget();
  }

  function allows(permission: Permission): boolean {
    return can(user.value?.role, permission);
  }

  return { user, state, isAuthenticated, restore, login, logout, forget, allows };
});
