/**
 * User management for a tenant's administrators: GET/POST /api/users, GET/PATCH /api/users/{id},
 * POST /api/users/{id}/password (reset) and GET/POST/DELETE /api/users/{id}/grants[/{grantId}].
 * Only a tenant-wide admin manages users: a grant limited to a site or city could otherwise hand
 * itself a tenant-wide one. The tenant always keeps an enabled tenant-wide administrator.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { assertLoginPolicy, assertPasswordPolicy, assertPhonePrefix } from '../../accounts/checks.js';
import {
  Grant,
  GrantBody,
  GrantList,
  PasswordResetBody,
  User,
  UserBody,
  UserGrantParam,
  UserList,
  UserPatch,
  UserQuery,
} from '../../accounts/schemas.js';
import type { SystemSettingsStore } from '../../accounts/system-settings.js';
import type { GrantInput, UserStore } from '../../accounts/user-store.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { hashPassword } from '../../auth/password.js';
import type { Identity, SessionStore } from '../../auth/sessions.js';
import { auditActor, requireRole, requireTenantWide } from '../../resources/permissions.js';
import { IdParam } from '../../resources/schemas.js';
import { isUniqueViolation } from '../../resources/sql.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../problem.js';
import { cookieAuth, json, problem } from './common.js';

export interface AccountRouteDeps {
  users: UserStore;
  settings: SystemSettingsStore;
  sessions: SessionStore;
  /** Told about every session a change ended, so its live connections end too. */
  sessionEnded: (sessionId: string) => void;
  audit: AuditLog;
}

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const errors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden (tenant-wide admins only) or auth.csrf_failed'),
};
const security = cookieAuth;
const tags = ['users'];

const listRoute = createRoute({
  method: 'get',
  path: '/api/users',
  tags,
  summary: 'Users holding a grant on your tenant, filtered, sorted and paged (tenant-wide admins)',
  security,
  request: { query: UserQuery },
  responses: { 200: json(UserList, 'A page of users'), ...errors },
});
const createUserRoute = createRoute({
  method: 'post',
  path: '/api/users',
  tags,
  summary: 'Create a user with a first grant on your tenant (the password must meet the policy)',
  security,
  request: body(UserBody),
  responses: {
    201: json(User, 'The user'),
    ...errors,
    404: problem('site.not_found or city.not_found (the grant names another tenant’s)'),
    409: problem('resource.conflict (e-mail taken)'),
  },
});
const getRoute = createRoute({
  method: 'get',
  path: '/api/users/{id}',
  tags,
  summary: 'One user with their grants on your tenant',
  security,
  request: { params: IdParam },
  responses: { 200: json(User, 'The user'), ...errors, 404: problem('user.not_found') },
});
const patchRoute = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  tags,
  summary: 'Change name, e-mail, phone, language or the disabled flag (disabling ends their sessions)',
  security,
  request: { params: IdParam, ...body(UserPatch) },
  responses: {
    200: json(User, 'The user'),
    ...errors,
    404: problem('user.not_found'),
    409: problem('resource.conflict (e-mail taken) or user.last_admin'),
  },
});
const resetRoute = createRoute({
  method: 'post',
  path: '/api/users/{id}/password',
  tags,
  summary: "Set a user's password (admin reset); all of the user's sessions end",
  security,
  request: { params: IdParam, ...body(PasswordResetBody) },
  responses: {
    204: { description: 'Password set' },
    ...errors,
    400: problem('password.policy or request.invalid'),
    404: problem('user.not_found'),
  },
});
const grantsRoute = createRoute({
  method: 'get',
  path: '/api/users/{id}/grants',
  tags,
  summary: "The user's grants on your tenant",
  security,
  request: { params: IdParam },
  responses: {
    200: json(GrantList, 'The grants'),
    ...errors,
    404: problem('user.not_found'),
  },
});
const addGrantRoute = createRoute({
  method: 'post',
  path: '/api/users/{id}/grants',
  tags,
  summary: 'Grant a role on your tenant, optionally limited to one site or city',
  security,
  request: { params: IdParam, ...body(GrantBody) },
  responses: {
    201: json(Grant, 'The grant'),
    ...errors,
    404: problem('user.not_found, site.not_found or city.not_found'),
    409: problem('resource.conflict (the user already has this grant)'),
  },
});
const deleteGrantRoute = createRoute({
  method: 'delete',
  path: '/api/users/{id}/grants/{grantId}',
  tags,
  summary: 'Remove a grant; sessions and API tokens using it end',
  security,
  request: { params: UserGrantParam },
  responses: {
    204: { description: 'Removed' },
    ...errors,
    404: problem('user.not_found or grant.not_found'),
    409: problem('user.last_admin'),
  },
});

