/** Zod schemas of the history API: request validation and the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { CONNECTOR_STATUSES } from '@voltmesh/contract';
import { BUCKET_NAMES } from './buckets.js';
import { ENERGY_GROUPS } from './queries.js';

const time = z.iso
  .datetime({ offset: true })
  .openapi({ example: '2026-11-22T10:00:00Z', description: 'ISO 8601 with offset' });
const bucket = z.enum(BUCKET_NAMES as ['1m', '15m', '1h', '1d']);
const range = { from: time.optional(), to: time.optional() };

/** Every value `sessions.status` may hold (the table's CHECK constraint). */
export const SESSION_STATUSES = ['active', 'completed', 'stopped_by_operator', 'closed_by_watchdog'] as const;

export const PowerQuery = z.object({
  stationId: z.uuid().optional(),
  siteId: z.uuid().optional(),
  ...range,
  bucket: bucket
    .optional()
    .openapi({ description: 'default from the range: ≤6 h 1m, ≤3 d 15m, ≤60 d 1h, else 1d' }),
});
export const PowerHistory = z
  .object({
    bucket,
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ at: z.string(), powerW: z.number(), energyWh: z.number() })),
  })
  .openapi('PowerHistory');

export const RangeQuery = z.object(range);
export const StationParam = z.object({ id: z.string().max(64) });

export const MeterHistory = z
  .object({
    points: z.array(
      z.object({
        at: z.string(),
        evseId: z.number().int(),
        powerW: z.number().nullable(),
        voltageV: z.number().nullable(),
        currentA: z.number().nullable(),
        socPercent: z.number().nullable(),
      }),
    ),
  })
  .openapi('MeterHistory');

export const Timeline = z
  .object({
    segments: z.array(
      z.object({
        evseId: z.number().int(),
        connectorId: z.number().int(),
        status: z.enum(CONNECTOR_STATUSES),
        rawStatus: z.string(),
        from: z.string(),
        to: z.string().nullable(),
      }),
    ),
  })
  .openapi('StatusTimeline');

export const SessionPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const SessionPage = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        transactionId: z.string(),
        evseId: z.number().int().nullable(),
        connectorId: z.number().int().nullable(),
        idToken: z.string().nullable(),
        startedAt: z.string().nullable(),
        endedAt: z.string().nullable(),
        energyWh: z.number().nullable(),
        status: z.enum(SESSION_STATUSES).openapi({ example: 'completed' }),
        stopReason: z.string().nullable(),
      }),
    ),
    total: z.number().int(),
  })
  .openapi('SessionPage');

export const EnergyQuery = z.object({
  groupBy: z.enum(ENERGY_GROUPS),
  ...range,
  bucket: bucket.default('1d'),
});
export const EnergyHistory = z
  .object({
    bucket,
    rows: z.array(z.object({ key: z.string(), label: z.string(), at: z.string(), energyWh: z.number() })),
  })
  .openapi('EnergyHistory');

export const FleetQuery = z.object({ ...range, bucket: bucket.optional() });
export const FleetStatus = z
  .object({
    bucket,
    points: z.array(
      z.object({
        at: z.string(),
        online: z.number().int(),
        charging: z.number().int(),
        faulted: z.number().int(),
        offline: z.number().int(),
      }),
    ),
  })
  .openapi('FleetStatusHistory');
