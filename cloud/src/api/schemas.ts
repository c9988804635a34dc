/** Zod schemas of the HTTP API: they validate requests and generate the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { CONNECTOR_STATUSES } from '@voltmesh/contract';
import { ROLES } from '../auth/roles.js';
import { CONNECTOR_TYPES } from '../resources/schemas.js';
import { DISPLAY_STATUSES } from '../stations/summary.js';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: 'auth.invalid_credentials' }),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const LoginBody = z
  .object({
    email: z.string().trim().min(3).max(254).openapi({ example: 'admin@demo.voltmesh.dev' }),
    password: z.string().min(1).max(1024),
  })
  .openapi('LoginBody');

export const AuthUser = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tenantId: z.string().uuid(),
    tenantName: z.string(),
  })
  .openapi('AuthUser');

export const AuthResponse = z.object({ user: AuthUser, csrfToken: z.string() }).openapi('AuthResponse');

export const Connector = z
  .object({
    evseId: z.number().int(),
    connectorId: z.number().int(),
    status: z.enum(CONNECTOR_STATUSES).openapi({ example: 'available' }),
    rawStatus: z.string().openapi({ example: 'Available' }),
    errorCode: z.string().nullable(),
    statusAt: z.string().nullable(),
  })
  .openapi('Connector');

export const StationSummary = z
  .object({
    id: z.string().uuid(),
    identity: z.string(),
    name: z.string(),
    siteId: z.string().uuid(),
    siteName: z.string(),
    cityId: z.string().uuid().nullable(),
    cityName: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    online: z.boolean(),
    status: z.enum(DISPLAY_STATUSES),
    lastSeenAt: z.string().nullable(),
    ocppVersion: z.enum(['ocpp1.6', 'ocpp2.0.1']).nullable(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    connectors: z.array(Connector),
  })
  .openapi('StationSummary');

export const StationDetail = StationSummary.extend({
  siteCode: z.string(),
  recentEvents: z.array(z.object({ at: z.string(), type: z.string(), summary: z.string() })),
}).openapi('StationDetail');

const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A comma-separated query parameter whose parts must each be one of `values`; empty means "any". */
function commaList<const T extends string>(values: readonly T[], what: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const parts = v.split(',').map((s) => s.trim());
      const bad = parts.filter((s) => !(values as readonly string[]).includes(s));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${what} ${bad.join(', ')}; one of ${values.join(', ')}`,
        });
        return z.NEVER;
      }
      return parts as T[];
    })
    .openapi({ description: `comma-separated: ${values.join(', ')}` });
}

export const StationListQuery = z.object({
  q: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'fuzzy over station name/identity, site, city, operator' }),
  status: commaList(DISPLAY_STATUSES, 'status'),
  connectorType: commaList(CONNECTOR_TYPES, 'connector type').openapi({
    description: `stations with at least one connector of these types, comma-separated: ${CONNECTOR_TYPES.join(', ')}`,
  }),
  siteId: z.string().uuid().optional(),
  cityId: z.string().uuid().optional(),
  online: boolString.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  sort: z
    .enum([
      'name',
      '-name',
      'identity',
      '-identity',
      'status',
      '-status',
      'lastSeenAt',
      '-lastSeenAt',
      'site',
      '-site',
      'city',
      '-city',
    ])
    .optional(),
});

export const StationList = z
  .object({
    items: z.array(StationSummary),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('StationList');

export const SiteList = z
  .object({
    items: z.array(
      z.object({
        id: z.string().uuid(),
        code: z.string(),
        name: z.string(),
        cityId: z.string().uuid().nullable(),
        cityName: z.string().nullable(),
        lat: z.number().nullable(),
        lon: z.number().nullable(),
        stationCount: z.number().int(),
      }),
    ),
  })
  .openapi('SiteList');

export const CityList = z
  .object({
    items: z.array(
      z.object({
        id: z.string().uuid(),
        name: z.string(),
        countryCode: z.string(),
        lat: z.number().nullable(),
        lon: z.number().nullable(),
        siteCount: z.number().int(),
        stationCount: z.number().int(),
      }),
    ),
  })
  .openapi('CityList');

export const Kpis = z
  .object({
    stationsOnline: z.number().int(),
    stationsOffline: z.number().int(),
    stationsCharging: z.number().int(),
    stationsFaulted: z.number().int(),
    activeSessions: z.number().int(),
    powerNowW: z.number(),
    energyTodayWh: z.number(),
  })
  .openapi('Kpis');

export const Snapshot = z
  .object({ at: z.string(), stations: z.array(StationSummary), kpis: Kpis })
  .openapi('LiveSnapshot');
