/**
 * API tokens for machine clients: GET/POST /api/api-tokens, DELETE /api/api-tokens/{id}. Any
 * signed-in user creates tokens for one of their own grants (so a token never reaches further than
 * its owner); tenant-wide admins also list and revoke everyone's tokens on the tenant. A token cannot
 * mint tokens: creating one needs a session, so a leaked token cannot outlive its revocation.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ApiTokenBody, ApiTokenCreated, ApiTokenList, ApiTokenQuery } from '../../accounts/schemas.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { apiTokenSessionId, type ApiTokenStore } from '../../auth/api-tokens.js';
import { auditActor, isTenantWide } from '../../resources/permissions.js';
import { IdParam } from '../../resources/schemas.js';
import type { AppEnv } from '../env.js';
import { isBearer, requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem } from './common.js';

export interface ApiTokenRouteDeps {
  apiTokens: ApiTokenStore;
  audit: AuditLog;
  /** Closes live connections opened with a revoked token (on every cloud node). */
  sessionEnded: (sessionId: string) => void;
}

const tags = ['api-tokens'];
const security = [...cookieAuth, { bearerAuth: [] }];

const listRoute = createRoute({
  method: 'get',
  path: '/api/api-tokens',
  tags,
  summary: "Your live API tokens (user=all: every user's on the tenant, tenant-wide admins)",
  security,
  request: { query: ApiTokenQuery },
  responses: {
    200: json(ApiTokenList, 'The tokens (never the secret)'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden'),
  },
});
const createTokenRoute = createRoute({
  method: 'post',
  path: '/api/api-tokens',
  tags,
  summary: 'Create an API token for one of your grants; the answer holds the token, shown once',
  security: cookieAuth,
  request: { body: { content: { 'application/json': { schema: ApiTokenBody } }, required: true } },
  responses: {
    201: json(ApiTokenCreated, 'The token, shown once'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden (an API token cannot create tokens) or auth.csrf_failed'),
    404: problem('grant.not_found'),
  },
});
const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/api-tokens/{id}',
  tags,
  summary: 'Revoke an API token (yours, or any on the tenant for tenant-wide admins); takes effect at once',
  security,
  request: { params: IdParam },
  responses: {
    204: { description: 'Revoked' },
    401: problem('auth.required'),
    403: problem('auth.csrf_failed'),
    404: problem('api_token.not_found'),
  },
});

export function apiTokenRoutes(deps: ApiTokenRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { apiTokens, audit } = deps;
  const isTenantAdmin = (identity: ReturnType<typeof requireIdentity>) =>
    identity.role === 'admin' && isTenantWide(identity);

  app.openapi(listRoute, async (c) => {
    const identity = requireIdentity(c);
    const { user } = c.req.valid('query');
    if (user === 'all' && !isTenantAdmin(identity)) {
      throw new ApiError('auth.forbidden', "only tenant-wide administrators list every user's tokens");
    }
    const items = await apiTokens.list(identity.tenantId, user === 'all' ? null : identity.userId);
    return c.json({ items }, 200);
  });

  app.openapi(createTokenRoute, async (c) => {
    const identity = requireIdentity(c);
    if (isBearer(c)) throw new ApiError('auth.forbidden', 'an API token cannot create API tokens; sign in');
    const b = c.req.valid('json');
    const expiresAt = b.expiresAt === null ? null : new Date(b.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new ApiError('request.invalid', 'the expiry lies in the past', {
        errors: [{ path: 'expiresAt', message: 'must be in the future' }],
      });
    }
    const grantId = await apiTokens.ownGrant(identity, b.grantId);
    if (grantId === null) {
      throw new ApiError('grant.not_found', 'you hold no grant with this id on this tenant', {
        errors: [{ path: 'grantId', message: 'not one of your grants on this tenant' }],
      });
    }
    const { token, item } = await apiTokens.create({
      tenantId: identity.tenantId,
      userId: identity.userId,
      grantId,
      name: b.name,
      expiresAt,
      createdBy: identity.userId,
    });
    await audit.record({
      actor: auditActor(c, identity),
      action: 'api_token.created',
      target: { type: 'api_token', id: item.id },
      details: { name: item.name, prefix: item.prefix, grantId, role: item.role, expiresAt: item.expiresAt },
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...item, token }, 201);
  });

  app.openapi(revokeRoute, async (c) => {
    const identity = requireIdentity(c);
    const token = await apiTokens.get(identity.tenantId, c.req.valid('param').id);
    if (!token || (token.userId !== identity.userId && !isTenantAdmin(identity))) {
      throw new ApiError('api_token.not_found', 'no live API token with this id that you may revoke');
    }
    await apiTokens.revoke(identity.tenantId, token.id);
    deps.sessionEnded(apiTokenSessionId(token.id));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'api_token.revoked',
      target: { type: 'api_token', id: token.id },
      details: { name: token.name, prefix: token.prefix, owner: token.userEmail },
    });
    return c.body(null, 204);
  });
}
