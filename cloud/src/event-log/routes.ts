/**
 * GET /api/events (a page), /api/events/counts (per hour or day and category, for the chart) and
 * /api/events.csv (every matching entry, streamed). Readable by every role, within the caller's
 * tenant and grant; the time range defaults to the last 7 days and may span at most 93.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../api/env.js';
import { requireIdentity } from '../api/middleware.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import type { Logger } from '../observability/logger.js';
import type { Scope } from '../stations/queries.js';
import { csvStream } from '../api/csv.js';
import { CSV_COLUMNS, csvRow } from './csv.js';
import { EVENT_CATEGORIES, type EventCategory } from './entries.js';
import type { After, EventLogFilter, EventLogQueries } from './queries.js';
import { EventLogCounts, EventLogFilterQuery, EventLogPage, EventLogQuery } from './schemas.js';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 7;
export const MAX_RANGE_DAYS = 93;
/** Ranges up to this many days are counted per hour, longer ones per day. */
const HOURLY_UP_TO_DAYS = 14;
const CSV_CHUNK = 1000;

export interface EventLogRouteDeps {
  events: EventLogQueries;
  log?: Logger;
  now?: () => number;
}

const errors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['events'],
  summary: 'Station event log: events, commands and incidents, newest first',
  security: cookieAuth,
  request: { query: EventLogQuery },
  responses: { 200: json(EventLogPage, 'A page of the event log'), ...errors },
});

const countsRoute = createRoute({
  method: 'get',
  path: '/api/events/counts',
  tags: ['events'],
  summary: 'Event log entries per hour (or day) and category',
  security: cookieAuth,
  request: { query: EventLogFilterQuery },
  responses: { 200: json(EventLogCounts, 'Counts per bucket and category'), ...errors },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/api/events.csv',
  tags: ['events'],
  summary: 'The event log as CSV (UTF-8 with BOM), same filters as /api/events, newest first',
  security: cookieAuth,
  request: { query: EventLogFilterQuery },
  responses: {
    200: {
      description: 'CSV with a header row',
      content: { 'text/csv': { schema: { type: 'string' as const } } },
    },
    ...errors,
  },
});

type FilterQuery = {
  stationId?: string | undefined;
  siteId?: string | undefined;
  type?: EventLogFilter['type'];
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
};

const invalid = (path: string, message: string) =>
  new ApiError('request.invalid', message, { errors: [{ path, message }] });

function categories(value: string | undefined): EventCategory[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const list = value.split(',').map((s) => s.trim());
  const unknown = list.filter((c) => !(EVENT_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw invalid('category', `unknown categories ${unknown.join(', ')}; use ${EVENT_CATEGORIES.join(', ')}`);
  return list as EventCategory[];
}

export function eventLogFilter(q: FilterQuery, nowMs: number): EventLogFilter {
  const toMs = q.to !== undefined ? Date.parse(q.to) : nowMs;
  const fromMs = q.from !== undefined ? Date.parse(q.from) : toMs - DEFAULT_RANGE_DAYS * DAY_MS;
  if (fromMs >= toMs) throw invalid('from', '`from` must be before `to`');
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS)
    throw invalid('from', `the range may span at most ${MAX_RANGE_DAYS} days: choose a later \`from\``);
  return {
    fromMs,
    toMs,
    stationId: q.stationId,
    siteId: q.siteId,
    type: q.type,
    category: categories(q.category),
    q: q.q,
  };
}

const span = (f: EventLogFilter) => ({
  from: new Date(f.fromMs).toISOString(),
  to: new Date(f.toMs).toISOString(),
});

/** The entries of the filter in chunks, newest first (keyset paging on time and id). */
async function* chunks(deps: EventLogRouteDeps, scope: Scope, f: EventLogFilter) {
  let after: After | null = null;
  for (;;) {
    const rows = await deps.events.chunk(scope, f, after, CSV_CHUNK);
    if (rows.length > 0) {
      yield rows;
      const last = rows.at(-1)!;
      after = { at: new Date(last.at), id: last.id };
    }
    if (rows.length < CSV_CHUNK) return;
  }
}

export function eventLogRoutes(deps: EventLogRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const now = deps.now ?? Date.now;

  app.openapi(listRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const q = c.req.valid('query');
    const f = eventLogFilter(q, now());
    const page = await deps.events.list(scope, f, { limit: q.limit, offset: q.offset });
    return c.json({ ...page, limit: q.limit, offset: q.offset, ...span(f) }, 200);
  });

  app.openapi(countsRoute, async (c) => {
    const scope = scopeOf(requireIdentity(c));
    const f = eventLogFilter(c.req.valid('query'), now());
    const bucket: 'hour' | 'day' = f.toMs - f.fromMs <= HOURLY_UP_TO_DAYS * DAY_MS ? 'hour' : 'day';
    return c.json({ bucket, ...span(f), points: await deps.events.counts(scope, f, bucket) }, 200);
  });

  app.openapi(csvRoute, (c) => {
    const scope = scopeOf(requireIdentity(c));
    const f = eventLogFilter(c.req.valid('query'), now());
    const stamp = new Date(f.toMs).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const body = csvStream(CSV_COLUMNS, chunks(deps, scope, f), csvRow, (error) =>
      deps.log?.error({ err: error }, 'event log export failed'),
    );
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="voltmesh-events-${stamp}.csv"`,
      'cache-control': 'no-store',
    });
  });
}
