/** Zod schemas of the resource endpoints (cities, sites, station settings, tokens, holders, groups). */
import { z } from '@hono/zod-openapi';

const lat = z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
const lon = z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === '' ? null : v));
const id = z.string().uuid();

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const IdParam = z.object({ id: z.string().max(64) });

// ---- cities

/** Fields without defaults: a PATCH must leave out what it does not change (zod 4 applies defaults inside optional). */
const CityFields = z.object({
  name: text(200),
  countryCode: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "DE"'))
    .openapi({ example: 'DE' }),
  lat: lat.nullable(),
  lon: lon.nullable(),
});
export const CityBody = CityFields.extend({
  lat: lat.nullable().default(null),
  lon: lon.nullable().default(null),
})
  .strict()
  .openapi('CityBody');
export const CityPatch = CityFields.partial().strict().openapi('CityPatch');

export const City = z
  .object({
    id,
    name: z.string(),
    countryCode: z.string(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    siteCount: z.number().int(),
    stationCount: z.number().int(),
  })
  .openapi('City');

// ---- sites

export const SitePolicyBody = z
  .object({
    unknownStations: z.enum(['reject', 'pending']),
    unknownTokenWhileOffline: z.enum(['accept', 'reject']),
    heartbeatIntervalS: z.number().int().min(10).max(86_400),
    bootRetryIntervalS: z.number().int().min(10).max(86_400),
  })
  .partial()
  .strict()
  .openapi('SitePolicyBody');

const SiteFields = z.object({
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/,
      'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit (it is the edge agent\'s SITE_ID)',
    )
    .openapi({ example: 'berlin-depot' }),
  name: text(200),
  cityId: id.nullable(),
  address: optionalText(500),
  lat: lat.nullable(),
  lon: lon.nullable(),
  gridCapacityKw: z.number().min(0).max(1_000_000).nullable(),
  policy: SitePolicyBody,
});
export const SiteBody = SiteFields.extend({
  cityId: id.nullable().default(null),
  address: optionalText(500).default(null),
  lat: lat.nullable().default(null),
  lon: lon.nullable().default(null),
  gridCapacityKw: z.number().min(0).max(1_000_000).nullable().default(null),
  policy: SitePolicyBody.default({}),
})
  .strict()
  .openapi('SiteBody');
/** The code is the edge's SITE_ID and the name of its KV bucket and subjects: it never changes. */
export const SitePatch = SiteFields.omit({ code: true }).partial().strict().openapi('SitePatch');

export const Site = z
  .object({
    id,
    code: z.string(),
    name: z.string(),
    cityId: id.nullable(),
    cityName: z.string().nullable(),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    gridCapacityKw: z.number().nullable(),
    policy: z.object({
      unknownStations: z.enum(['reject', 'pending']),
      unknownTokenWhileOffline: z.enum(['accept', 'reject']),
      heartbeatIntervalS: z.number().int(),
      bootRetryIntervalS: z.number().int(),
    }),
    stationCount: z.number().int(),
    onlineCount: z.number().int(),
    natsUser: z.string().nullable(),
    credentialsAt: z.string().nullable(),
  })
  .openapi('Site');

export const EdgeCredentials = z
  .object({
    natsUser: z.string(),
    natsPassword: z.string().openapi({ description: 'shown once; only a bcrypt hash is kept' }),
  })
  .openapi('EdgeCredentials');

export const SiteCreated = z.object({ site: Site, credentials: EdgeCredentials }).openapi('SiteCreated');

export const NatsAuthorization = z
  .object({
    config: z.string().openapi({ description: 'nats-server `authorization { users = [...] }` block' }),
    sites: z.number().int(),
    sitesWithoutCredentials: z.array(z.string()),
  })
  .openapi('NatsAuthorization');

// ---- stations

export const CONNECTOR_TYPES = [
  'Type1',
  'Type2',
  'CCS1',
  'CCS2',
  'CHAdeMO',
  'GBT_AC',
  'GBT_DC',
  'NACS',
] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

export const ConnectorSpec = z
  .object({
    evseId: z.number().int().min(1).max(100),
    connectorId: z.number().int().min(1).max(10),
    type: z.enum(CONNECTOR_TYPES, { error: `must be one of ${CONNECTOR_TYPES.join(', ')}` }),
    maxPowerW: z.number().int().min(1).max(2_000_000),
  })
  .strict()
  .openapi('ConnectorSpec');

export const ConnectorList = z
  .array(ConnectorSpec)
  .max(50)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      const key = `${c.evseId}/${c.connectorId}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [i, 'connectorId'], message: `EVSE ${key} is listed twice` });
      }
      seen.add(key);
    });
  });

export const ConnectorsBody = z.object({ connectors: ConnectorList }).strict().openapi('ConnectorsBody');

/** An OCPP identity is the last path segment of the WebSocket URL and the Basic-auth user name. */
const identity = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[A-Za-z0-9._~*+=@-]+$/, 'may hold letters, digits and . _ ~ * + = @ - only (no spaces or ":")');

export const SECURITY_PROFILES = [1, 2, 3] as const;
const securityProfile = z
  .number()
  .int()
  .min(1, 'must be 1, 2 or 3')
  .max(3, 'must be 1, 2 or 3')
  .openapi({ description: '1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS' });

export const StationBody = z
  .object({
    siteId: id,
    identity,
    name: text(200),
    vendor: optionalText(50).default(null),
    model: optionalText(50).default(null),
    serialNumber: optionalText(50).default(null),
    lat: lat.nullable().default(null),
    lon: lon.nullable().default(null),
    securityProfile: securityProfile.default(1),
    enabled: z.boolean().default(true),
    connectors: ConnectorList.default([]),
  })
  .strict()
  .openapi('StationBody');

export const StationPatch = z
  .object({
    siteId: id,
    name: text(200),
    vendor: optionalText(50),
    model: optionalText(50),
    serialNumber: optionalText(50),
    lat: lat.nullable(),
    lon: lon.nullable(),
    securityProfile,
    enabled: z.boolean(),
    approved: z
      .literal(true)
      .openapi({ description: 'approve a pending (auto-registered) station: it is published to the edge' }),
  })
  .partial()
  .strict()
  .openapi('StationPatch');

export const StationSettings = z
  .object({
    id,
    siteId: id,
    siteCode: z.string(),
    identity: z.string(),
    name: z.string(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    unplaced: z.boolean(),
    approved: z.boolean(),
    enabled: z.boolean(),
    registrationStatus: z.string().nullable(),
    securityProfile: z.number().int(),
    hasPassword: z.boolean(),
    passwordSetAt: z.string().nullable(),
    connectors: z.array(
      z.object({
        evseId: z.number().int(),
        connectorId: z.number().int(),
        type: z.string().nullable(),
        maxPowerW: z.number().int().nullable(),
      }),
    ),
  })
  .openapi('StationSettings');

export const StationSaved = z
  .object({
    station: StationSettings,
    password: z
      .string()
      .nullable()
      .openapi({ description: 'a newly generated Basic-auth password, shown once; null when unchanged' }),
  })
  .openapi('StationSaved');

export const StationPassword = z
  .object({ password: z.string().openapi({ description: 'shown once; only an argon2id hash is kept' }) })
  .openapi('StationPassword');

export const SiteItems = z.object({ items: z.array(Site) }).openapi('SiteItems');
