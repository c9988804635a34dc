/**
 * Remote commands: POST/GET /api/stations/{id}/commands, GET /api/stations/{id}/active-sessions and
 * the force-stop support tool POST /api/sessions/{id}/force-stop. A command's outcome (also
 * rejected, offline, timeout) is a 200 result, not an HTTP error.
 */
import { createRoute, z, type OpenAPIHono, type RouteConfigToTypedResponse } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Identity } from '../../auth/sessions.js';
import type { RunCommand, CommandActor } from '../../commands/command-service.js';
import type { CommandStore } from '../../commands/command-store.js';
import { ForceStopError, type ForceStop } from '../../commands/force-stop.js';
import { canCommand } from '../../commands/permissions.js';
import {
  ActiveTransactions,
  CommandBody,
  CommandHistory,
  CommandResponse,
  ForceStopBody,
  ForceStopResponse,
  PageQuery,
} from '../../commands/schemas.js';
import type { AppEnv } from '../env.js';
import { clientIp, requireIdentity } from '../middleware.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem, scopeOf } from './common.js';

export interface CommandRouteDeps {
  store: CommandStore;
  run: RunCommand;
  forceStop: ForceStop;
}

const stationParam = z.object({ id: z.string().max(64) });

const sendRoute = createRoute({
  method: 'post',
  path: '/api/stations/{id}/commands',
  tags: ['commands'],
  summary: "Send a command to a station through its site's edge agent and wait for the outcome",
  security: cookieAuth,
  request: {
    params: stationParam,
    body: { content: { 'application/json': { schema: CommandBody } }, required: true },
  },
  responses: {
    200: json(CommandResponse, 'The outcome (accepted, rejected, offline, timeout, ...)'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden or auth.csrf_failed'),
    404: problem('station.not_found'),
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/commands',
  tags: ['commands'],
  summary: 'Commands sent to a station, newest first',
  security: cookieAuth,
  request: { params: stationParam, query: PageQuery },
  responses: {
    200: json(CommandHistory, 'A page of commands'),
    401: problem('auth.required'),
    404: problem('station.not_found'),
  },
});

const activeRoute = createRoute({
  method: 'get',
  path: '/api/stations/{id}/active-sessions',
  tags: ['commands'],
  summary: 'Transactions the cloud believes are running on the station (for remote stop)',
  security: cookieAuth,
  request: { params: stationParam },
  responses: {
    200: json(ActiveTransactions, 'Active transactions'),
    401: problem('auth.required'),
    404: problem('station.not_found'),
  },
});

const forceStopRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/force-stop',
  tags: ['commands'],
  summary: 'Stop a session remotely, or close it in the cloud when the station cannot be reached',
  security: cookieAuth,
  request: {
    params: z.object({ id: z.string().max(64) }),
    body: { content: { 'application/json': { schema: ForceStopBody } }, required: true },
  },
  responses: {
    200: json(ForceStopResponse, 'What was done'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden or auth.csrf_failed'),
    404: problem('session.not_found'),
    409: problem('session.not_active'),
  },
});

function requireCommander(c: Context<AppEnv>): Identity {
  const identity = requireIdentity(c);
  if (!canCommand(identity.role)) {
    throw new ApiError('auth.forbidden', `the ${identity.role} role cannot send commands to stations`);
  }
  return identity;
}

function actorOf(c: Context<AppEnv>, identity: Identity): CommandActor {
  return {
    tenantId: identity.tenantId,
    userId: identity.userId,
    email: identity.email,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
  };
}

export function commandRoutes(deps: CommandRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const targetOf = async (identity: Identity, stationId: string) => {
    const target = await deps.store.target(scopeOf(identity), stationId);
    if (!target) throw new ApiError('station.not_found', 'no station with this id in your scope');
    return target;
  };

  app.openapi(sendRoute, async (c): Promise<RouteConfigToTypedResponse<typeof sendRoute>> => {
    const identity = requireCommander(c);
    const target = await targetOf(identity, c.req.valid('param').id);
    const result = await deps.run(actorOf(c, identity), target, c.req.valid('json'));
    return c.json(result, 200);
  });

  app.openapi(historyRoute, async (c) => {
    const identity = requireIdentity(c);
    const target = await targetOf(identity, c.req.valid('param').id);
    const page = c.req.valid('query');
    const history = await deps.store.history(target.stationId, page);
    return c.json({ ...history, limit: page.limit, offset: page.offset }, 200);
  });

  app.openapi(activeRoute, async (c) => {
    const identity = requireIdentity(c);
    const target = await targetOf(identity, c.req.valid('param').id);
    return c.json({ items: await deps.store.activeTransactions(target.stationId) }, 200);
  });

  app.openapi(forceStopRoute, async (c): Promise<RouteConfigToTypedResponse<typeof forceStopRoute>> => {
    const identity = requireCommander(c);
    try {
      const result = await deps.forceStop(
        actorOf(c, identity),
        scopeOf(identity),
        c.req.valid('param').id,
        c.req.valid('json').reason,
      );
      return c.json(result, 200);
    } catch (error) {
      if (error instanceof ForceStopError) throw new ApiError(error.code, error.message, { cause: error });
      throw error;
    }
  });
}
