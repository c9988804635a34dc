/**
 * Middleware factories: request logging, identity loading (session cookie or API token),
 * authentication and CSRF checks.
 */
import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { API_TOKEN_PREFIX, type ApiTokenStore } from '../auth/api-tokens.js';
import { SESSION_COOKIE, type Identity, type SessionStore } from '../auth/sessions.js';
import type { Logger } from '../observability/logger.js';
import type { AppEnv } from './env.js';
import { ApiError } from './problem.js';

export function requestLogger(log: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLogger(c, next) {
    const started = performance.now();
    c.set('log', log);
    await next();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'http request',
    );
  };
}

/**
 * The caller's identity: from `Authorization: Bearer vmt_…` when that header is sent (then the
 * cookie is ignored, so a request is never half one and half the other), else from the session
 * cookie. A bearer identity has no `sessionToken`, which is how `isBearer` tells them apart.
 */
export function loadSession(sessions: SessionStore, apiTokens?: ApiTokenStore): MiddlewareHandler<AppEnv> {
  return async function loadSession(c, next) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      const identity =
        apiTokens && bearer.startsWith(API_TOKEN_PREFIX) ? await apiTokens.authenticate(bearer) : null;
      c.set('identity', identity);
      c.set('sessionToken', null);
      await next();
      return;
    }
    const token = getCookie(c, SESSION_COOKIE);
    const identity = token ? await sessions.find(token) : null;
    c.set('identity', identity);
    c.set('sessionToken', identity ? token! : null);
    await next();
  };
}

/** Whether the request is authenticated by an API token rather than a session cookie. */
export const isBearer = (c: Context<AppEnv>): boolean =>
  c.get('identity') !== null && c.get('sessionToken') === null;

export function requireIdentity(c: Context<AppEnv>): Identity {
  const identity = c.get('identity');
  if (!identity) {
    throw new ApiError('auth.required', 'log in first: no valid session cookie or API token');
  }
  return identity;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie-authenticated request that changes state must echo the session's CSRF token in
 * `x-csrf-token`; a cross-site form or fetch cannot read it. Bearer requests are exempt: a browser
 * never attaches an Authorization header to a cross-site request by itself.
 */
export function csrfProtection(options: { exempt: readonly string[] }): MiddlewareHandler<AppEnv> {
  const exempt = new Set(options.exempt);
  return async function csrfProtection(c, next) {
    const identity = c.get('identity');
    // Login is exempt: it replaces whatever session the browser still holds.
    if (identity && !isBearer(c) && !SAFE_METHODS.has(c.req.method) && !exempt.has(c.req.path)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      const expected = Buffer.from(identity.csrfToken);
      const given = Buffer.from(sent);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError(
          'auth.csrf_failed',
          'send the csrfToken from login or /api/auth/me in the x-csrf-token header',
        );
      }
    }
    await next();
  };
}

/** The peer address of the TCP connection; requests made in-process (tests) have none. */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
