/**
 * RFID tokens with holders and groups: GET/POST/PATCH/DELETE /api/tokens[/{id}],
 * /api/token-holders[/{id}] and /api/token-groups[/{id}]. A token change re-publishes the local
 * authorisation list of the sites it is valid at, so an edge refuses a blocked card at once.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { siteConfigKeys } from '@voltmesh/contract';
import type { Context } from 'hono';
import type { Identity } from '../../auth/sessions.js';
import {
  auditActor,
  requireRole,
  requireTenantWide,
  TOKEN_READ_ROLES,
  TOKEN_WRITE_ROLES,
} from '../../resources/permissions.js';
import { IdParam } from '../../resources/schemas.js';
import { isUniqueViolation } from '../../resources/sql.js';
import {
  Group,
  GroupBody,
  GroupList,
  GroupPatch,
  GroupQuery,
  Holder,
  HolderBody,
  HolderList,
  HolderPatch,
  HolderQuery,
  Token,
  TokenBody,
  TokenList,
  TokenPatch,
  TokenQuery,
} from '../../resources/token-schemas.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem, scopeOf } from './common.js';
import type { ResourceRouteDeps } from './resources.js';

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const readErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
const writeErrors = { ...readErrors, 403: problem('auth.forbidden or auth.csrf_failed') };

/** The five routes of one collection: list, create, get, patch, delete. */
function crud<
  L extends z.ZodType,
  Q extends z.ZodObject,
  B extends z.ZodType,
  P extends z.ZodType,
  I extends z.ZodType,
>(
  path: string,
  tag: string,
  noun: string,
  notFound: string,
  s: { list: L; query: Q; body: B; patch: P; item: I },
) {
  return {
    list: createRoute({
      method: 'get',
      path,
      tags: [tag],
      summary: `${noun}s of the tenant, filtered, sorted and paged`,
      security: cookieAuth,
      request: { query: s.query },
      responses: { 200: json(s.list, `A page of ${noun}s`), ...readErrors },
    }),
    create: createRoute({
      method: 'post',
      path,
      tags: [tag],
      summary: `Create a ${noun}`,
      security: cookieAuth,
      request: body(s.body),
      responses: {
        201: json(s.item, `The ${noun}`),
        ...writeErrors,
        404: problem('a referenced object is not in your scope'),
        409: problem('resource.conflict'),
      },
    }),
    get: createRoute({
      method: 'get',
      path: `${path}/{id}`,
      tags: [tag],
      summary: `One ${noun}`,
      security: cookieAuth,
      request: { params: IdParam },
      responses: { 200: json(s.item, `The ${noun}`), ...readErrors, 404: problem(notFound) },
    }),
    patch: createRoute({
      method: 'patch',
      path: `${path}/{id}`,
      tags: [tag],
      summary: `Change a ${noun}`,
      security: cookieAuth,
      request: { params: IdParam, ...body(s.patch) },
      responses: {
        200: json(s.item, `The ${noun}`),
        ...writeErrors,
        404: problem(notFound),
        409: problem('resource.conflict'),
      },
    }),
    delete: createRoute({
      method: 'delete',
      path: `${path}/{id}`,
      tags: [tag],
      summary: `Delete a ${noun}`,
      security: cookieAuth,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...writeErrors, 404: problem(notFound) },
    }),
  };
}

const tokenRoutes = crud('/api/tokens', 'tokens', 'RFID token', 'token.not_found', {
  list: TokenList,
  query: TokenQuery,
  body: TokenBody,
  patch: TokenPatch,
  item: Token,
});
const holderRoutes = crud('/api/token-holders', 'tokens', 'token holder', 'token_holder.not_found', {
  list: HolderList,
  query: HolderQuery,
  body: HolderBody,
  patch: HolderPatch,
  item: Holder,
});
const groupRoutes = crud('/api/token-groups', 'tokens', 'token group', 'token_group.not_found', {
  list: GroupList,
  query: GroupQuery,
  body: GroupBody,
  patch: GroupPatch,
  item: Group,
});

