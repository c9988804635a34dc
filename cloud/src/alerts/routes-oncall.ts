/** /api/oncall-groups[/{id}] and /api/alerts/recipients[/{userId}]. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import { auditActor } from '../resources/permissions.js';
import { IdParam } from '../resources/schemas.js';
import { isUniqueViolation, isUuid } from '../resources/sql.js';
import { requireAlerts } from './permissions.js';
import { body, checkRefs, found, readErrors, writeErrors } from './route-kit.js';
import type { AlertRouteDeps } from './routes.js';
import {
  OncallGroup,
  OncallGroupBody,
  OncallGroupList,
  OncallGroupPatch,
  OncallGroupQuery,
  Recipient,
  RecipientBody,
  RecipientList,
  RecipientQuery,
  UserIdParam,
} from './schemas.js';

const GROUPS = '/api/oncall-groups';
const tags = ['alerts'];

const routes = {
  list: createRoute({
    method: 'get',
    path: GROUPS,
    tags,
    summary: 'On-call groups (maintenance crews) that cover your scope',
    security: cookieAuth,
    request: { query: OncallGroupQuery },
    responses: { 200: json(OncallGroupList, 'A page of groups'), ...readErrors },
  }),
  create: createRoute({
    method: 'post',
    path: GROUPS,
    tags,
    summary: 'Create an on-call group for a site, a city or the tenant',
    security: cookieAuth,
    request: body(OncallGroupBody),
    responses: {
      201: json(OncallGroup, 'The group'),
      ...writeErrors,
      404: problem('a referenced site, city or user is not in your tenant'),
      409: problem('resource.conflict'),
    },
  }),
  get: createRoute({
    method: 'get',
    path: `${GROUPS}/{id}`,
    tags,
    summary: 'One on-call group with its members by level',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 200: json(OncallGroup, 'The group'), ...readErrors, 404: problem('oncall_group.not_found') },
  }),
  patch: createRoute({
    method: 'patch',
    path: `${GROUPS}/{id}`,
    tags,
    summary: 'Change an on-call group (members replace the list)',
    security: cookieAuth,
    request: { params: IdParam, ...body(OncallGroupPatch) },
    responses: {
      200: json(OncallGroup, 'The group'),
      ...writeErrors,
      404: problem('oncall_group.not_found'),
      409: problem('resource.conflict'),
    },
  }),
  delete: createRoute({
    method: 'delete',
    path: `${GROUPS}/{id}`,
    tags,
    summary: 'Delete an on-call group',
    security: cookieAuth,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...writeErrors, 404: problem('oncall_group.not_found') },
  }),
  recipients: createRoute({
    method: 'get',
    path: '/api/alerts/recipients',
    tags,
    summary: 'Users of the tenant with their alert contact settings and on-call groups',
    security: cookieAuth,
    request: { query: RecipientQuery },
    responses: { 200: json(RecipientList, 'A page of recipients'), ...readErrors },
  }),
  putRecipient: createRoute({
    method: 'put',
    path: '/api/alerts/recipients/{userId}',
    tags,
    summary: "Set a user's phone, alert channels and quiet hours",
    security: cookieAuth,
    request: { params: UserIdParam, ...body(RecipientBody) },
    responses: { 200: json(Recipient, 'The recipient'), ...writeErrors, 404: problem('user.not_found') },
  }),
};

export function oncallRoutes(deps: AlertRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { oncall, recipients, audit } = deps;
  const reader = (c: Context<AppEnv>, what: string) => requireAlerts(c, 'alerts.respond', what);
  const writer = (c: Context<AppEnv>, what: string) => requireAlerts(c, 'alerts.manage', what);
  const conflict = (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    const message = 'a group with this name already exists';
    throw new ApiError('resource.conflict', message, { errors: [{ path: 'name', message }], cause: error });
  };
  const checkGroupRefs = async (
    tenantId: string,
    b: { siteId?: string | null; cityId?: string | null; members?: { userId: string }[] },
  ) => {
    await checkRefs(deps.db, tenantId, [
      { path: 'siteId', table: 'sites', ids: b.siteId ? [b.siteId] : [] },
      { path: 'cityId', table: 'cities', ids: b.cityId ? [b.cityId] : [] },
    ]);
    const users = await oncall.foreignUsers(
      tenantId,
      (b.members ?? []).map((m) => m.userId),
    );
    if (users.length > 0) {
      throw new ApiError('user.not_found', 'the members include users that are not in your tenant', {
        errors: users.map((id) => ({ path: 'members', message: `no such user: ${id}` })),
      });
    }
  };

  app.openapi(routes.list, async (c) => {
    const identity = reader(c, 'read on-call groups');
    const q = c.req.valid('query');
    return c.json({ ...(await oncall.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const identity = reader(c, 'read on-call groups');
    const id = c.req.valid('param').id;
    return c.json(
      await found(id, 'oncall_group.not_found', 'group', () => oncall.get(scopeOf(identity), id)),
      200,
    );
  });
  app.openapi(routes.create, async (c) => {
    const identity = writer(c, 'create on-call groups');
    const b = c.req.valid('json');
    await checkGroupRefs(identity.tenantId, b);
    const group = await oncall.create(identity.tenantId, b).catch(conflict);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'oncall_group.created',
      target: { type: 'oncall_group', id: group.id },
      details: {
        name: group.name,
        siteId: group.siteId,
        cityId: group.cityId,
        members: group.members.length,
      },
    });
    return c.json(group, 201);
  });
  app.openapi(routes.patch, async (c) => {
    const identity = writer(c, 'change on-call groups');
    const id = c.req.valid('param').id;
    const patch = c.req.valid('json');
    const before = await found(id, 'oncall_group.not_found', 'group', () =>
      oncall.get(scopeOf(identity), id),
    );
    const siteId = patch.siteId !== undefined ? patch.siteId : before.siteId;
    const cityId = patch.cityId !== undefined ? patch.cityId : before.cityId;
    if (siteId && cityId) {
      throw new ApiError('request.invalid', 'a group belongs to a site or a city, not both', {
        errors: [{ path: 'cityId', message: 'set siteId or cityId to null first' }],
      });
    }
    await checkGroupRefs(identity.tenantId, patch);
    const group = await oncall.update(identity.tenantId, id, patch).catch(conflict);
    if (!group) throw new ApiError('oncall_group.not_found', 'no group with this id in your scope');
    await audit.record({
      actor: auditActor(c, identity),
      action: 'oncall_group.updated',
      target: { type: 'oncall_group', id },
      details: { changedFields: Object.keys(patch) },
    });
    return c.json(group, 200);
  });
  app.openapi(routes.delete, async (c) => {
    const identity = writer(c, 'delete on-call groups');
    const id = c.req.valid('param').id;
    await found(id, 'oncall_group.not_found', 'group', async () =>
      (await oncall.delete(identity.tenantId, id)) ? true : null,
    );
    await audit.record({
      actor: auditActor(c, identity),
      action: 'oncall_group.deleted',
      target: { type: 'oncall_group', id },
      details: {},
    });
    return c.body(null, 204);
  });

  app.openapi(routes.recipients, async (c) => {
    const identity = reader(c, 'read alert recipients');
    const q = c.req.valid('query');
    return c.json(
      { ...(await recipients.list(scopeOf(identity), q)), limit: q.limit, offset: q.offset },
      200,
    );
  });
  app.openapi(routes.putRecipient, async (c) => {
    const identity = writer(c, 'change alert recipients');
    const userId = c.req.valid('param').userId;
    const b = c.req.valid('json');
    const load = () => recipients.get(scopeOf(identity), userId);
    if (!isUuid(userId) || !(await load()))
      throw new ApiError('user.not_found', 'no user with this id in your tenant');
    await recipients.put(userId, b);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'alert_recipient.updated',
      target: { type: 'user', id: userId },
      // Contact data is personal: the audit says what changed, not the number.
      details: { channels: b.channels, quietHours: b.quietHours !== null, phoneSet: b.phone !== null },
    });
    return c.json((await load())!, 200);
  });
}
