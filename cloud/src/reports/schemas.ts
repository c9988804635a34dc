/** Zod schemas of the report endpoints (/api/reports/*). */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../resources/schemas.js';

export const CONSUMPTION_GROUPS = ['token', 'holder', 'group', 'company', 'station', 'site'] as const;
export type ConsumptionGroup = (typeof CONSUMPTION_GROUPS)[number];
export const CONSUMPTION_SORTS = [
  '-energyWh',
  'energyWh',
  'label',
  '-label',
  '-sessions',
  'sessions',
] as const;
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const UTILISATION_GROUPS = ['connector', 'station', 'site'] as const;
export type UtilisationGroup = (typeof UTILISATION_GROUPS)[number];

const time = z.iso
  .datetime({ offset: true })
  .openapi({ example: '2026-12-01T00:00:00Z', description: 'ISO 8601 with offset' });
const period = {
  from: time.optional().openapi({ description: 'default: the first instant of the current month (UTC)' }),
  to: time.optional().openapi({ description: 'exclusive; default: the first instant of next month (UTC)' }),
};
const tz = z
  .string()
  .max(64)
  .refine((v) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Berlin')
  .default('UTC')
  .openapi({ description: 'days, weeks, months and hours of the week are counted in this time zone' });
const where = {
  siteId: z.uuid().optional(),
  stationId: z.uuid().optional(),
};

const consumptionFilters = {
  ...period,
  siteId: z.uuid().optional(),
  stationId: z.uuid().optional(),
  holderId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  idToken: z.string().max(255).optional(),
  q: z.string().max(100).optional().openapi({ description: 'part of the token, holder name or company' }),
};
export const ConsumptionQuery = z.object({
  groupBy: z.enum(CONSUMPTION_GROUPS).default('token'),
  ...consumptionFilters,
  sort: z.enum(CONSUMPTION_SORTS).default('-energyWh'),
  ...PageQuery,
});
export const ConsumptionCsvQuery = z.object(consumptionFilters);

export const ConsumptionRow = z
  .object({
    key: z
      .string()
      .openapi({ description: "token, holder id, group id, company, station id or site id; '' = none" }),
    label: z.string().nullable(),
    /** Token rows: the holder; holder rows: the company. */
    detail: z.string().nullable(),
    sessions: z.number().int(),
    energyWh: z.number(),
  })
  .openapi('ConsumptionRow');
export const ConsumptionReport = z
  .object({
    groupBy: z.enum(CONSUMPTION_GROUPS),
    from: z.string(),
    to: z.string(),
    items: z.array(ConsumptionRow),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    totals: z.object({ sessions: z.number().int(), energyWh: z.number() }),
  })
  .openapi('ConsumptionReport');

export const SeriesQuery = z.object({ ...period, interval: z.enum(INTERVALS).default('day'), tz, ...where });
export const EnergySeries = z
  .object({
    interval: z.enum(INTERVALS),
    tz: z.string(),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ at: z.string().openapi({ example: '2026-12-01' }), energyWh: z.number() })),
  })
  .openapi('EnergySeries');

export const RevenueQuery = z.object({
  ...period,
  interval: z.enum(INTERVALS).default('day'),
  tz,
  siteId: z.uuid().optional(),
});
export const RevenueSeries = z
  .object({
    interval: z.enum(INTERVALS),
    tz: z.string(),
    from: z.string(),
    to: z.string(),
    points: z.array(
      z.object({
        at: z.string(),
        currency: z.string(),
        charges: z.string(),
        refunds: z.string(),
        adjustments: z.string(),
        revenue: z.string().openapi({ description: 'charges minus refunds' }),
      }),
    ),
    totals: z.array(z.object({ currency: z.string(), revenue: z.string() })),
  })
  .openapi('RevenueSeries');

export const PeakQuery = z.object({ ...period, tz, ...where });
export const PeakHours = z
  .object({
    tz: z.string(),
    from: z.string(),
    to: z.string(),
    energyWh: z
      .array(z.array(z.number()).length(24))
      .length(7)
      .openapi({ description: 'energyWh[weekday][hour], weekday 0 = Monday … 6 = Sunday' }),
  })
  .openapi('PeakHours');

export const UtilisationQuery = z.object({
  ...period,
  by: z.enum(UTILISATION_GROUPS).default('station'),
  ...where,
  ...PageQuery,
});
export const UtilisationRow = z
  .object({
    key: z.string(),
    label: z.string(),
    stationId: z.uuid().nullable(),
    siteId: z.uuid(),
    evseId: z.number().int().nullable(),
    connectorId: z.number().int().nullable(),
    connectors: z.number().int(),
    occupiedS: z.number(),
    utilisationPercent: z.number(),
    chargingS: z.number().nullable(),
    idleS: z
      .number()
      .nullable()
      .openapi({ description: 'occupied but no energy flowing; null when idleAvailable is false' }),
  })
  .openapi('UtilisationRow');
export const UtilisationReport = z
  .object({
    by: z.enum(UTILISATION_GROUPS),
    from: z.string(),
    to: z.string(),
    idleAvailable: z.boolean().openapi({
      description: 'false when the range starts before the 1-minute aggregates are kept (35 days)',
    }),
    items: z.array(UtilisationRow),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('UtilisationReport');

export const UptimeQuery = z.object({ ...period, ...where, ...PageQuery });
export const UptimeReport = z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        stationId: z.uuid(),
        stationName: z.string(),
        siteId: z.uuid(),
        siteName: z.string(),
        evseId: z.number().int(),
        upS: z.number(),
        uptimePercent: z.number(),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('UptimeReport');
