/** /api/alerts/rules[/{id}] and /api/alerts/webhooks[/{id}]. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import { IdParam, PageQuery } from '../resources/schemas.js';
import { auditActor } from '../resources/permissions.js';
import { isUniqueViolation } from '../resources/sql.js';
import { z } from '@hono/zod-openapi';
import { requireAlerts } from './permissions.js';
import { body, checkRefs, found, readErrors, writeErrors } from './route-kit.js';
import type { AlertRouteDeps } from './routes.js';
import {
  AlertRule,
  AlertRuleBody,
  AlertRuleList,
  AlertRulePatch,
  AlertRuleQuery,
  paramIssues,
  Webhook,
  WebhookBody,
  WebhookCreated,
  WebhookList,
  WebhookPatch,
  type AlertRulePatch as RulePatch,
} from './schemas.js';

const tags = ['alerts'];
const RULES = '/api/alerts/rules';
const HOOKS = '/api/alerts/webhooks';

const routes = {
  list: createRoute({
    method: 'get',
    path: RULES,
    tags,
    summary: 'Alert rules of the tenant (a scoped user sees those that can fire in its scope)',
    security: cookieAuth,
    request: { query: AlertRuleQuery },
    responses: { 200: json(AlertRuleList, 'A page of rules'), ...readErrors },
  }),
  create: createRoute({
    method: 'post',
    path: RULES,
    tags,
    summary: 'Create an alert rule',
    security: cookieAuth,
    request: body(AlertRuleBody),
    responses: {
      201: json(AlertRule, 'The rule'),
      ...writeErrors,
      404: problem('a referenced site, city, station, group or user is not in your tenant'),
      409: problem('resource.conflict'),
    },
  }),
  get: createRoute({
    method: 'get',
    path: `${RULES}/{id}`,
    tags,
    summary: 'One alert rule',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 200: json(AlertRule, 'The rule'), ...readErrors, 404: problem('alert_rule.not_found') },
  }),
  patch: createRoute({
    method: 'patch',
    path: `${RULES}/{id}`,
    tags,
    summary: 'Change an alert rule (disabling it resolves its open incidents)',
    security: cookieAuth,
    request: { params: IdParam, ...body(AlertRulePatch) },
    responses: {
      200: json(AlertRule, 'The rule'),
      ...writeErrors,
      404: problem('alert_rule.not_found'),
      409: problem('resource.conflict'),
    },
  }),
  delete: createRoute({
    method: 'delete',
    path: `${RULES}/{id}`,
    tags,
    summary: 'Delete an alert rule and its incidents',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...writeErrors, 404: problem('alert_rule.not_found') },
  }),
  hooks: createRoute({
    method: 'get',
    path: HOOKS,
    tags,
    summary: 'Webhooks that receive incident events',
    security: cookieAuth,
    request: { query: z.object(PageQuery) },
    responses: { 200: json(WebhookList, 'A page of webhooks'), ...readErrors },
  }),
  hookCreate: createRoute({
    method: 'post',
    path: HOOKS,
    tags,
    summary: 'Add a webhook; the answer carries its signing secret, once',
    security: cookieAuth,
    request: body(WebhookBody),
    responses: {
      201: json(WebhookCreated, 'The webhook and its secret'),
      ...writeErrors,
      409: problem('resource.conflict'),
    },
  }),
  hookGet: createRoute({
    method: 'get',
    path: `${HOOKS}/{id}`,
    tags,
    summary: 'One webhook',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 200: json(Webhook, 'The webhook'), ...readErrors, 404: problem('webhook.not_found') },
  }),
  hookPatch: createRoute({
    method: 'patch',
    path: `${HOOKS}/{id}`,
    tags,
    summary: 'Change a webhook',
    security: cookieAuth,
    request: { params: IdParam, ...body(WebhookPatch) },
    responses: {
      200: json(Webhook, 'The webhook'),
      ...writeErrors,
      404: problem('webhook.not_found'),
      409: problem('resource.conflict'),
    },
  }),
  hookDelete: createRoute({
    method: 'delete',
    path: `${HOOKS}/{id}`,
    tags,
    summary: 'Delete a webhook',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...writeErrors, 404: problem('webhook.not_found') },
  }),
};

const conflict = (path: string, message: string) => (error: unknown) => {
  if (!isUniqueViolation(error)) throw error;
  throw new ApiError('resource.conflict', message, { errors: [{ path, message }], cause: error });
};

export function ruleRoutes(deps: AlertRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { rules, webhooks, audit } = deps;

  /** References of a body or patch must be objects and users of the caller's tenant. */
  const checkRuleRefs = async (
    tenantId: string,
    b: Partial<Pick<RulePatch, 'scope' | 'recipients' | 'escalation'>>,
  ) => {
    await checkRefs(deps.db, tenantId, [
      { path: 'scope.cityIds', table: 'cities', ids: b.scope?.cityIds ?? [] },
      { path: 'scope.siteIds', table: 'sites', ids: b.scope?.siteIds ?? [] },
      { path: 'scope.stationIds', table: 'stations', ids: b.scope?.stationIds ?? [] },
      { path: 'recipients.groupIds', table: 'oncall_groups', ids: b.recipients?.groupIds ?? [] },
      {
        path: 'escalation.groupId',
        table: 'oncall_groups',
        ids: b.escalation?.groupId ? [b.escalation.groupId] : [],
      },
    ]);
    const users = await deps.oncall.foreignUsers(tenantId, b.recipients?.userIds ?? []);
    if (users.length > 0) {
      throw new ApiError('user.not_found', 'the body names users that are not in your tenant', {
        errors: users.map((id) => ({ path: 'recipients.userIds', message: `no such user: ${id}` })),
      });
    }
  };
  const reader = (c: Context<AppEnv>, what: string) => requireAlerts(c, 'alerts.respond', what);
  const writer = (c: Context<AppEnv>, what: string) => requireAlerts(c, 'alerts.manage', what);

  app.openapi(routes.list, async (c) => {
    const identity = reader(c, 'read alert rules');
    const q = c.req.valid('query');
    return c.json({ ...(await rules.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const identity = reader(c, 'read alert rules');
    const id = c.req.valid('param').id;
    return c.json(
      await found(id, 'alert_rule.not_found', 'rule', () => rules.get(scopeOf(identity), id)),
      200,
    );
  });
  app.openapi(routes.create, async (c) => {
    const identity = writer(c, 'create alert rules');
    const b = c.req.valid('json');
    await checkRuleRefs(identity.tenantId, b);
    const rule = await rules
      .create(identity.tenantId, b)
      .catch(conflict('name', 'a rule with this name already exists'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_rule.created',
      target: { type: 'alert_rule', id: rule.id },
      details: { name: rule.name, kind: rule.kind, severity: rule.severity },
    });
    return c.json(rule, 201);
  });
  app.openapi(routes.patch, async (c) => {
    const identity = writer(c, 'change alert rules');
    const id = c.req.valid('param').id;
    const patch = c.req.valid('json');
    const kind = await found(id, 'alert_rule.not_found', 'rule', () => rules.kindOf(identity.tenantId, id));
    if (patch.params !== undefined) {
      const issues = paramIssues(kind, patch.params);
      if (issues.length > 0) {
        throw new ApiError('request.invalid', `the params do not fit a ${kind} rule`, { errors: issues });
      }
    }
    await checkRuleRefs(identity.tenantId, patch);
    const rule = await rules
      .update(identity.tenantId, id, patch)
      .catch(conflict('name', 'a rule with this name already exists'));
    if (!rule) throw new ApiError('alert_rule.not_found', 'no rule with this id in your scope');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_rule.updated',
      target: { type: 'alert_rule', id },
      details: { changed: patch },
    });
    return c.json(rule, 200);
  });
  app.openapi(routes.delete, async (c) => {
    const identity = writer(c, 'delete alert rules');
    const id = c.req.valid('param').id;
    await found(id, 'alert_rule.not_found', 'rule', () => rules.kindOf(identity.tenantId, id));
    await rules.delete(identity.tenantId, id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_rule.deleted',
      target: { type: 'alert_rule', id },
      details: {},
    });
    return c.body(null, 204);
  });

  app.openapi(routes.hooks, async (c) => {
    const identity = reader(c, 'read webhooks');
    const q = c.req.valid('query');
    return c.json({ ...(await webhooks.list(identity.tenantId, q)), limit: q.limit, offset: q.offset }, 200);
  });
  app.openapi(routes.hookGet, async (c) => {
    const identity = reader(c, 'read webhooks');
    const id = c.req.valid('param').id;
    return c.json(
      await found(id, 'webhook.not_found', 'webhook', () => webhooks.get(identity.tenantId, id)),
      200,
    );
  });
  app.openapi(routes.hookCreate, async (c) => {
    const identity = writer(c, 'create webhooks');
    const hook = await webhooks
      .create(identity.tenantId, c.req.valid('json'))
      .catch(conflict('name', 'a webhook with this name already exists'));
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_webhook.created',
      target: { type: 'alert_webhook', id: hook.id },
      details: { name: hook.name, url: hook.url },
    });
    return c.json(hook, 201);
  });
  app.openapi(routes.hookPatch, async (c) => {
    const identity = writer(c, 'change webhooks');
    const id = c.req.valid('param').id;
    const patch = c.req.valid('json');
    const hook = await found(id, 'webhook.not_found', 'webhook', () =>
      webhooks
        .update(identity.tenantId, id, patch)
        .catch(conflict('name', 'a webhook with this name already exists')),
    );
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_webhook.updated',
      target: { type: 'alert_webhook', id },
      details: { changed: patch },
    });
    return c.json(hook, 200);
  });
  app.openapi(routes.hookDelete, async (c) => {
    const identity = writer(c, 'delete webhooks');
    const id = c.req.valid('param').id;
    await found(id, 'webhook.not_found', 'webhook', async () =>
      (await webhooks.delete(identity.tenantId, id)) ? true : null,
    );
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_webhook.deleted',
      target: { type: 'alert_webhook', id },
      details: {},
    });
    return c.body(null, 204);
  });
}