const conflict = (path: string, message: string) => (error: unknown) => {
  if (!isUniqueViolation(error)) throw error;
  throw new ApiError('resource.conflict', message, { errors: [{ path, message }], cause: error });
};

export function tokenRoutesOf(deps: ResourceRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { tokens, audit } = deps;
  const reader = (c: Context<AppEnv>) => requireRole(c, TOKEN_READ_ROLES, 'read RFID tokens');
  const writer = (c: Context<AppEnv>, what: string) => requireRole(c, TOKEN_WRITE_ROLES, what);

  /** A token valid everywhere needs a tenant-wide grant; a site's own token a grant covering the site. */
  const checkSite = async (identity: Identity, siteId: string | null) => {
    if (siteId === null) return requireTenantWide(identity, 'manage tokens valid at every site');
    if (!(await deps.hierarchy.site(scopeOf(identity), siteId))) {
      throw new ApiError('site.not_found', 'no site with this id in your scope', {
        errors: [{ path: 'siteId', message: 'no such site in your scope' }],
      });
    }
  };
  const checkRefs = async (tenantId: string, b: { holderId?: string | null; groupId?: string | null }) => {
    if (b.holderId && !(await tokens.holder(tenantId, b.holderId))) {
      throw new ApiError('token_holder.not_found', 'no token holder with this id', {
        errors: [{ path: 'holderId', message: 'no such holder' }],
      });
    }
    if (b.groupId && !(await tokens.group(tenantId, b.groupId))) {
      throw new ApiError('token_group.not_found', 'no token group with this id', {
        errors: [{ path: 'groupId', message: 'no such group' }],
      });
    }
  };
  /** The edges that list the token before and after the change, and only its keys there. */
  const push = async (tenantId: string, uids: string[], ...siteIds: (string | null)[]) => {
    const keys = [...new Set(uids)].map((uid) => siteConfigKeys.token(uid));
    if (siteIds.includes(null)) await deps.push.tenant(tenantId, keys);
    else await deps.push.sites(siteIds, keys);
  };
  const found = async (identity: Identity, id: string) => {
    const token = await tokens.get(scopeOf(identity), id);
    if (!token) throw new ApiError('token.not_found', 'no token with this id in your scope');
    return token;
  };

  app.openapi(tokenRoutes.list, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    const page = await tokens.list(scopeOf(identity), q);
    return c.json({ ...page, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(tokenRoutes.get, async (c) => c.json(await found(reader(c), c.req.valid('param').id), 200));

  app.openapi(tokenRoutes.create, async (c) => {
    const identity = writer(c, 'create RFID tokens');
    const b = c.req.valid('json');
    await checkSite(identity, b.siteId);
    await checkRefs(identity.tenantId, b);
    const token = await tokens
      .create(identity.tenantId, b)
      .catch(conflict('uid', 'a token with this UID already exists for the same sites'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token.created',
      target: { type: 'token', id: token.id },
      details: { uid: token.uid, status: token.status, siteId: token.siteId },
    });
    await push(identity.tenantId, [token.uid], token.siteId);
    return c.json(token, 201);
  });

  app.openapi(tokenRoutes.patch, async (c) => {
    const identity = writer(c, 'change RFID tokens');
    const before = await found(identity, c.req.valid('param').id);
    const patch = c.req.valid('json');
    await checkSite(identity, before.siteId);
    if (patch.siteId !== undefined && patch.siteId !== before.siteId) await checkSite(identity, patch.siteId);
    await checkRefs(identity.tenantId, patch);
    const token = await tokens
      .update(identity.tenantId, before.id, patch)
      .catch(conflict('uid', 'a token with this UID already exists for the same sites'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token.updated',
      target: { type: 'token', id: token.id },
      details: { uid: token.uid, changed: patch },
    });
    await push(identity.tenantId, [before.uid, token.uid], before.siteId, token.siteId);
    return c.json(token, 200);
  });

  app.openapi(tokenRoutes.delete, async (c) => {
    const identity = writer(c, 'delete RFID tokens');
    const token = await found(identity, c.req.valid('param').id);
    await checkSite(identity, token.siteId);
    await tokens.delete(identity.tenantId, token.id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token.deleted',
      target: { type: 'token', id: token.id },
      details: { uid: token.uid },
    });
    await push(identity.tenantId, [token.uid], token.siteId);
    return c.body(null, 204);
  });

  // Holders and groups are tenant-level: writes need a tenant-wide grant.
  const tenantWriter = (c: Context<AppEnv>, what: string) => {
    const identity = writer(c, what);
    requireTenantWide(identity, what);
    return identity;
  };

  app.openapi(holderRoutes.list, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    return c.json({ ...(await tokens.holders(identity.tenantId, q)), limit: q.limit, offset: q.offset }, 200);
  });
  app.openapi(holderRoutes.get, async (c) => {
    const holder = await tokens.holder(reader(c).tenantId, c.req.valid('param').id);
    if (!holder) throw new ApiError('token_holder.not_found', 'no token holder with this id');
    return c.json(holder, 200);
  });
  app.openapi(holderRoutes.create, async (c) => {
    const identity = tenantWriter(c, 'create token holders');
    const holder = await tokens.createHolder(identity.tenantId, c.req.valid('json'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_holder.created',
      target: { type: 'token_holder', id: holder.id },
      details: { name: holder.name },
    });
    return c.json(holder, 201);
  });
  app.openapi(holderRoutes.patch, async (c) => {
    const identity = tenantWriter(c, 'change token holders');
    const patch = c.req.valid('json');
    const holder = await tokens.updateHolder(identity.tenantId, c.req.valid('param').id, patch);
    if (!holder) throw new ApiError('token_holder.not_found', 'no token holder with this id');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_holder.updated',
      target: { type: 'token_holder', id: holder.id },
      details: { changedFields: Object.keys(patch) },
    });
    return c.json(holder, 200);
  });
  app.openapi(holderRoutes.delete, async (c) => {
    const identity = tenantWriter(c, 'delete token holders');
    const id = c.req.valid('param').id;
    if (!(await tokens.deleteHolder(identity.tenantId, id)))
      throw new ApiError('token_holder.not_found', 'no token holder with this id');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_holder.deleted',
      target: { type: 'token_holder', id },
      details: {},
    });
    return c.body(null, 204);
  });

  app.openapi(groupRoutes.list, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    return c.json({ ...(await tokens.groups(identity.tenantId, q)), limit: q.limit, offset: q.offset }, 200);
  });
  app.openapi(groupRoutes.get, async (c) => {
    const group = await tokens.group(reader(c).tenantId, c.req.valid('param').id);
    if (!group) throw new ApiError('token_group.not_found', 'no token group with this id');
    return c.json(group, 200);
  });
  app.openapi(groupRoutes.create, async (c) => {
    const identity = tenantWriter(c, 'create token groups');
    const group = await tokens
      .createGroup(identity.tenantId, c.req.valid('json'))
      .catch(conflict('name', 'a token group with this name already exists'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_group.created',
      target: { type: 'token_group', id: group.id },
      details: { name: group.name, kind: group.kind },
    });
    return c.json(group, 201);
  });
  app.openapi(groupRoutes.patch, async (c) => {
    const identity = tenantWriter(c, 'change token groups');
    const patch = c.req.valid('json');
    const group = await tokens
      .updateGroup(identity.tenantId, c.req.valid('param').id, patch)
      .catch(conflict('name', 'a token group with this name already exists'));
    if (!group) throw new ApiError('token_group.not_found', 'no token group with this id');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_group.updated',
      target: { type: 'token_group', id: group.id },
      details: { changed: patch },
    });
    return c.json(group, 200);
  });
  app.openapi(groupRoutes.delete, async (c) => {
    const identity = tenantWriter(c, 'delete token groups');
    const id = c.req.valid('param').id;
    if (!(await tokens.deleteGroup(identity.tenantId, id)))
      throw new ApiError('token_group.not_found', 'no token group with this id');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'token_group.deleted',
      target: { type: 'token_group', id },
      details: {},
    });
    return c.body(null, 204);
  });
}
