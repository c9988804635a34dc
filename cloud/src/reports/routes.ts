/**
 * /api/reports/*: consumption by token, holder, group, company, station or site (JSON page and a
 * streamed CSV of the sessions), energy per day/week/month, revenue, peak hours, utilisation with
 * idle time, and uptime per EVSE. Admins, operators and analysts read; periods default to the
 * current month and span at most MAX_REPORT_DAYS (else 400 `report.range_invalid`).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import type { Role } from '../auth/roles.js';
import { sumAmounts } from '../ledger/money.js';
import { requireRole } from '../resources/permissions.js';
import { CSV_CONTENT_TYPE, csvCell, csvLine, csvStream } from '../api/csv.js';
import { resolvePeriod } from './period.js';
import type { ReportQueries, SessionLine } from './queries.js';
import {
  ConsumptionCsvQuery,
  ConsumptionQuery,
  ConsumptionReport,
  EnergySeries,
  PeakHours,
  PeakQuery,
  RevenueQuery,
  RevenueSeries,
  SeriesQuery,
  UptimeQuery,
  UptimeReport,
  UtilisationQuery,
  UtilisationReport,
} from './schemas.js';

export const REPORT_READ_ROLES: readonly Role[] = ['admin', 'operator', 'analyst'];
export const MAX_REPORT_DAYS = 400;
/** Status sweeps (utilisation, uptime) read every state event of the period: a shorter bound. */
export const MAX_STATUS_REPORT_DAYS = 93;

export interface ReportRouteDeps {
  reports: ReportQueries;
  now?: () => number;
}

