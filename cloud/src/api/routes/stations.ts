/** /api/stations, /api/sites, /api/cities and /api/live/snapshot: reads scoped to the caller's tenant. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { StationQueries } from '../../stations/queries.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { CityList, SiteList, Snapshot, StationDetail, StationList, StationListQuery } from '../schemas.js';
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
  responses: { 200: json(SiteList, 'Sites'), 401: problem('auth.required') },
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
