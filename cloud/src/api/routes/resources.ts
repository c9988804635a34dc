/**
 * Managing the site hierarchy: POST/PATCH/DELETE /api/cities[/{id}], GET/POST/PATCH/DELETE
 * /api/sites[/{id}], the edge agent's NATS credentials (generated on site creation, rotated on
 * demand, shown once) and the nats-server `authorization` block of the tenant's sites.
 * The list reads (GET /api/sites, /api/cities) live with the station reads (stations.ts).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { siteConfigKeys } from '@voltmesh/contract';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Identity } from '../../auth/sessions.js';
import type { HierarchyStore } from '../../resources/hierarchy-store.js';
import { newEdgeCredentials, renderAuthorization } from '../../resources/nats-credentials.js';
import { auditActor, requireRole, requireTenantWide, SITE_WRITE_ROLES } from '../../resources/permissions.js';
import {
  City,
  CityBody,
  CityPatch,
  EdgeCredentials,
  IdParam,
  NatsAuthorization,
  Site,
  SiteBody,
  SiteCreated,
  SitePatch,
} from '../../resources/schemas.js';
import type { SiteConfigPush } from '../../resources/site-config-push.js';
import { isUniqueViolation } from '../../resources/sql.js';
import type { StationStore } from '../../resources/station-store.js';
import type { TokenStore } from '../../resources/token-store.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem, scopeOf } from './common.js';

export interface ResourceRouteDeps {
  hierarchy: HierarchyStore;
  stations: StationStore;
  tokens: TokenStore;
  audit: AuditLog;
  /** Re-publishes the desired configuration of the sites a change touched. */
  push: SiteConfigPush;
}

const body = <T>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const writeErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden or auth.csrf_failed'),
};

const createCityRoute = createRoute({
  method: 'post',
  path: '/api/cities',
  tags: ['sites'],
  summary: 'Create a city (tenant-wide admin)',
  security: cookieAuth,
  request: body(CityBody),
  responses: { 201: json(City, 'The city'), ...writeErrors, 409: problem('resource.conflict') },
});
const updateCityRoute = createRoute({
  method: 'patch',
  path: '/api/cities/{id}',
  tags: ['sites'],
  summary: 'Change a city',
  security: cookieAuth,
  request: { params: IdParam, ...body(CityPatch) },
  responses: {
    200: json(City, 'The city'),
    ...writeErrors,
    404: problem('city.not_found'),
    409: problem('resource.conflict'),
  },
});
const deleteCityRoute = createRoute({
  method: 'delete',
  path: '/api/cities/{id}',
  tags: ['sites'],
  summary: 'Delete a city that has no sites',
  security: cookieAuth,
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...writeErrors,
    404: problem('city.not_found'),
    409: problem('resource.in_use'),
  },
});
const getSiteRoute = createRoute({
  method: 'get',
  path: '/api/sites/{id}',
  tags: ['sites'],
  summary: 'One site with its policy, station counts and credential state',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(Site, 'The site'), 401: problem('auth.required'), 404: problem('site.not_found') },
});
const createSiteRoute = createRoute({
  method: 'post',
  path: '/api/sites',
  tags: ['sites'],
  summary: "Create a site; the answer holds its edge agent's NATS password, shown once",
  security: cookieAuth,
  request: body(SiteBody),
  responses: {
    201: json(SiteCreated, 'The site and its edge credentials'),
    ...writeErrors,
    404: problem('city.not_found'),
    409: problem('resource.conflict'),
  },
});
const updateSiteRoute = createRoute({
  method: 'patch',
  path: '/api/sites/{id}',
  tags: ['sites'],
  summary: 'Change a site (its code is fixed: it names the edge agent, bucket and subjects)',
  security: cookieAuth,
  request: { params: IdParam, ...body(SitePatch) },
  responses: {
    200: json(Site, 'The site'),
    ...writeErrors,
    404: problem('site.not_found or city.not_found'),
  },
});
const deleteSiteRoute = createRoute({
  method: 'delete',
  path: '/api/sites/{id}',
  tags: ['sites'],
  summary: 'Delete a site that has no stations',
  security: cookieAuth,
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...writeErrors,
    404: problem('site.not_found'),
    409: problem('resource.in_use'),
  },
});
const rotateCredentialsRoute = createRoute({
  method: 'post',
  path: '/api/sites/{id}/credentials',
  tags: ['sites'],
  summary:
    "Generate new NATS credentials for the site's edge agent (the old password stops working once nats-server reloads)",
  security: cookieAuth,
  request: { params: IdParam },
  responses: {
    200: json(EdgeCredentials, 'The new credentials, shown once'),
    ...writeErrors,
    404: problem('site.not_found'),
  },
});
const authorizationRoute = createRoute({
  method: 'get',
  path: '/api/sites/nats-authorization',
  tags: ['sites'],
  summary: "nats-server `authorization` block with every site's edge user (bcrypt hashes, no passwords)",
  security: cookieAuth,
  responses: {
    200: json(NatsAuthorization, 'The block'),
    401: problem('auth.required'),
    403: problem('auth.forbidden'),
  },
});

