/**
 * /api/settings/*: deployment settings the web app needs. `public` is readable before login (the
 * login page shows a demo hint from it); `ui` needs a session, since a tile/style URL may carry a
 * provider key. `system` is the tenant's system settings (language, currency, phone prefixes,
 * password and login policy): every signed-in user reads them, tenant-wide admins change them.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  SystemSettingsSchema,
  type SystemSettings,
  type SystemSettingsStore,
} from '../../accounts/system-settings.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Mode } from '../../config.js';
import { auditActor, requireRole, requireTenantWide } from '../../resources/permissions.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { cookieAuth, json, problem } from './common.js';

export interface UiSettings {
  /** MapLibre style JSON URL for the map's basemap (MAP_STYLE_URL); null = built-in offline basemap. */
  readonly mapStyleUrl: string | null;
  readonly mode: Mode;
  /** GET/PUT /api/settings/system; apps built without it (narrow route tests) lack those routes. */
  readonly system?: { store: SystemSettingsStore; audit: AuditLog };
}

const PublicSettings = z
  .object({ demo: z.boolean().openapi({ description: 'VOLTMESH_MODE is demo' }) })
  .openapi('PublicSettings');

const SignedInSettings = z
  .object({
    mapStyleUrl: z
      .string()
      .nullable()
      .openapi({ description: 'MapLibre style JSON URL (MAP_STYLE_URL); null: built-in offline basemap' }),
    demo: z.boolean(),
  })
  .openapi('UiSettings');

const publicRoute = createRoute({
  method: 'get',
  path: '/api/settings/public',
  tags: ['settings'],
  summary: 'Settings readable without a session (the login page)',
  responses: { 200: json(PublicSettings, 'Public settings') },
});

const uiRoute = createRoute({
  method: 'get',
  path: '/api/settings/ui',
  tags: ['settings'],
  summary: 'Settings of the web app for any signed-in user (map basemap, demo mode)',
  security: cookieAuth,
  responses: { 200: json(SignedInSettings, 'UI settings'), 401: problem('auth.required') },
});

const getSystemRoute = createRoute({
  method: 'get',
  path: '/api/settings/system',
  tags: ['settings'],
  summary: "The tenant's system settings (any signed-in user)",
  security: cookieAuth,
  responses: { 200: json(SystemSettingsSchema, 'System settings'), 401: problem('auth.required') },
});

const putSystemRoute = createRoute({
  method: 'put',
  path: '/api/settings/system',
  tags: ['settings'],
  summary: "Replace the tenant's system settings (tenant-wide admins)",
  security: cookieAuth,
  request: { body: { content: { 'application/json': { schema: SystemSettingsSchema } }, required: true } },
  responses: {
    200: json(SystemSettingsSchema, 'The new settings'),
    400: problem('request.invalid'),
    401: problem('auth.required'),
    403: problem('auth.forbidden or auth.csrf_failed'),
  },
});

/** Top-level keys whose value changed, for the audit entry (the settings hold no secrets). */
const changedKeys = (before: SystemSettings, after: SystemSettings) =>
  (Object.keys(after) as (keyof SystemSettings)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );

export function settingsRoutes(settings: UiSettings, app: OpenAPIHono<AppEnv>): void {
  const demo = settings.mode === 'demo';
  app.openapi(publicRoute, (c) => c.json({ demo }, 200));
  app.openapi(uiRoute, (c) => {
    requireIdentity(c);
    return c.json({ mapStyleUrl: settings.mapStyleUrl, demo }, 200);
  });

  const system = settings.system;
  if (!system) return;
  app.openapi(getSystemRoute, async (c) => c.json(await system.store.get(requireIdentity(c).tenantId), 200));
  app.openapi(putSystemRoute, async (c) => {
    const identity = requireRole(c, ['admin'], 'change system settings');
    requireTenantWide(identity, 'change system settings');
    const before = await system.store.get(identity.tenantId);
    const after = await system.store.put(identity.tenantId, c.req.valid('json'), identity.userId);
    const changed = changedKeys(before, after);
    if (changed.length > 0) {
      await system.audit.record({
        actor: auditActor(c, identity),
        action: 'settings.system_updated',
        target: { type: 'tenant', id: identity.tenantId },
        details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
      });
    }
    return c.json(after, 200);
  });
}
