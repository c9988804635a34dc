/**
 * The HTTP application: middleware, routes, OpenAPI document and the one error boundary that turns
 * every failure into application/problem+json. No port is opened here (tests use `app.request()`).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Registry } from 'prom-client';
import type { AuditLog } from '../audit/audit-log.js';
import type { SessionQueries } from '../billing/session-queries.js';
import { sessionRoutes } from '../billing/session-routes.js';
import { tariffRoutes } from '../billing/tariff-routes.js';
import type { TariffStore } from '../billing/tariff-store.js';
import type { EventLogQueries } from '../event-log/queries.js';
import { eventLogRoutes } from '../event-log/routes.js';
import type { HistoryQueries } from '../history/queries.js';
import { ledgerRoutes, type LedgerRouteDeps } from '../ledger/routes.js';
import { reportRoutes, type ReportRouteDeps } from '../reports/routes.js';
import { historyRoutes } from '../history/routes.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import type { Logger } from '../observability/logger.js';
import type { StationQueries } from '../stations/queries.js';
import type { AppEnv } from './env.js';
import { csrfProtection, loadSession, requestLogger } from './middleware.js';
import { ApiError, problemBody } from './problem.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes, type AuthRouteDeps } from './routes/auth.js';
import { commandRoutes, type CommandRouteDeps } from './routes/commands.js';
import { opsRoutes, type HealthChecks } from './routes/ops.js';
import { settingsRoutes, type UiSettings } from './routes/settings.js';
import { staticRoutes } from './routes/static.js';
import { stationRoutes, stationWriteRoutes } from './routes/stations.js';
import { resourceRoutes, type ResourceRouteDeps } from './routes/resources.js';
import { tokenRoutesOf } from './routes/tokens.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { userRoutes } from './routes/users.js';
import { alertRoutes, type AlertRouteDeps } from '../alerts/routes.js';

export interface AppDeps {
  log: Logger;
  auth: AuthRouteDeps;
  stations: StationQueries;
  /** Remote commands and the audit log; apps built without them (narrow route tests) lack those routes. */
  commands?: CommandRouteDeps;
  audit?: AuditLog;
  /** History and analytics reads (/api/history/*, station meter/timeline/sessions). */
  history?: HistoryQueries;
  /** The station event log (/api/events, /api/events/counts, /api/events.csv). */
  eventLog?: EventLogQueries;
  /** The transaction ledger (/api/ledger*); absent in narrow route tests. */
  ledger?: LedgerRouteDeps;
  /** Consumption reports and analytics (/api/reports/*); absent in narrow route tests. */
  reports?: ReportRouteDeps;
  ops: { health: HealthChecks; registry: Registry };
  /** /api/settings/*; apps built without it (narrow route tests) lack those routes. */
  settings?: UiSettings;
  /** Writes of cities, sites, stations, connectors and RFID tokens; absent in narrow route tests. */
  resources?: ResourceRouteDeps;
  /** Alert rules, incidents, on-call groups, recipients and notifications; absent in narrow route tests. */
  alerts?: AlertRouteDeps;
  /** Tariffs and sessions (/api/tariffs, /api/tariff-assignments, /api/sessions); absent in narrow route tests. */
  billing?: { tariffs: TariffStore; sessions: SessionQueries; audit: AuditLog };
  webDistDir: string | null;
}

export type App = OpenAPIHono<AppEnv>;

export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError('request.invalid', 'the request does not match the schema', {
          errors: result.error.issues.map((i) => ({
            path: i.path.join('.') || '(root)',
            message: i.message,
          })),
        });
      }
    },
  });

  app.use('*', requestLogger(deps.log));
  app.use('/api/*', loadSession(deps.auth.sessions, deps.auth.apiTokens));
  app.use('/api/*', csrfProtection({ exempt: ['/api/auth/login'] }));

  authRoutes(deps.auth, app);
  stationRoutes(deps.stations, app);
  if (deps.commands) commandRoutes(deps.commands, app);
  if (deps.audit) auditRoutes(deps.audit, app);
  if (deps.history) historyRoutes({ history: deps.history, stations: deps.stations }, app);
  if (deps.eventLog) eventLogRoutes({ events: deps.eventLog, log: deps.log }, app);
  if (deps.settings) settingsRoutes(deps.settings, app);
  if (deps.ledger) ledgerRoutes(deps.ledger, app);
  if (deps.reports) reportRoutes(deps.reports, app);
  if (deps.resources) {
    resourceRoutes(deps.resources, app);
    stationWriteRoutes(deps.resources, app);
    tokenRoutesOf(deps.resources, app);
  }
  // Accounts: users and grants, API tokens (their deps ride on `auth`).
  if (deps.auth.accounts) userRoutes(deps.auth.accounts, app);
  if (deps.alerts) alertRoutes(deps.alerts, app);
  if (deps.auth.apiTokens && deps.audit)
    apiTokenRoutes(
      { apiTokens: deps.auth.apiTokens, audit: deps.audit, sessionEnded: deps.auth.sessionEnded },
      app,
    );
  if (deps.billing) {
    tariffRoutes(deps.billing, app);
    sessionRoutes(deps.billing, app);
  }
  opsRoutes(deps.ops, app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'Session cookie from POST /api/auth/login; state-changing calls also need x-csrf-token.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'API token (vmt_…) from POST /api/api-tokens, accepted by every endpoint; scoped like the grant it was made for; no CSRF token needed.',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Voltmesh cloud API', version: '0.1.0' },
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));

  if (deps.webDistDir !== null) staticRoutes(deps.webDistDir, app);

  app.notFound((c) =>
    problemResponse(c, new ApiError('route.not_found', `no endpoint ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) c.get('log')?.error({ err: error }, 'request failed');
    return problemResponse(c, apiError);
  });
  return app;
}

function problemResponse(c: Context, error: ApiError): Response {
  const headers = { 'content-type': 'application/problem+json', ...error.extra.headers };
  return c.body(JSON.stringify(problemBody(error)), error.status as ContentfulStatusCode, headers);
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Hono's validators throw these for unreadable bodies ("Malformed JSON in request body").
    if (error.status === 400) return new ApiError('request.malformed_json', error.message, { cause: error });
    if (error.status === 404) return new ApiError('route.not_found', undefined, { cause: error });
  }
  return new ApiError('internal', 'an unexpected error occurred', { cause: error });
}