export function resourceRoutes(deps: ResourceRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { hierarchy, audit } = deps;
  const admin = (c: Parameters<typeof requireRole>[0], what: string): Identity =>
    requireRole(c, SITE_WRITE_ROLES, what);
  /** A city the caller may attach a site to (null: none). */
  const checkCity = async (identity: Identity, cityId: string | null | undefined) => {
    if (cityId === undefined || cityId === null) {
      if (identity.cityId !== null && cityId === null) {
        throw new ApiError('auth.forbidden', 'a city-scoped grant keeps its sites in its city');
      }
      return;
    }
    if (!(await hierarchy.city(scopeOf(identity), cityId))) {
      throw new ApiError('city.not_found', 'no city with this id in your scope', {
        errors: [{ path: 'cityId', message: 'no such city in your scope' }],
      });
    }
  };
  const duplicateName = (error: unknown) =>
    isUniqueViolation(error)
      ? new ApiError('resource.conflict', 'a city with this name already exists', {
          errors: [{ path: 'name', message: 'already used by another city' }],
          cause: error,
        })
      : error;

  app.openapi(createCityRoute, async (c) => {
    const identity = admin(c, 'create cities');
    requireTenantWide(identity, 'create cities');
    const city = await hierarchy.createCity(identity.tenantId, c.req.valid('json')).catch((e: unknown) => {
      throw duplicateName(e);
    });
    await audit.record({
      actor: auditActor(c, identity),
      action: 'city.created',
      target: { type: 'city', id: city.id },
      details: { name: city.name, countryCode: city.countryCode },
    });
    return c.json(city, 201);
  });

  app.openapi(updateCityRoute, async (c) => {
    const identity = admin(c, 'change cities');
    if (identity.siteId !== null)
      throw new ApiError('auth.forbidden', 'a site-scoped grant cannot change cities');
    const patch = c.req.valid('json');
    const city = await hierarchy
      .updateCity(scopeOf(identity), c.req.valid('param').id, patch)
      .catch((e: unknown) => {
        throw duplicateName(e);
      });
    if (!city) throw new ApiError('city.not_found', 'no city with this id in your scope');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'city.updated',
      target: { type: 'city', id: city.id },
      details: { changed: patch },
    });
    return c.json(city, 200);
  });

  app.openapi(deleteCityRoute, async (c) => {
    const identity = admin(c, 'delete cities');
    if (identity.siteId !== null)
      throw new ApiError('auth.forbidden', 'a site-scoped grant cannot delete cities');
    const id = c.req.valid('param').id;
    const outcome = await hierarchy.deleteCity(scopeOf(identity), id);
    if (outcome === 'not_found') throw new ApiError('city.not_found', 'no city with this id in your scope');
    if (outcome === 'in_use')
      throw new ApiError('resource.in_use', 'the city still has sites: move or delete them first');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'city.deleted',
      target: { type: 'city', id },
      details: {},
    });
    return c.body(null, 204);
  });

  // Registered before /api/sites/{id} so the literal path wins.
  app.openapi(authorizationRoute, async (c) => {
    const identity = admin(c, 'read the NATS authorization block');
    requireTenantWide(identity, 'read the NATS authorization block');
    const rows = await hierarchy.credentials(identity.tenantId);
    const withCredentials = rows.flatMap((r) =>
      r.natsUser !== null && r.passwordHash !== null
        ? [{ code: r.code, natsUser: r.natsUser, passwordHash: r.passwordHash }]
        : [],
    );
    return c.json(
      {
        config: renderAuthorization(withCredentials),
        sites: withCredentials.length,
        sitesWithoutCredentials: rows.filter((r) => r.natsUser === null).map((r) => r.code),
      },
      200,
    );
  });

  app.openapi(getSiteRoute, async (c) => {
    const site = await hierarchy.site(scopeOf(requireIdentity(c)), c.req.valid('param').id);
    if (!site) throw new ApiError('site.not_found', 'no site with this id in your scope');
    return c.json(site, 200);
  });

  app.openapi(createSiteRoute, async (c) => {
    const identity = admin(c, 'create sites');
    if (identity.siteId !== null) {
      throw new ApiError('auth.forbidden', 'a grant limited to one site cannot create sites');
    }
    const b = c.req.valid('json');
    await checkCity(identity, b.cityId);
    if (identity.cityId !== null && b.cityId !== identity.cityId) {
      throw new ApiError('auth.forbidden', 'a city-scoped grant creates sites in its own city only');
    }
    const credentials = await newEdgeCredentials(b.code);
    const site = await hierarchy.createSite(identity.tenantId, b, credentials).catch((e: unknown) => {
      if (!isUniqueViolation(e)) throw e;
      // Site codes are global: they name NATS subjects and buckets shared by every tenant.
      throw new ApiError('resource.conflict', 'a site with this code already exists', {
        errors: [{ path: 'code', message: 'already used by another site' }],
        cause: e,
      });
    });
    await audit.record({
      actor: auditActor(c, identity),
      action: 'site.created',
      target: { type: 'site', id: site.id },
      details: { code: site.code, name: site.name, natsUser: credentials.natsUser },
    });
    await deps.push.sites([site.id]);
    return c.json(
      { site, credentials: { natsUser: credentials.natsUser, natsPassword: credentials.natsPassword } },
      201,
    );
  });

  app.openapi(updateSiteRoute, async (c) => {
    const identity = admin(c, 'change sites');
    const patch = c.req.valid('json');
    if (patch.cityId !== undefined) await checkCity(identity, patch.cityId);
    const site = await hierarchy.updateSite(scopeOf(identity), c.req.valid('param').id, patch);
    if (!site) throw new ApiError('site.not_found', 'no site with this id in your scope');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'site.updated',
      target: { type: 'site', id: site.id },
      details: { code: site.code, changed: patch },
    });
    if (patch.policy !== undefined) await deps.push.sites([site.id], [siteConfigKeys.policy]);
    return c.json(site, 200);
  });

  app.openapi(deleteSiteRoute, async (c) => {
    const identity = admin(c, 'delete sites');
    const id = c.req.valid('param').id;
    const site = await hierarchy.site(scopeOf(identity), id);
    const outcome = await hierarchy.deleteSite(scopeOf(identity), id);
    if (outcome === 'not_found' || !site)
      throw new ApiError('site.not_found', 'no site with this id in your scope');
    if (outcome === 'in_use')
      throw new ApiError('resource.in_use', 'the site still has stations: move or delete them first');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'site.deleted',
      target: { type: 'site', id },
      details: { code: site.code },
    });
    return c.body(null, 204);
  });

  app.openapi(rotateCredentialsRoute, async (c) => {
    const identity = admin(c, "rotate an edge agent's credentials");
    const site = await hierarchy.site(scopeOf(identity), c.req.valid('param').id);
    if (!site) throw new ApiError('site.not_found', 'no site with this id in your scope');
    const credentials = await newEdgeCredentials(site.code);
    await hierarchy.setCredentials(
      scopeOf(identity),
      site.id,
      credentials.natsUser,
      credentials.passwordHash,
    );
    await audit.record({
      actor: auditActor(c, identity),
      action: 'site.credentials_rotated',
      target: { type: 'site', id: site.id },
      details: { code: site.code, natsUser: credentials.natsUser },
    });
    return c.json({ natsUser: credentials.natsUser, natsPassword: credentials.natsPassword }, 200);
  });
}
