/** HTTP shapes of the event log endpoints (request validation and the OpenAPI document). */
import { z } from '@hono/zod-openapi';
import { ENTRY_TYPES, EVENT_CATEGORIES, SUMMARY_CODES } from './entries.js';

const time = z.iso
  .datetime({ offset: true })
  .openapi({ example: '2026-11-22T10:00:00Z', description: 'ISO 8601 with offset' });

/** Filters shared by the page, the counts and the CSV export. */
const filters = {
  stationId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  type: z.enum(ENTRY_TYPES).optional(),
  category: z
    .string()
    .max(200)
    .optional()
    .openapi({
      description: `comma-separated categories (${EVENT_CATEGORIES.join(', ')})`,
      example: 'error,status',
    }),
  from: time.optional().openapi({ description: 'inclusive; default `to` minus 7 days' }),
  to: time.optional().openapi({ description: 'exclusive; default now; at most 93 days after `from`' }),
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'text in the station, site, type or details (case-insensitive)' }),
};

export const EventLogFilterQuery = z.object(filters);
export const EventLogQuery = z.object({
  ...filters,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const category = z.enum(EVENT_CATEGORIES);

export const EventLogEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    source: z.enum(['station', 'command', 'incident']),
    stationId: z.uuid(),
    stationIdentity: z.string(),
    stationName: z.string(),
    siteId: z.uuid(),
    siteName: z.string(),
    category,
    type: z.string().openapi({ example: 'connector.status' }),
    summary: z.object({
      code: z.enum(SUMMARY_CODES),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    }),
    text: z.string().openapi({
      description: 'the summary in English',
      example: 'EVSE 1/1 faulted (Faulted) error GroundFailure',
    }),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('EventLogEntry');

export const EventLogPage = z
  .object({
    items: z.array(EventLogEntry),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    from: z.string(),
    to: z.string(),
  })
  .openapi('EventLogPage');

export const EventLogCounts = z
  .object({
    bucket: z.enum(['hour', 'day']).openapi({ description: 'hour up to 14 days, else day' }),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ at: z.string(), category, count: z.number().int() })),
  })
  .openapi('EventLogCounts');
