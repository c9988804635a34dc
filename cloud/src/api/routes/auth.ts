/** /api/auth: login, current user, logout, changing one's own password. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { assertPasswordPolicy } from '../../accounts/checks.js';
import { PasswordChangeBody } from '../../accounts/schemas.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { ApiTokenStore } from '../../auth/api-tokens.js';
import type { createLogin } from '../../auth/login.js';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { SESSION_COOKIE, type SessionStore } from '../../auth/sessions.js';
import { auditActor } from '../../resources/permissions.js';
import type { AppEnv } from '../env.js';
import { clientIp, isBearer, requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { AuthResponse, LoginBody } from '../schemas.js';
import { cookieAuth, json, problem } from './common.js';
import type { AccountRouteDeps } from './users.js';

export interface AuthRouteDeps {
  login: ReturnType<typeof createLogin>;
  sessions: SessionStore;
  secureCookies: boolean;
  /** Told after a logout, so live connections opened with that session end too. */
  sessionEnded: (sessionId: string) => void;
  /** Failed logins and logouts are audited (a successful login is audited by `login`). */
  audit?: AuditLog;
  /** `Authorization: Bearer vmt_…` is accepted when present (and /api/api-tokens served). */
  apiTokens?: ApiTokenStore;
  /** User management and the password change; absent in narrow route tests. */
  accounts?: AccountRouteDeps;
}

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Log in with e-mail and password; sets the vm_session cookie',
  request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
  responses: {
    200: json(AuthResponse, 'Logged in'),
    400: problem('Invalid body'),
    401: problem('auth.invalid_credentials'),
    429: problem('auth.throttled (see Retry-After)'),
  },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['auth'],
  summary: 'The logged-in user and the CSRF token of the session',
  security: cookieAuth,
  responses: { 200: json(AuthResponse, 'Current session'), 401: problem('auth.required') },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'End the session (needs x-csrf-token)',
  security: cookieAuth,
  responses: {
    204: { description: 'Logged out' },
    401: problem('auth.required'),
    403: problem('auth.csrf_failed'),
  },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/api/auth/password',
  tags: ['auth'],
  summary: 'Change your own password (needs the current one); your other sessions end',
  security: cookieAuth,
  request: { body: { content: { 'application/json': { schema: PasswordChangeBody } }, required: true } },
  responses: {
    204: { description: 'Password changed' },
    400: problem('password.wrong_current, password.policy or request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden (API tokens cannot) or auth.csrf_failed'),
  },
});

export function authRoutes(deps: AuthRouteDeps, app: OpenAPIHono<AppEnv>): void {
  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const outcome = await deps.login({
      email,
      password,
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? null,
    });
    if (outcome.kind === 'throttled') {
      await deps.audit?.recordLoginFailure(
        { email, ip: clientIp(c), userAgent: c.req.header('user-agent') ?? null },
        { reason: 'throttled' },
      );
      throw new ApiError('auth.throttled', `too many failed logins; try again in ${outcome.retryAfterS} s`, {
        headers: { 'Retry-After': String(outcome.retryAfterS) },
      });
    }
    if (outcome.kind === 'invalid') {
      await deps.audit?.recordLoginFailure(
        { email, ip: clientIp(c), userAgent: c.req.header('user-agent') ?? null },
        { reason: 'invalid_credentials' },
      );
      throw new ApiError('auth.invalid_credentials');
    }
    setCookie(c, SESSION_COOKIE, outcome.token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies,
      path: '/',
      expires: outcome.expiresAt,
    });
    c.get('log').info({ userId: outcome.user.id, tenantId: outcome.user.tenantId }, 'login');
    return c.json({ user: outcome.user, csrfToken: outcome.csrfToken }, 200);
  });

  app.openapi(meRoute, (c) => {
    const me = requireIdentity(c);
    return c.json(
      {
        user: {
          id: me.userId,
          email: me.email,
          name: me.name,
          role: me.role,
          tenantId: me.tenantId,
          tenantName: me.tenantName,
        },
        csrfToken: me.csrfToken,
      },
      200,
    );
  });

  app.openapi(logoutRoute, async (c) => {
    const me = requireIdentity(c);
    if (isBearer(c)) throw new ApiError('auth.forbidden', 'an API token has no session to end; revoke it');
    await deps.sessions.delete(c.get('sessionToken')!);
    deps.sessionEnded(me.sessionId);
    await deps.audit?.record({
      actor: {
        tenantId: me.tenantId,
        userId: me.userId,
        email: me.email,
        ip: clientIp(c),
        userAgent: c.req.header('user-agent') ?? null,
      },
      action: 'auth.logout',
      target: { type: 'user', id: me.userId },
      details: {},
    });
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
    return c.body(null, 204);
  });

  const accounts = deps.accounts;
  if (!accounts) return;
  app.openapi(passwordRoute, async (c) => {
    const me = requireIdentity(c);
    if (isBearer(c)) throw new ApiError('auth.forbidden', 'an API token cannot change a password; sign in');
    const { currentPassword, newPassword } = c.req.valid('json');
    if (!(await verifyPassword(await accounts.users.passwordHash(me.userId), currentPassword))) {
      throw new ApiError('password.wrong_current', 'the current password is wrong', {
        errors: [{ path: 'currentPassword', message: 'is wrong' }],
      });
    }
    assertPasswordPolicy(await accounts.settings.get(me.tenantId), newPassword, 'newPassword');
    await accounts.users.setPassword(me.userId, await hashPassword(newPassword));
    const ended = await accounts.sessions.endForUser(me.userId, { exceptSessionId: me.sessionId });
    for (const sessionId of ended) accounts.sessionEnded(sessionId);
    await accounts.audit.record({
      actor: auditActor(c, me),
      action: 'user.password_changed',
      target: { type: 'user', id: me.userId },
      details: { sessionsEnded: ended.length },
    });
    return c.body(null, 204);
  });
}
