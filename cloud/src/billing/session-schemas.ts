/** Zod schemas of the session endpoints (docs/api.md, "Sessions"). */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../resources/schemas.js';
import { COST_COMPONENTS } from './cost.js';

const id = z.string().uuid();

export const SESSION_STATUSES = [
  'active',
  'completed',
  'stopped_by_operator',
  'closed_by_watchdog',
  'disputed',
] as const;

export const Money = z
  .object({
    net: z.string(),
    tax: z.string(),
    total: z.string(),
    currency: z.string(),
  })
  .openapi('Money');

export const SessionItem = z
  .object({
    id,
    stationId: id,
    stationIdentity: z.string(),
    stationName: z.string(),
    siteId: id,
    siteName: z.string(),
    evseId: z.number().int().nullable(),
    connectorId: z.number().int().nullable(),
    transactionId: z.string(),
    idToken: z.string().nullable(),
    holderId: id.nullable(),
    holderName: z.string().nullable(),
    groupName: z.string().nullable(),
    status: z.enum(SESSION_STATUSES),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    stopReason: z.string().nullable(),
    energyWh: z.number().nullable(),
    chargingSeconds: z.number().nullable(),
    idleSeconds: z.number().nullable(),
    peakPowerW: z.number().nullable(),
    cost: Money.nullable().openapi({ description: 'the final cost; null while active or without a tariff' }),
  })
  .openapi('SessionItem');

export const CostLineSchema = z
  .object({
    component: z.enum(COST_COMPONENTS),
    period: z.string().nullable(),
    quantity: z.string(),
    unitPrice: z.string(),
    amount: z.string().openapi({ description: 'exact amount before tax and before rounding' }),
  })
  .openapi('CostLine');

export const PeriodUsageSchema = z
  .object({
    period: z.string().nullable(),
    energyWh: z.number(),
    chargingSeconds: z.number(),
    idleSeconds: z.number(),
  })
  .openapi('PeriodUsage');

export const Breakdown = z
  .object({
    lines: z.array(CostLineSchema),
    periods: z.array(PeriodUsageSchema),
    taxRatePercent: z.string(),
    billedIdleSeconds: z.number(),
  })
  .openapi('CostBreakdown');

export const SessionDetail = SessionItem.extend({
  meterStartWh: z.number().nullable(),
  meterStopWh: z.number().nullable(),
  tariff: z
    .object({ id, name: z.string(), versionId: id, validFrom: z.string(), timeZone: z.string() })
    .nullable(),
  breakdown: Breakdown.nullable(),
  /** While active: the cost as of the latest reading (the final report uses the same function). */
  running: z
    .object({
      at: z.string().nullable(),
      energyWh: z.number(),
      chargingSeconds: z.number(),
      idleSeconds: z.number(),
      powerW: z.number().nullable(),
      voltageV: z.number().nullable(),
      currentA: z.number().nullable(),
      cost: Money.nullable(),
      breakdown: Breakdown.nullable(),
    })
    .nullable(),
  /** Cumulative energy at every reading (what the cost function priced), for the chart. */
  timeline: z.array(z.object({ at: z.string(), energyWh: z.number() })),
  reportAt: z.string().nullable(),
  dispute: z
    .object({ at: z.string(), reason: z.string(), by: z.string().nullable(), previousStatus: z.string() })
    .nullable(),
  forceStop: z.object({ at: z.string(), reason: z.string().nullable() }).nullable(),
}).openapi('SessionDetail');

export const SESSION_SORTS = [
  'startedAt',
  '-startedAt',
  'endedAt',
  '-endedAt',
  'energyWh',
  '-energyWh',
  'cost',
  '-cost',
] as const;

export const SessionQuery = z.object({
  status: z.enum(SESSION_STATUSES).optional(),
  stationId: id.optional(),
  siteId: id.optional(),
  idToken: z.string().max(64).optional(),
  holderId: id.optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'started at or after' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'started before' }),
  q: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'part of the station identity or name, token, holder or transaction id' }),
  sort: z.enum(SESSION_SORTS).default('-startedAt'),
  ...PageQuery,
});

export const SessionList = z
  .object({
    items: z.array(SessionItem),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('SessionList');

export const DisputeBody = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(2000) })
  .strict()
  .openapi('DisputeBody');