const errors = {
  400: problem('request.invalid or report.range_invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
const consumptionRoute = createRoute({
  method: 'get',
  path: '/api/reports/consumption',
  tags: ['reports'],
  summary: 'Energy and sessions per token, holder, group, company, station or site over a period',
  security: cookieAuth,
  request: { query: ConsumptionQuery },
  responses: {
    200: json(
      ConsumptionReport,
      'Energy and sessions per token, holder, group, company, station or site over a period',
    ),
    ...errors,
  },
});
const consumptionCsvRoute = createRoute({
  method: 'get',
  path: '/api/reports/consumption.csv',
  tags: ['reports'],
  summary: 'Every session of the period with its token, holder and energy, as CSV (UTF-8 with BOM), streamed',
  security: cookieAuth,
  request: { query: ConsumptionCsvQuery },
  responses: { 200: { description: 'CSV file', content: { 'text/csv': { schema: z.string() } } }, ...errors },
});
const energyRoute = createRoute({
  method: 'get',
  path: '/api/reports/energy',
  tags: ['reports'],
  summary: 'Energy per day, week or month',
  security: cookieAuth,
  request: { query: SeriesQuery },
  responses: { 200: json(EnergySeries, 'Energy per day, week or month'), ...errors },
});
const revenueRoute = createRoute({
  method: 'get',
  path: '/api/reports/revenue',
  tags: ['reports'],
  summary: 'Revenue (session charges minus refunds) per day, week or month and currency',
  security: cookieAuth,
  request: { query: RevenueQuery },
  responses: {
    200: json(RevenueSeries, 'Revenue (session charges minus refunds) per day, week or month and currency'),
    ...errors,
  },
});
const peakRoute = createRoute({
  method: 'get',
  path: '/api/reports/peak-hours',
  tags: ['reports'],
  summary: 'Energy per hour of the week (7×24)',
  security: cookieAuth,
  request: { query: PeakQuery },
  responses: { 200: json(PeakHours, 'Energy per hour of the week (7×24)'), ...errors },
});
const utilisationRoute = createRoute({
  method: 'get',
  path: '/api/reports/utilisation',
  tags: ['reports'],
  summary: 'Share of time occupied and idle time per connector, station or site',
  security: cookieAuth,
  request: { query: UtilisationQuery },
  responses: {
    200: json(UtilisationReport, 'Share of time occupied and idle time per connector, station or site'),
    ...errors,
  },
});
const uptimeRoute = createRoute({
  method: 'get',
  path: '/api/reports/uptime',
  tags: ['reports'],
  summary: 'Share of time each EVSE was online and not faulted',
  security: cookieAuth,
  request: { query: UptimeQuery },
  responses: { 200: json(UptimeReport, 'Share of time each EVSE was online and not faulted'), ...errors },
});

/** The period of a report: the current UTC month unless given; forwards and at most `maxDays`. */
export const reportPeriod = resolvePeriod;

export const CONSUMPTION_CSV_HEADER = [
  'session_id',
  'transaction_id',
  'started_at',
  'ended_at',
  'status',
  'site',
  'station',
  'id_token',
  'holder',
  'group',
  'company',
  'energy_kwh',
];
const sessionRow = (s: SessionLine) =>
  csvLine([
    csvCell(s.sessionId),
    csvCell(s.transactionId),
    csvCell(s.startedAt?.toISOString()),
    csvCell(s.endedAt?.toISOString()),
    csvCell(s.status),
    csvCell(s.siteName),
    csvCell(s.stationName),
    csvCell(s.idToken),
    csvCell(s.holderName),
    csvCell(s.groupName),
    csvCell(s.company),
    csvCell((s.energyWh / 1000).toFixed(3), 'number'),
  ]);

/** A page of rows computed whole (the status sweeps): `{ items, total, limit, offset }`. */
const page = <T>(rows: T[], q: { limit: number; offset: number }) => ({
  items: rows.slice(q.offset, q.offset + q.limit),
  total: rows.length,
  limit: q.limit,
  offset: q.offset,
});

export function reportRoutes(deps: ReportRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const now = deps.now ?? Date.now;
  const reader = (c: Context<AppEnv>) => scopeOf(requireRole(c, REPORT_READ_ROLES, 'read reports'));
  const iso = (p: { from: Date; to: Date }) => ({ from: p.from.toISOString(), to: p.to.toISOString() });

  app.openapi(consumptionRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_REPORT_DAYS);
    const page = await deps.reports.consumption(scope, q, period);
    return c.json({ groupBy: q.groupBy, ...iso(period), ...page, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(consumptionCsvRoute, (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_REPORT_DAYS);
    const name = `consumption-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`;
    return c.body(
      csvStream(CONSUMPTION_CSV_HEADER, deps.reports.sessionLines(scope, q, period), sessionRow),
      200,
      {
        'content-type': CSV_CONTENT_TYPE,
        'content-disposition': `attachment; filename="${name}"`,
      },
    );
  });

  app.openapi(energyRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_REPORT_DAYS);
    const points = await deps.reports.energy(scope, q, period);
    return c.json({ interval: q.interval, tz: q.tz, ...iso(period), points }, 200);
  });

  app.openapi(revenueRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_REPORT_DAYS);
    const points = await deps.reports.revenue(scope, q, period);
    const totals = new Map<string, string[]>();
    for (const p of points) totals.set(p.currency, [...(totals.get(p.currency) ?? []), p.revenue]);
    return c.json(
      {
        interval: q.interval,
        tz: q.tz,
        ...iso(period),
        points,
        totals: [...totals].map(([currency, values]) => ({ currency, revenue: sumAmounts(values) })),
      },
      200,
    );
  });

  app.openapi(peakRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_REPORT_DAYS);
    return c.json(
      { tz: q.tz, ...iso(period), energyWh: await deps.reports.peakHours(scope, q, period) },
      200,
    );
  });

  app.openapi(utilisationRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_STATUS_REPORT_DAYS);
    const { idleAvailable, items } = await deps.reports.utilisation(scope, q, period);
    return c.json({ by: q.by, ...iso(period), idleAvailable, ...page(items, q) }, 200);
  });

  app.openapi(uptimeRoute, async (c) => {
    const scope = reader(c);
    const q = c.req.valid('query');
    const period = reportPeriod(q, now(), MAX_STATUS_REPORT_DAYS);
    return c.json({ ...iso(period), ...page(await deps.reports.uptime(scope, q, period), q) }, 200);
  });
}
