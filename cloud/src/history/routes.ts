/**
 * /api/history/* and /api/stations/:id/{meter,timeline,sessions}: reads scoped to the caller's
 * tenant (and site or city grant). Ranges default per endpoint; a range that is backwards or would
 * produce more than MAX_BUCKETS points is `request.invalid`.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../api/env.js';
import { requireIdentity } from '../api/middleware.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import type { Scope, StationQueries } from '../stations/queries.js';
import { BUCKETS, bucketForRange, keptBucket, type Bucket } from './buckets.js';
import type { HistoryQueries, Range } from './queries.js';
import {
  EnergyHistory,
  EnergyQuery,
  FleetQuery,
  FleetStatus,
  MeterHistory,
  PowerHistory,
  PowerQuery,
  RangeQuery,
  SessionPage,
  SessionPageQuery,
  StationParam,
  Timeline,
} from './schemas.js';

export const MAX_BUCKETS = 10_000;
const HOUR_MS = 3_600_000;

export interface HistoryRouteDeps {
  history: HistoryQueries;
  stations: Pick<StationQueries, 'visible'>;
  now?: () => number;
}

const errors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  404: problem('station.not_found'),
};

const powerRoute = createRoute({
  method: 'get',
  path: '/api/history/power',
  tags: ['history'],
  summary: 'Average power and energy per bucket for the tenant, a site or a station',
  security: cookieAuth,
  request: { query: PowerQuery },
  responses: { 200: json(PowerHistory, 'Power history'), ...errors },
});

const energyRoute = createRoute({
  method: 'get',
  path: '/api/history/energy',
  tags: ['history'],
  summary: 'Energy per station, site or id token per bucket',
  security: cookieAuth,
  request: { query: EnergyQuery },
  responses: { 200: json(EnergyHistory, 'Energy history'), ...errors },
});

const fleetRoute = createRoute({
  method: 'get',
  path: '/api/history/fleet-status',
  tags: ['history'],
  summary: 'Stations online, charging, faulted and offline at the end of each bucket',
  security: cookieAuth,
  request: { query: FleetQuery },
  responses: { 200: json(FleetStatus, 'Fleet status history'), ...errors },
});

const meterRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/meter',
  tags: ['history'],
  summary: 'Meter values of one station (power, voltage, current, state of charge)',
  security: cookieAuth,
  request: { params: StationParam, query: RangeQuery },
  responses: { 200: json(MeterHistory, 'Meter values'), ...errors },
});

const timelineRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/timeline',
  tags: ['history'],
  summary: 'Connector status segments of one station',
  security: cookieAuth,
  request: { params: StationParam, query: RangeQuery },
  responses: { 200: json(Timeline, 'Status timeline'), ...errors },
});

const sessionsRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/sessions',
  tags: ['history'],
  summary: 'Charging sessions of one station, newest first',
  security: cookieAuth,
  request: { params: StationParam, query: SessionPageQuery },
  responses: { 200: json(SessionPage, 'Sessions'), ...errors },
});

function range(
  q: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  spanMs: number,
): Range {
  const toMs = q.to !== undefined ? Date.parse(q.to) : nowMs;
  const fromMs = q.from !== undefined ? Date.parse(q.from) : toMs - spanMs;
  if (fromMs >= toMs)
    throw new ApiError('request.invalid', '`from` must be before `to`', {
      errors: [{ path: 'from', message: 'must be before `to`' }],
    });
  return { fromMs, toMs };
}

/** The bucket asked for (or chosen from the range), coarser when its rollup no longer holds `from`. */
function bucketFor(r: Range, asked: Bucket | undefined, nowMs: number): Bucket {
  const bucket = keptBucket(asked ?? bucketForRange(r.fromMs, r.toMs), r.fromMs, nowMs);
  if ((r.toMs - r.fromMs) / BUCKETS[bucket].ms > MAX_BUCKETS)
    throw new ApiError(
      'request.invalid',
      `more than ${MAX_BUCKETS} buckets: use a shorter range or a wider bucket`,
      {
        errors: [{ path: 'bucket', message: `too many ${bucket} buckets for this range` }],
      },
    );
  return bucket;
}

const span = (r: Range) => ({ from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString() });

export function historyRoutes(deps: HistoryRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const now = deps.now ?? Date.now;
  const station = async (scope: Scope, id: string) => {
    if (!(await deps.stations.visible(scope, id)))
      throw new ApiError('station.not_found', 'no station with this id in your tenant');
    return id;
  };

  app.openapi(powerRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const q = c.req.valid('query');
    const r = range(q, now(), 24 * HOUR_MS);
    const bucket = bucketFor(r, q.bucket, now());
    const points = await deps.history.power(scope, {
      ...r,
      bucket,
      stationId: q.stationId ?? null,
      siteId: q.siteId ?? null,
    });
    return c.json({ bucket, ...span(r), points }, 200);
  });

  app.openapi(energyRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const q = c.req.valid('query');
    const r = range(q, now(), 30 * 24 * HOUR_MS);
    const bucket = bucketFor(r, q.bucket, now());
    return c.json(
      { bucket, rows: await deps.history.energy(scope, { ...r, bucket, groupBy: q.groupBy }) },
      200,
    );
  });

  app.openapi(fleetRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const q = c.req.valid('query');
    const r = range(q, now(), 24 * HOUR_MS);
    // Fleet status reads events, not rollups: any bucket is available for any range.
    const bucket = q.bucket ?? bucketForRange(r.fromMs, r.toMs);
    if ((r.toMs - r.fromMs) / BUCKETS[bucket].ms > MAX_BUCKETS)
      throw new ApiError('request.invalid', `more than ${MAX_BUCKETS} buckets`, {
        errors: [{ path: 'bucket', message: `too many ${bucket} buckets for this range` }],
      });
    return c.json({ bucket, points: await deps.history.fleetStatus(scope, { ...r, bucket }) }, 200);
  });

  app.openapi(meterRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const id = await station(scope, c.req.valid('param').id);
    const r = range(c.req.valid('query'), now(), HOUR_MS);
    return c.json({ points: await deps.history.meter(scope, id, r) }, 200);
  });

  app.openapi(timelineRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const id = await station(scope, c.req.valid('param').id);
    const r = range(c.req.valid('query'), now(), 24 * HOUR_MS);
    return c.json({ segments: await deps.history.timeline(scope, id, r) }, 200);
  });

  app.openapi(sessionsRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const id = await station(scope, c.req.valid('param').id);
    return c.json(await deps.history.sessions(scope, id, c.req.valid('query')), 200);
  });
}