export function userRoutes(deps: AccountRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const { users, audit } = deps;
  const admin = (c: Context<AppEnv>, what: string): Identity => {
    const identity = requireRole(c, ['admin'], what);
    requireTenantWide(identity, what);
    return identity;
  };
  const found = async (identity: Identity, id: string) => {
    const user = await users.get(identity.tenantId, id);
    if (!user) throw new ApiError('user.not_found', 'no user with this id on your tenant');
    return user;
  };
  const endSessions = async (userId: string, options?: { grantId?: string }) => {
    const ended = await deps.sessions.endForUser(userId, options);
    for (const sessionId of ended) deps.sessionEnded(sessionId);
    return ended.length;
  };
  const checkGrantScope = async (tenantId: string, grant: GrantInput, path: string) => {
    if (grant.siteId !== null && !(await users.inTenant(tenantId, 'site', grant.siteId))) {
      throw new ApiError('site.not_found', 'no site with this id on your tenant', {
        errors: [{ path: `${path}siteId`, message: 'no such site on your tenant' }],
      });
    }
    if (grant.cityId !== null && !(await users.inTenant(tenantId, 'city', grant.cityId))) {
      throw new ApiError('city.not_found', 'no city with this id on your tenant', {
        errors: [{ path: `${path}cityId`, message: 'no such city on your tenant' }],
      });
    }
  };
  const emailTaken = (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError('resource.conflict', 'a user with this e-mail address already exists', {
      errors: [{ path: 'email', message: 'already used by another user' }],
      cause: error,
    });
  };
  const grantTaken = (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError('resource.conflict', 'the user already holds this grant', {
      errors: [{ path: 'role', message: 'the same role and scope is already granted' }],
      cause: error,
    });
  };
  const isTenantAdmin = (g: { role: string; siteId: string | null; cityId: string | null }) =>
    g.role === 'admin' && g.siteId === null && g.cityId === null;

  app.openapi(listRoute, async (c) => {
    const identity = admin(c, 'list users');
    const q = c.req.valid('query');
    const page = await users.list(identity.tenantId, q);
    return c.json({ ...page, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(getRoute, async (c) =>
    c.json(await found(admin(c, 'read users'), c.req.valid('param').id), 200),
  );

  app.openapi(createUserRoute, async (c) => {
    const identity = admin(c, 'create users');
    const b = c.req.valid('json');
    const settings = await deps.settings.get(identity.tenantId);
    assertLoginPolicy(settings, b.email);
    assertPhonePrefix(settings, b.phone);
    assertPasswordPolicy(settings, b.password, 'password');
    await checkGrantScope(identity.tenantId, b.grant, 'grant.');
    const hash = await hashPassword(b.password);
    const user = await users
      .create(
        identity.tenantId,
        { email: b.email, name: b.name, phone: b.phone, locale: b.locale },
        hash,
        b.grant,
      )
      .catch(emailTaken);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'user.created',
      target: { type: 'user', id: user.id },
      details: { email: user.email, name: user.name, grant: b.grant },
    });
    return c.json(user, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const identity = admin(c, 'change users');
    const before = await found(identity, c.req.valid('param').id);
    const patch = c.req.valid('json');
    const settings = await deps.settings.get(identity.tenantId);
    if (patch.email !== undefined) assertLoginPolicy(settings, patch.email);
    if (patch.phone !== undefined) assertPhonePrefix(settings, patch.phone);
    const disabling = patch.disabled === true && !before.disabled;
    if (disabling) {
      if (before.id === identity.userId) {
        throw new ApiError('request.invalid', 'you cannot disable your own account', {
          errors: [{ path: 'disabled', message: 'you cannot disable your own account' }],
        });
      }
      if (
        before.grants.some(isTenantAdmin) &&
        (await users.adminsLeft(identity.tenantId, { userId: before.id })) === 0
      ) {
        throw new ApiError('user.last_admin', 'this is the last enabled administrator of the tenant');
      }
    }
    const user = await users.update(identity.tenantId, before.id, patch).catch(emailTaken);
    const sessionsEnded = disabling ? await endSessions(user.id) : 0;
    const { disabled, ...fields } = patch;
    if (Object.keys(fields).length > 0) {
      await audit.record({
        actor: auditActor(c, identity),
        action: 'user.updated',
        target: { type: 'user', id: user.id },
        details: {
          changedFields: Object.keys(fields),
          ...(fields.email !== undefined ? { email: { from: before.email, to: user.email } } : {}),
        },
      });
    }
    if (disabled !== undefined && disabled !== before.disabled) {
      await audit.record({
        actor: auditActor(c, identity),
        action: disabled ? 'user.disabled' : 'user.enabled',
        target: { type: 'user', id: user.id },
        details: { email: user.email, ...(disabled ? { sessionsEnded } : {}) },
      });
    }
    return c.json(user, 200);
  });

  app.openapi(resetRoute, async (c) => {
    const identity = admin(c, "reset users' passwords");
    const user = await found(identity, c.req.valid('param').id);
    const { password } = c.req.valid('json');
    assertPasswordPolicy(await deps.settings.get(identity.tenantId), password, 'password');
    await users.setPassword(user.id, await hashPassword(password));
    const sessionsEnded = await endSessions(user.id);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'user.password_reset',
      target: { type: 'user', id: user.id },
      details: { email: user.email, sessionsEnded },
    });
    return c.body(null, 204);
  });

  app.openapi(grantsRoute, async (c) => {
    const user = await found(admin(c, 'read grants'), c.req.valid('param').id);
    return c.json({ items: user.grants }, 200);
  });

  app.openapi(addGrantRoute, async (c) => {
    const identity = admin(c, 'grant roles');
    const user = await found(identity, c.req.valid('param').id);
    const b = c.req.valid('json');
    await checkGrantScope(identity.tenantId, b, '');
    const grant = await users.addGrant(identity.tenantId, user.id, b).catch(grantTaken);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'grant.added',
      target: { type: 'user', id: user.id },
      details: {
        email: user.email,
        grantId: grant.id,
        role: grant.role,
        siteId: grant.siteId,
        cityId: grant.cityId,
      },
    });
    return c.json(grant, 201);
  });

  app.openapi(deleteGrantRoute, async (c) => {
    const identity = admin(c, 'remove grants');
    const { id, grantId } = c.req.valid('param');
    const user = await found(identity, id);
    const grant = user.grants.find((g) => g.id === grantId);
    if (!grant) throw new ApiError('grant.not_found', 'the user holds no grant with this id on your tenant');
    if (
      isTenantAdmin(grant) &&
      !user.disabled &&
      (await users.adminsLeft(identity.tenantId, { grantId })) === 0
    ) {
      throw new ApiError('user.last_admin', 'this is the last tenant-wide administrator grant of the tenant');
    }
    const sessionsEnded = await endSessions(user.id, { grantId });
    await users.deleteGrant(identity.tenantId, user.id, grantId);
    await audit.record({
      actor: auditActor(c, identity),
      action: 'grant.removed',
      target: { type: 'user', id: user.id },
      details: {
        email: user.email,
        grantId,
        role: grant.role,
        siteId: grant.siteId,
        cityId: grant.cityId,
        sessionsEnded,
      },
    });
    return c.body(null, 204);
  });
}
