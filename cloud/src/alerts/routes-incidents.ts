/**
 * /api/incidents[/{id}[/acknowledge|/resolve]], /api/notifications (delivery history),
 * /api/notifications/inbox[/read] and the Twilio status callback /api/alerts/twilio/status.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import twilio from 'twilio';
import type { AppEnv } from '../api/env.js';
import { requireIdentity } from '../api/middleware.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import { auditActor } from '../resources/permissions.js';
import { IdParam } from '../resources/schemas.js';
import { requireAlerts } from './permissions.js';
import { body, found, readErrors, writeErrors } from './route-kit.js';
import type { AlertRouteDeps } from './routes.js';
import {
  AcknowledgeBody,
  Inbox,
  InboxQuery,
  InboxReadBody,
  InboxReadResult,
  Incident,
  IncidentDetail,
  IncidentList,
  IncidentQuery,
  NotificationList,
  NotificationQuery,
  ResolveBody,
  TwilioStatusForm,
} from './schemas.js';
import { TWILIO_STATUS_PATH } from './service.js';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/incidents',
    tags: ['incidents'],
    summary: 'Incidents in your scope, newest first',
    security: cookieAuth,
    request: { query: IncidentQuery },
    responses: { 200: json(IncidentList, 'A page of incidents'), ...readErrors },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/incidents/{id}',
    tags: ['incidents'],
    summary: 'One incident with its timeline and notifications',
    security: cookieAuth,
    request: { params: IdParam },
    responses: {
      200: json(IncidentDetail, 'The incident'),
      ...readErrors,
      404: problem('incident.not_found'),
    },
  }),
  acknowledge: createRoute({
    method: 'post',
    path: '/api/incidents/{id}/acknowledge',
    tags: ['incidents'],
    summary: 'Acknowledge an incident (stops its escalation)',
    security: cookieAuth,
    request: { params: IdParam, ...body(AcknowledgeBody) },
    responses: { 200: json(Incident, 'The incident'), ...writeErrors, 404: problem('incident.not_found') },
  }),
  resolve: createRoute({
    method: 'post',
    path: '/api/incidents/{id}/resolve',
    tags: ['incidents'],
    summary: 'Resolve an incident with a comment',
    security: cookieAuth,
    request: { params: IdParam, ...body(ResolveBody) },
    responses: { 200: json(Incident, 'The incident'), ...writeErrors, 404: problem('incident.not_found') },
  }),
  notifications: createRoute({
    method: 'get',
    path: '/api/notifications',
    tags: ['notifications'],
    summary: 'Delivery history: every message queued for an incident, with its status',
    security: cookieAuth,
    request: { query: NotificationQuery },
    responses: { 200: json(NotificationList, 'A page of notifications'), ...readErrors },
  }),
  inbox: createRoute({
    method: 'get',
    path: '/api/notifications/inbox',
    tags: ['notifications'],
    summary: 'Your in-app notifications and how many are unread',
    security: cookieAuth,
    request: { query: InboxQuery },
    responses: { 200: json(Inbox, 'A page of your inbox'), ...readErrors },
  }),
  read: createRoute({
    method: 'post',
    path: '/api/notifications/inbox/read',
    tags: ['notifications'],
    summary: 'Mark in-app notifications read (some ids, or all)',
    security: cookieAuth,
    request: body(InboxReadBody),
    responses: { 200: json(InboxReadResult, 'How many were marked; unread left'), ...writeErrors },
  }),
  twilio: createRoute({
    method: 'post',
    path: TWILIO_STATUS_PATH,
    tags: ['notifications'],
    summary: 'Twilio message status callback (signed with X-Twilio-Signature)',
    request: {
      // Not validated before the signature: an unsigned request learns nothing about the form.
      body: {
        content: { 'application/x-www-form-urlencoded': { schema: TwilioStatusForm } },
        required: false,
      },
    },
    responses: {
      204: { description: 'Recorded' },
      400: problem('request.invalid'),
      403: problem('auth.bad_signature'),
    },
  }),
};

export function incidentRoutes(deps: AlertRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { alerts, audit } = deps;

  app.openapi(routes.list, async (c) => {
    const identity = requireAlerts(c, 'alerts.view', 'read incidents');
    const q = c.req.valid('query');
    return c.json(
      { ...(await alerts.incidents.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset },
      200,
    );
  });

  app.openapi(routes.get, async (c) => {
    const identity = requireAlerts(c, 'alerts.view', 'read incidents');
    const id = c.req.valid('param').id;
    const incident = await found(id, 'incident.not_found', 'incident', () =>
      alerts.incidents.get(scopeOf(identity), id),
    );
    return c.json(incident, 200);
  });

  /** The incident after a person acted on it, pushed to the live stream. */
  const after = async (id: string, done: boolean) => {
    if (!done) throw new ApiError('incident.not_found', 'no incident with this id in your scope');
    await alerts.changed([id]);
    const view = (await alerts.incidents.views([id]))[0];
    if (!view) throw new ApiError('incident.not_found', 'no incident with this id in your scope');
    return view.incident;
  };

  app.openapi(routes.acknowledge, async (c) => {
    const identity = requireAlerts(c, 'alerts.respond', 'acknowledge incidents');
    const id = c.req.valid('param').id;
    const comment = c.req.valid('json').comment?.trim() || null;
    const done = await found(id, 'incident.not_found', 'incident', () =>
      alerts.incidents.acknowledge(scopeOf(identity), id, identity.userId, comment, alerts.now()),
    );
    const incident = await after(id, done);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'incident.acknowledged',
      target: { type: 'incident', id },
      details: { title: incident.title, ...(comment ? { comment } : {}) },
    });
    return c.json(incident, 200);
  });

  app.openapi(routes.resolve, async (c) => {
    const identity = requireAlerts(c, 'alerts.respond', 'resolve incidents');
    const id = c.req.valid('param').id;
    const { comment } = c.req.valid('json');
    const done = await found(id, 'incident.not_found', 'incident', () =>
      alerts.incidents.resolve(scopeOf(identity), id, identity.userId, comment, alerts.now()),
    );
    const incident = await after(id, done);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'incident.resolved',
      target: { type: 'incident', id },
      details: { title: incident.title, comment },
    });
    return c.json(incident, 200);
  });

  app.openapi(routes.notifications, async (c) => {
    const identity = requireAlerts(c, 'alerts.respond', 'read the notification history');
    const q = c.req.valid('query');
    return c.json(
      { ...(await alerts.notifications.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset },
      200,
    );
  });

  app.openapi(routes.inbox, async (c) => {
    const identity = requireIdentity(c);
    const q = c.req.valid('query');
    const page = await alerts.notifications.inbox(identity.tenantId, identity.userId, {
      unreadOnly: q.unread === 'true',
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ ...page, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(routes.read, async (c) => {
    const identity = requireIdentity(c);
    const b = c.req.valid('json');
    const result = await alerts.notifications.markRead(
      identity.tenantId,
      identity.userId,
      b.all ? 'all' : (b.ids ?? []),
      alerts.now(),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.twilio, async (c) => {
    const raw = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded')
      ? await c.req.parseBody()
      : {};
    const params = Object.fromEntries(
      Object.entries(raw).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    );
    const token = alerts.twilioAuthToken;
    const signature = c.req.header('x-twilio-signature') ?? '';
    const url = `${alerts.publicUrl}${TWILIO_STATUS_PATH}`;
    if (!token || !twilio.validateRequest(token, signature, url, params)) {
      throw new ApiError('auth.bad_signature', 'X-Twilio-Signature does not match this request');
    }
    const form = TwilioStatusForm.safeParse(params);
    if (!form.success) {
      throw new ApiError('request.invalid', 'not a Twilio message status callback', {
        errors: form.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
      });
    }
    await alerts.notifications.twilioStatus(
      form.data.MessageSid,
      form.data.MessageStatus,
      form.data.ErrorCode ?? null,
      alerts.now(),
    );
    return c.body(null, 204);
  });
}
