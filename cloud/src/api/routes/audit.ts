/** GET /api/audit: the tenant's audit log, newest first, for tenant-wide administrators only. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AuditLog } from '../../audit/audit-log.js';
import { canReadAudit } from '../../commands/permissions.js';
import { AuditPage, AuditQuery } from '../../audit/schemas.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem } from './common.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['audit'],
  summary: "The tenant's audit log, filtered and paged, newest first (admins)",
  security: cookieAuth,
  request: { query: AuditQuery },
  responses: {
    200: json(AuditPage, 'A page of audit entries'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden'),
  },
});

export function auditRoutes(audit: AuditLog, app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRoute, async (c) => {
    const identity = requireIdentity(c);
    if (!canReadAudit(identity.role)) {
      throw new ApiError('auth.forbidden', 'only administrators can read the audit log');
    }
    // Entries name sites and stations across the tenant: a grant limited to a site or city would see
    // beyond its scope, so the log is for tenant-wide administrators only.
    if (identity.siteId !== null || identity.cityId !== null) {
      throw new ApiError('auth.forbidden', 'the audit log needs a tenant-wide administrator grant');
    }
    const f = c.req.valid('query');
    const page = await audit.list(identity.tenantId, f);
    return c.json({ ...page, limit: f.limit, offset: f.offset }, 200);
  });
}
