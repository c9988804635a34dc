/**
 * Who may change the site hierarchy, stations and tokens (docs/operations.md has the table).
 * Reads follow the station reads: every role sees what its scope covers. Writes:
 * - cities: a tenant-wide admin; sites and edge credentials: an admin whose scope covers the site
 *   (a city-scoped admin manages the sites of that city, a site-scoped one only its own site);
 * - stations, connectors, station passwords: admin or operator within scope;
 * - tokens: admin or operator; a tenant-wide token (valid at every site) needs a tenant-wide grant;
 * - token holders and groups (tenant-level, personal data): admin or operator with a tenant-wide grant.
 * Token data (holders' phone and e-mail) is not shown to viewers.
 */
import type { Context } from 'hono';
import type { AuditActor } from '../audit/audit-log.js';
import type { Role } from '../auth/roles.js';
import type { Identity } from '../auth/sessions.js';
import type { AppEnv } from '../api/env.js';
import { clientIp, requireIdentity } from '../api/middleware.js';
import { ApiError } from '../api/problem.js';

export const SITE_WRITE_ROLES: readonly Role[] = ['admin'];
export const STATION_WRITE_ROLES: readonly Role[] = ['admin', 'operator'];
export const TOKEN_WRITE_ROLES: readonly Role[] = ['admin', 'operator'];
export const TOKEN_READ_ROLES: readonly Role[] = ['admin', 'operator', 'technician', 'analyst'];

export const isTenantWide = (identity: Identity): boolean =>
  identity.siteId === null && identity.cityId === null;

/** The caller, if their role is one of `roles`; otherwise 403 naming what they tried. */
export function requireRole(c: Context<AppEnv>, roles: readonly Role[], what: string): Identity {
  const identity = requireIdentity(c);
  if (!roles.includes(identity.role)) {
    throw new ApiError('auth.forbidden', `the ${identity.role} role cannot ${what}`);
  }
  return identity;
}

export function requireTenantWide(identity: Identity, what: string): void {
  if (!isTenantWide(identity)) {
    throw new ApiError('auth.forbidden', `a grant limited to one site or city cannot ${what}`);
  }
}

export function auditActor(c: Context<AppEnv>, identity: Identity): AuditActor {
  return {
    tenantId: identity.tenantId,
    userId: identity.userId,
    email: identity.email,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
  };
}
