/**
 * /api/stations, /api/sites, /api/cities and /api/live/snapshot: reads scoped to the caller's tenant;
 * and the station writes (register, change, delete, connectors, password rotation), each of which
 * re-publishes the site's configuration so the edge agent accepts or refuses the station at once.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { siteConfigKeys } from '@voltmesh/contract';
import type { Context } from 'hono';
import { auditActor, requireRole, STATION_WRITE_ROLES } from '../../resources/permissions.js';
import {
  ConnectorsBody,
  StationBody,
  StationPassword,
  StationPatch,
  StationSaved,
  StationSettings,
} from '../../resources/schemas.js';
import { isUniqueViolation } from '../../resources/sql.js';
import { hashStationPassword, needsPassword, newStationPassword } from '../../resources/station-password.js';
import type { StationUpdate } from '../../resources/station-store.js';
import type { Scope } from '../../stations/queries.js';
import type { ResourceRouteDeps } from './resources.js';
import type { StationQueries } from '../../stations/queries.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { SiteItems } from '../../resources/schemas.js';
import { CityList, Snapshot, StationDetail, StationList, StationListQuery } from '../schemas.js';
import { cookieAuth, json, problem, scopeOf } from './common.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/stations',
  tags: ['stations'],
  summary: 'Stations of the tenant, filtered, searched and paged',
  security: cookieAuth,
  request: { query: StationListQuery },
  responses: {
    200: json(StationList, 'A page of stations'),
    400: problem('Invalid query'),
    401: problem('auth.required'),
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}',
  tags: ['stations'],
  summary: 'One station with its recent events',
  security: cookieAuth,
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: {
    200: json(StationDetail, 'The station'),
    401: problem('auth.required'),
    404: problem('station.not_found'),
  },
});

const sitesRoute = createRoute({
  method: 'get',
  path: '/api/sites',
  tags: ['stations'],
  summary: 'Sites of the tenant',
  security: cookieAuth,
  responses: {
    200: json(SiteItems, 'Sites with station counts, policy and edge credential state'),
    401: problem('auth.required'),
  },
});

const citiesRoute = createRoute({
  method: 'get',
  path: '/api/cities',
  tags: ['stations'],
  summary: 'Cities of the tenant',
  security: cookieAuth,
  responses: { 200: json(CityList, 'Cities'), 401: problem('auth.required') },
});

const snapshotRoute = createRoute({
  method: 'get',
  path: '/api/live/snapshot',
  tags: ['live'],
  summary: 'Every station and the KPIs now; Socket.IO updates follow from here',
  security: cookieAuth,
  responses: { 200: json(Snapshot, 'Snapshot'), 401: problem('auth.required') },
});

export function stationRoutes(stations: StationQueries, app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const f = c.req.valid('query');
    const page = await stations.list(scope, f);
    return c.json({ ...page, limit: f.limit, offset: f.offset }, 200);
  });

  app.openapi(detailRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const station = await stations.detail(scope, c.req.valid('param').id);
    if (!station) throw new ApiError('station.not_found', 'no station with this id in your tenant');
    return c.json(station, 200);
  });

  app.openapi(sitesRoute, async (c) =>
    c.json({ items: await stations.sites(scopeOf(requireIdentity(c))) }, 200),
  );
  app.openapi(citiesRoute, async (c) =>
    c.json({ items: await stations.cities(scopeOf(requireIdentity(c))) }, 200),
  );

  app.openapi(snapshotRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const at = new Date().toISOString();
    const [all, kpis] = await Promise.all([stations.all(scope), stations.kpis(scope)]);
    return c.json({ at, stations: all, kpis }, 200);
  });
}

// ---- writes: POST /api/stations, PATCH/DELETE /api/stations/{id}, connectors, password

const stationParam = z.object({ id: z.string().max(64) });
const jsonBody = <T>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const writeErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden or auth.csrf_failed'),
};

const settingsRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/settings',
  tags: ['stations'],
  summary: 'What an operator set on the station: site, identity, security profile, connectors',
  security: cookieAuth,
  request: { params: stationParam },
  responses: {
    200: json(StationSettings, 'The settings'),
    401: problem('auth.required'),
    404: problem('station.not_found'),
  },
});
const createStationRoute = createRoute({
  method: 'post',
  path: '/api/stations',
  tags: ['stations'],
  summary: 'Register a station; for security profiles 1 and 2 the answer holds its password, shown once',
  security: cookieAuth,
  request: jsonBody(StationBody),
  responses: {
    201: json(StationSaved, 'The station (and its new password)'),
    ...writeErrors,
    404: problem('site.not_found'),
    409: problem('resource.conflict: the identity exists at the site'),
  },
});
const updateStationRoute = createRoute({
  method: 'patch',
  path: '/api/stations/{id}',
  tags: ['stations'],
  summary: 'Change, place, approve, enable or move a station',
  security: cookieAuth,
  request: { params: stationParam, ...jsonBody(StationPatch) },
  responses: {
    200: json(StationSaved, 'The station (and a password when one had to be generated)'),
    ...writeErrors,
    404: problem('station.not_found or site.not_found'),
    409: problem('resource.conflict'),
  },
});
const deleteStationRoute = createRoute({
  method: 'delete',
  path: '/api/stations/{id}',
  tags: ['stations'],
  summary: 'Delete a station that never had a session (disable it otherwise)',
  security: cookieAuth,
  request: { params: stationParam },
  responses: {
    204: { description: 'Deleted' },
    ...writeErrors,
    404: problem('station.not_found'),
    409: problem('resource.in_use'),
  },
});
const connectorsRoute = createRoute({
  method: 'put',
  path: '/api/stations/{id}/connectors',
  tags: ['stations'],
  summary: "Replace the station's EVSEs and connectors (type, max power)",
  security: cookieAuth,
  request: { params: stationParam, ...jsonBody(ConnectorsBody) },
  responses: { 200: json(StationSettings, 'The station'), ...writeErrors, 404: problem('station.not_found') },
});
const passwordRoute = createRoute({
  method: 'post',
  path: '/api/stations/{id}/password',
  tags: ['stations'],
  summary: 'Generate a new Basic-auth password (shown once); the edge gets only its argon2id hash',
  security: cookieAuth,
  request: { params: stationParam },
  responses: {
    200: json(StationPassword, 'The new password'),
    ...writeErrors,
    404: problem('station.not_found'),
    409: problem('resource.conflict: the security profile uses no password'),
  },
});

export function stationWriteRoutes(deps: ResourceRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { stations, hierarchy, audit } = deps;
  const writer = (c: Context<AppEnv>, what: string) => requireRole(c, STATION_WRITE_ROLES, what);
  const settingsOf = async (scope: Scope, id: string) => {
    const station = await stations.settings(scope, id);
    if (!station) throw new ApiError('station.not_found', 'no station with this id in your scope');
    return station;
  };
  const siteInScope = async (scope: Scope, siteId: string) => {
    if (!(await hierarchy.site(scope, siteId))) {
      throw new ApiError('site.not_found', 'no site with this id in your scope', {
        errors: [{ path: 'siteId', message: 'no such site in your scope' }],
      });
    }
  };
  const duplicateIdentity = (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError('resource.conflict', 'a station with this identity already exists at the site', {
      errors: [{ path: 'identity', message: 'already used at this site' }],
      cause: error,
    });
  };

  app.openapi(settingsRoute, async (c) =>
    c.json(await settingsOf(scopeOf(requireIdentity(c)), c.req.valid('param').id), 200),
  );

  app.openapi(createStationRoute, async (c) => {
    const identity = writer(c, 'register stations');
    const scope = scopeOf(identity);
    const b = c.req.valid('json');
    await siteInScope(scope, b.siteId);
    const password = needsPassword(b.securityProfile) ? newStationPassword() : null;
    const id = await stations
      .create(identity.tenantId, b, password === null ? null : await hashStationPassword(password))
      .catch(duplicateIdentity);
    const station = await settingsOf(scope, id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'station.created',
      target: { type: 'station', id },
      details: {
        identity: station.identity,
        siteCode: station.siteCode,
        securityProfile: station.securityProfile,
        connectors: station.connectors.length,
      },
    });
    await deps.push.sites([station.siteId], [siteConfigKeys.station(station.identity)]);
    return c.json({ station, password }, 201);
  });

  app.openapi(updateStationRoute, async (c) => {
    const identity = writer(c, 'change stations');
    const scope = scopeOf(identity);
    const before = await settingsOf(scope, c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.siteId !== undefined && patch.siteId !== before.siteId) await siteInScope(scope, patch.siteId);
    const { approved, ...fields } = patch;
    const update: StationUpdate = { ...fields };
    const lat = patch.lat === undefined ? before.lat : patch.lat;
    const lon = patch.lon === undefined ? before.lon : patch.lon;
    // Coordinates place an auto-registered station on the map.
    if (patch.lat !== undefined || patch.lon !== undefined) update.unplaced = lat === null || lon === null;
    if (approved) {
      update.approved = true;
      // An auto-registered station connected without credentials: approval gives it Basic auth.
      if (before.securityProfile === 0 && patch.securityProfile === undefined) update.securityProfile = 1;
    }
    const profile = update.securityProfile ?? before.securityProfile;
    let password: string | null = null;
    if (needsPassword(profile) && !before.hasPassword) {
      password = newStationPassword();
      update.passwordHash = await hashStationPassword(password);
    }
    await stations.update(scope, before.id, update).catch(duplicateIdentity);
    const station = await settingsOf(scope, before.id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'station.updated',
      target: { type: 'station', id: station.id },
      details: { identity: station.identity, changed: patch, passwordGenerated: password !== null },
    });
    await deps.push.sites([before.siteId, station.siteId], [siteConfigKeys.station(station.identity)]);
    return c.json({ station, password }, 200);
  });

  app.openapi(deleteStationRoute, async (c) => {
    const identity = writer(c, 'delete stations');
    const scope = scopeOf(identity);
    const station = await settingsOf(scope, c.req.valid('param').id);
    // Sessions cascade with their station: the ledger must not lose them.
    if (await stations.hasSessions(station.id)) {
      throw new ApiError('resource.in_use', 'the station has sessions on record: disable it instead');
    }
    await stations.delete(scope, station.id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'station.deleted',
      target: { type: 'station', id: station.id },
      details: { identity: station.identity, siteCode: station.siteCode },
    });
    await deps.push.sites([station.siteId], [siteConfigKeys.station(station.identity)]);
    return c.body(null, 204);
  });

  app.openapi(connectorsRoute, async (c) => {
    const identity = writer(c, 'change connectors');
    const scope = scopeOf(identity);
    const before = await settingsOf(scope, c.req.valid('param').id);
    const { connectors } = c.req.valid('json');
    await stations.replaceConnectors(before.id, connectors);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'station.connectors_replaced',
      target: { type: 'station', id: before.id },
      details: { identity: before.identity, connectors },
    });
    return c.json(await settingsOf(scope, before.id), 200);
  });

  app.openapi(passwordRoute, async (c) => {
    const identity = writer(c, 'rotate station passwords');
    const scope = scopeOf(identity);
    const station = await settingsOf(scope, c.req.valid('param').id);
    if (!needsPassword(station.securityProfile)) {
      throw new ApiError(
        'resource.conflict',
        `security profile ${station.securityProfile} uses no password: set profile 1 or 2 first`,
      );
    }
    const password = newStationPassword();
    await stations.update(scope, station.id, { passwordHash: await hashStationPassword(password) });
    await audit.record({
      actor: auditActor(c, identity),
      action: 'station.password_rotated',
      target: { type: 'station', id: station.id },
      details: { identity: station.identity, siteCode: station.siteCode },
    });
    await deps.push.sites([station.siteId], [siteConfigKeys.station(station.identity)]);
    return c.json({ password }, 200);
  });
}
