/**
 * Charging sessions: GET /api/sessions (filters, paging, sorting), GET /api/sessions/{id} (holder,
 * tariff, final report or running cost), GET /api/sessions/{id}/report.csv and
 * POST /api/sessions/{id}/dispute. Every role reads the sessions of its scope; admins and operators
 * dispute.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../api/env.js';
import { requireIdentity } from '../api/middleware.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Role } from '../auth/roles.js';
import { auditActor, requireRole } from '../resources/permissions.js';
import { IdParam } from '../resources/schemas.js';
import { sessionReportCsv } from './report-csv.js';
import type { SessionQueries } from './session-queries.js';
import { DisputeBody, SessionDetail, SessionList, SessionQuery } from './session-schemas.js';

export const DISPUTE_ROLES: readonly Role[] = ['admin', 'operator'];

export interface SessionRouteDeps {
  sessions: SessionQueries;
  audit: AuditLog;
}

const readErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
const tags = ['sessions'];

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/sessions',
    tags,
    summary: 'Charging sessions in your scope, filtered, sorted and paged',
    security: cookieAuth,
    request: { query: SessionQuery },
    responses: { 200: json(SessionList, 'A page of sessions'), ...readErrors },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/sessions/{id}',
    tags,
    summary: 'One session: holder, tariff, the final report or the running cost',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 200: json(SessionDetail, 'The session'), ...readErrors, 404: problem('session.not_found') },
  }),
  csv: createRoute({
    method: 'get',
    path: '/api/sessions/{id}/report.csv',
    tags,
    summary: 'The final report as CSV (UTF-8 with BOM)',
    security: cookieAuth,
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The report: session facts, then the cost breakdown',
        content: { 'text/csv': { schema: { type: 'string' as const } } },
      },
      ...readErrors,
      404: problem('session.not_found'),
    },
  }),
  dispute: createRoute({
    method: 'post',
    path: '/api/sessions/{id}/dispute',
    tags,
    summary: 'Mark an ended session disputed, with the reason',
    security: cookieAuth,
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: DisputeBody } }, required: true },
    },
    responses: {
      200: json(SessionDetail, 'The session'),
      ...readErrors,
      403: problem('auth.forbidden or auth.csrf_failed'),
      404: problem('session.not_found'),
      409: problem('session.active'),
    },
  }),
};

export function sessionRoutes(deps: SessionRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const notFound = () => new ApiError('session.not_found', 'no session with this id in your scope');

  app.openapi(routes.list, async (c) => {
    const identity = requireIdentity(c);
    const q = c.req.valid('query');
    return c.json(
      { ...(await deps.sessions.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset },
      200,
    );
  });

  app.openapi(routes.get, async (c) => {
    const session = await deps.sessions.detail(scopeOf(requireIdentity(c)), c.req.valid('param').id);
    if (!session) throw notFound();
    return c.json(session, 200);
  });

  app.openapi(routes.csv, async (c) => {
    const session = await deps.sessions.detail(scopeOf(requireIdentity(c)), c.req.valid('param').id);
    if (!session) throw notFound();
    return c.body(sessionReportCsv(session), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="voltmesh-session-${session.id}.csv"`,
    });
  });

  app.openapi(routes.dispute, async (c) => {
    const identity = requireRole(c, DISPUTE_ROLES, 'dispute sessions');
    const id = c.req.valid('param').id;
    const { reason } = c.req.valid('json');
    const scope = scopeOf(identity);
    const outcome = await deps.sessions.dispute(scope, id, identity.userId, reason);
    if (outcome === 'not_found') throw notFound();
    if (outcome === 'active')
      throw new ApiError('session.active', 'a running session cannot be disputed yet');
    await deps.audit.record({
      actor: auditActor(c, identity),
      action: 'session.disputed',
      target: { type: 'session', id },
      details: { reason },
    });
    return c.json((await deps.sessions.detail(scope, id))!, 200);
  });
}
