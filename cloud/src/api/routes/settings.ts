/**
 * /api/settings/*: deployment settings the web app needs. `public` is readable before login (the
 * login page shows a demo hint from it); `ui` needs a session, since a tile/style URL may carry a
 * provider key.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Mode } from '../../config.js';
import type { AppEnv } from '../env.js';
import { requireIdentity } from '../middleware.js';
import { cookieAuth, json, problem } from './common.js';

export interface UiSettings {
  /** MapLibre style JSON URL for the map's basemap (MAP_STYLE_URL); null = built-in offline basemap. */
  readonly mapStyleUrl: string | null;
  readonly mode: Mode;
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

export function settingsRoutes(settings: UiSettings, app: OpenAPIHono<AppEnv>): void {
  const demo = settings.mode === 'demo';
  app.openapi(publicRoute, (c) => c.json({ demo }, 200));
  app.openapi(uiRoute, (c) => {
    requireIdentity(c);
    return c.json({ mapStyleUrl: settings.mapStyleUrl, demo }, 200);
  });
}
