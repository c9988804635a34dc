/**
 * Tariffs: GET/POST /api/tariffs, GET/PATCH/DELETE /api/tariffs/{id}, POST /api/tariffs/{id}/versions
 * (a scheduled change) and GET/PUT /api/tariff-assignments (which tariff applies to a site, station,
 * token group or token). Read by admins, operators and analysts; written by admins and operators.
 * Tariffs are tenant-level (writes need a tenant-wide grant); a site-scoped operator may assign
 * tariffs to its own site, stations and site tokens.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Role } from '../auth/roles.js';
import { auditActor, requireRole, requireTenantWide } from '../resources/permissions.js';
import { IdParam } from '../resources/schemas.js';
import { isUniqueViolation } from '../resources/sql.js';
import {
  AssignmentBody,
  AssignmentList,
  AssignmentQuery,
  Tariff,
  TariffAssignment,
  TariffBody,
  TariffList,
  TariffPatch,
  TariffQuery,
  TariffVersionBody,
} from './schemas.js';
import type { TariffStore } from './tariff-store.js';

export const TARIFF_READ_ROLES: readonly Role[] = ['admin', 'operator', 'analyst'];
export const TARIFF_WRITE_ROLES: readonly Role[] = ['admin', 'operator'];

export interface TariffRouteDeps {
  tariffs: TariffStore;
  audit: AuditLog;
  now?: () => Date;
}

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const readErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
const writeErrors = { ...readErrors, 403: problem('auth.forbidden or auth.csrf_failed') };
const tags = ['tariffs'];

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/tariffs',
    tags,
    summary: 'Tariffs of the tenant with their versions and assignments, filtered, sorted and paged',
    security: cookieAuth,
    request: { query: TariffQuery },
    responses: { 200: json(TariffList, 'A page of tariffs'), ...readErrors },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/tariffs',
    tags,
    summary: 'Create a tariff with its first version',
    security: cookieAuth,
    request: body(TariffBody),
    responses: { 201: json(Tariff, 'The tariff'), ...writeErrors, 409: problem('resource.conflict') },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/tariffs/{id}',
    tags,
    summary: 'One tariff',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 200: json(Tariff, 'The tariff'), ...readErrors, 404: problem('tariff.not_found') },
  }),
  patch: createRoute({
    method: 'patch',
    path: '/api/tariffs/{id}',
    tags,
    summary: 'Rename a tariff or change its description (prices change through a new version)',
    security: cookieAuth,
    request: { params: IdParam, ...body(TariffPatch) },
    responses: {
      200: json(Tariff, 'The tariff'),
      ...writeErrors,
      404: problem('tariff.not_found'),
      409: problem('resource.conflict'),
    },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/tariffs/{id}',
    tags,
    summary: 'Delete a tariff no session was priced with',
    security: cookieAuth,
    request: { params: IdParam },
    responses: {
      204: { description: 'Deleted' },
      ...writeErrors,
      404: problem('tariff.not_found'),
      409: problem('resource.in_use'),
    },
  }),
  version: createRoute({
    method: 'post',
    path: '/api/tariffs/{id}/versions',
    tags,
    summary: 'Schedule a new version (prices from validFrom; running sessions keep theirs)',
    security: cookieAuth,
    request: { params: IdParam, ...body(TariffVersionBody) },
    responses: {
      201: json(Tariff, 'The tariff with the new version'),
      ...writeErrors,
      404: problem('tariff.not_found'),
      409: problem('resource.conflict'),
    },
  }),
  assignments: createRoute({
    method: 'get',
    path: '/api/tariff-assignments',
    tags,
    summary: 'Which tariff applies to which site, station, token group and token (within your scope)',
    security: cookieAuth,
    request: { query: AssignmentQuery },
    responses: { 200: json(AssignmentList, 'Assignments'), ...readErrors },
  }),
  assign: createRoute({
    method: 'put',
    path: '/api/tariff-assignments',
    tags,
    summary: 'Assign a tariff to a site, station, token group or token (tariffId null removes it)',
    security: cookieAuth,
    request: body(AssignmentBody),
    responses: {
      200: json(z.union([TariffAssignment, z.null()]), 'The assignment (null when removed)'),
      ...writeErrors,
      404: problem(
        'tariff.not_found, site.not_found, station.not_found, token.not_found, token_group.not_found',
      ),
    },
  }),
};

const TARGET_NOT_FOUND = {
  site: 'site.not_found',
  station: 'station.not_found',
  token_group: 'token_group.not_found',
  token: 'token.not_found',
} as const;

const isForeignKeyViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';

export function tariffRoutes(deps: TariffRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { tariffs, audit } = deps;
  const now = deps.now ?? (() => new Date());
  const reader = (c: Context<AppEnv>) => requireRole(c, TARIFF_READ_ROLES, 'read tariffs');
  const writer = (c: Context<AppEnv>, what: string) => {
    const identity = requireRole(c, TARIFF_WRITE_ROLES, what);
    requireTenantWide(identity, what);
    return identity;
  };
  const conflict = (error: unknown): never => {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError('resource.conflict', 'a tariff with this name (or a version from this time) exists', {
      errors: [{ path: 'name', message: 'already exists' }],
      cause: error,
    });
  };
  const notFound = () => new ApiError('tariff.not_found', 'no tariff with this id');

  app.openapi(routes.list, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    return c.json({ ...(await tariffs.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(routes.get, async (c) => {
    const tariff = await tariffs.get(scopeOf(reader(c)), c.req.valid('param').id);
    if (!tariff) throw notFound();
    return c.json(tariff, 200);
  });

  app.openapi(routes.create, async (c) => {
    const identity = writer(c, 'create tariffs');
    const b = c.req.valid('json');
    const tariff = await tariffs.create(scopeOf(identity), identity.userId, b, now()).catch(conflict);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'tariff.created',
      target: { type: 'tariff', id: tariff.id },
      details: { name: tariff.name, spec: b.spec },
    });
    return c.json(tariff, 201);
  });

  app.openapi(routes.patch, async (c) => {
    const identity = writer(c, 'change tariffs');
    const patch = c.req.valid('json');
    const tariff = await tariffs.update(scopeOf(identity), c.req.valid('param').id, patch).catch(conflict);
    if (!tariff) throw notFound();
    await audit.record({
      actor: auditActor(c, identity),
      action: 'tariff.updated',
      target: { type: 'tariff', id: tariff.id },
      details: { changed: patch },
    });
    return c.json(tariff, 200);
  });

  app.openapi(routes.delete, async (c) => {
    const identity = writer(c, 'delete tariffs');
    const id = c.req.valid('param').id;
    const deleted = await tariffs.delete(scopeOf(identity), id).catch((error: unknown) => {
      if (!isForeignKeyViolation(error)) throw error;
      throw new ApiError(
        'resource.in_use',
        'sessions were priced with this tariff: keep it for their reports',
        {
          cause: error,
        },
      );
    });
    if (!deleted) throw notFound();
    await audit.record({
      actor: auditActor(c, identity),
      action: 'tariff.deleted',
      target: { type: 'tariff', id },
      details: {},
    });
    return c.body(null, 204);
  });

  app.openapi(routes.version, async (c) => {
    const identity = writer(c, 'change tariffs');
    const b = c.req.valid('json');
    const tariff = await tariffs
      .addVersion(scopeOf(identity), c.req.valid('param').id, identity.userId, b)
      .catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw new ApiError('resource.conflict', 'a version starting at this time exists', {
          errors: [{ path: 'validFrom', message: 'already used by another version' }],
          cause: error,
        });
      });
    if (!tariff) throw notFound();
    await audit.record({
      actor: auditActor(c, identity),
      action: 'tariff.version_added',
      target: { type: 'tariff', id: tariff.id },
      details: { validFrom: b.validFrom, validTo: b.validTo, spec: b.spec },
    });
    return c.json(tariff, 201);
  });

  app.openapi(routes.assignments, async (c) => {
    const identity = reader(c);
    return c.json({ items: await tariffs.assignments(scopeOf(identity), c.req.valid('query')) }, 200);
  });

  app.openapi(routes.assign, async (c) => {
    const identity = requireRole(c, TARIFF_WRITE_ROLES, 'assign tariffs');
    const b = c.req.valid('json');
    const scope = scopeOf(identity);
    const site = await tariffs.targetSite(scope, b.targetType, b.targetId);
    if (site === undefined) {
      throw new ApiError(TARGET_NOT_FOUND[b.targetType], 'no such object in your scope', {
        errors: [{ path: 'targetId', message: `no such ${b.targetType.replace('_', ' ')} in your scope` }],
      });
    }
    // Tenant-level targets (token groups, tokens valid everywhere) need a tenant-wide grant.
    if (site === null) requireTenantWide(identity, 'assign tariffs to tenant-wide tokens or token groups');
    if (b.tariffId !== null && !(await tariffs.get(scope, b.tariffId))) {
      throw new ApiError('tariff.not_found', 'no tariff with this id', {
        errors: [{ path: 'tariffId', message: 'no such tariff' }],
      });
    }
    await tariffs.assign(identity.tenantId, b.targetType, b.targetId, b.tariffId);
    await audit.record({
      actor: auditActor(c, identity),
      action: b.tariffId === null ? 'tariff.unassigned' : 'tariff.assigned',
      target: { type: b.targetType, id: b.targetId },
      details: { tariffId: b.tariffId },
    });
    const [assignment] = await tariffs
      .assignments(scope, { targetType: b.targetType })
      .then((all) => all.filter((a) => a.targetId === b.targetId));
    return c.json(assignment ?? null, 200);
  });
}
