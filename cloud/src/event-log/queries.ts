/**
 * Reads of the station event log: station events, remote commands and (when the alerts tables
 * exist) incidents, merged newest first. Every read is bounded by a time range and filtered by the
 * caller's tenant and site/city scope before any other filter.
 */
import type { StationEvent } from '@voltmesh/contract';
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import {
  EVENT_CATEGORY_SQL,
  LOGGED_EVENT_TYPES,
  summarizeCommand,
  summarizeStationEvent,
  type EntryType,
  type EventCategory,
  type Summary,
  type SummaryCode,
  type SummaryParams,
} from './entries.js';
import { incidentBranch, incidentSummary } from './incidents.js';

export interface EventLogFilter {
  fromMs: number;
  toMs: number;
  stationId?: string | undefined;
  siteId?: string | undefined;
  type?: EntryType | undefined;
  category?: readonly EventCategory[] | undefined;
  q?: string | undefined;
}

export interface EventLogEntry {
  id: string;
  at: string;
  source: 'station' | 'command' | 'incident';
  stationId: string;
  stationIdentity: string;
  stationName: string;
  siteId: string;
  siteName: string;
  category: EventCategory;
  type: string;
  summary: { code: SummaryCode; params: SummaryParams };
  text: string;
  details: Record<string, unknown>;
}

export interface HourCount {
  at: string;
  category: EventCategory;
  count: number;
}

/** Where a keyset page of the export continues: strictly older than this entry. */
export interface After {
  at: Date;
  id: string;
}

export interface EventLogQueries {
  list(
    scope: Scope,
    f: EventLogFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: EventLogEntry[]; total: number }>;
  /** Entries in export order, `size` at a time, continuing after `after`. */
  chunk(scope: Scope, f: EventLogFilter, after: After | null, size: number): Promise<EventLogEntry[]>;
  counts(scope: Scope, f: EventLogFilter, bucket: 'hour' | 'day'): Promise<HourCount[]>;
}

interface Row {
  id: string;
  at: Date;
  source: EventLogEntry['source'];
  station_id: string;
  identity: string;
  station_name: string;
  site_id: string;
  site_name: string;
  category: EventCategory;
  type: string;
  details: Record<string, unknown>;
}

/** Inline (constants), so the planner can use the partial index of the migration event-log. */
const LOGGED_TYPES_SQL = LOGGED_EVENT_TYPES.map((t) => `'${t}'`).join(', ');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function summaryOf(row: Row): Summary {
  if (row.source === 'command') {
    // Built by the commands branch of the query (jsonb_build_object), so the keys are always there.
    const d = row.details as {
      command: { type?: string };
      outcome: string;
      detail: string | null;
      userEmail: string;
    };
    return summarizeCommand({
      commandType: d.command.type ?? 'unknown',
      outcome: d.outcome,
      detail: d.detail,
      userEmail: d.userEmail,
    });
  }
  if (row.source === 'incident') return incidentSummary(row.type, row.details);
  return summarizeStationEvent(row.details as StationEvent);
}

function toEntry(row: Row): EventLogEntry {
  const { code, params, text } = summaryOf(row);
  return {
    id: row.id,
    at: row.at.toISOString(),
    source: row.source,
    stationId: row.station_id,
    stationIdentity: row.identity,
    stationName: row.station_name,
    siteId: row.site_id,
    siteName: row.site_name,
    category: row.category,
    type: row.type,
    summary: { code, params },
    text,
    details: row.details,
  };
}

export function createEventLogQueries(db: Db): EventLogQueries {
  /**
   * The merged entries as a subquery `x`, scoped and filtered, with its parameters. The station
   * filter and the time range sit in every branch so each reads only its index range.
   */
  function entries(scope: Scope, f: EventLogFilter) {
    // $1 tenant, $2–$3 the range, $4–$5 the grant's site and city; filters follow.
    const params: unknown[] = [
      scope.tenantId,
      new Date(f.fromMs),
      new Date(f.toMs),
      scope.siteId,
      scope.cityId,
    ];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // A malformed station id matches nothing rather than failing the uuid cast.
    const station =
      f.stationId === undefined
        ? null
        : UUID.test(f.stationId)
          ? f.stationId
          : '00000000-0000-0000-0000-000000000000';
    const stationOf = (column: string) => (station === null ? '' : ` AND ${column} = ${p(station)}::uuid`);
    const branches = [
      `SELECT e.id::text AS id, e.occurred_at AS at, 'station' AS source, e.station_id, e.type,
              ${EVENT_CATEGORY_SQL} AS category, e.payload AS details
         FROM station_events e
        WHERE e.tenant_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.station_id IS NOT NULL
          AND e.type IN (${LOGGED_TYPES_SQL})
          AND NOT (e.type = 'session.updated' AND e.payload->>'chargingState' IS NULL)${stationOf('e.station_id')}`,
      `SELECT c.id::text, c.requested_at, 'command', c.station_id, 'command.sent', 'command',
              jsonb_build_object('command', c.command, 'outcome', c.outcome, 'detail', c.detail,
                                 'userEmail', c.user_email, 'durationMs', c.duration_ms)
         FROM commands c
        WHERE c.tenant_id = $1 AND c.requested_at >= $2 AND c.requested_at < $3${stationOf('c.station_id')}`,
      incidentBranch(stationOf('i.station_id')),
    ];

    const clauses = ['($4::uuid IS NULL OR si.id = $4::uuid)', '($5::uuid IS NULL OR si.city_id = $5::uuid)'];
    const filters: string[] = [];
    if (f.siteId !== undefined) filters.push(UUID.test(f.siteId) ? `si.id = ${p(f.siteId)}::uuid` : 'false');
    if (f.type !== undefined) filters.push(`x.type = ${p(f.type)}`);
    if (f.category !== undefined && f.category.length > 0)
      filters.push(`x.category = ANY(${p(f.category)}::text[])`);
    const q = f.q?.trim().toLowerCase();
    if (q)
      filters.push(
        `lower(concat_ws(' ', st.identity, st.name, si.name, x.type, x.details::text)) LIKE ${p(`%${escapeLike(q)}%`)}`,
      );
    return {
      sql: `(${branches.join('\n UNION ALL \n')}) x
            JOIN stations st ON st.id = x.station_id
            JOIN sites si ON si.id = st.site_id
           WHERE ${[...clauses, ...filters].join(' AND ')}`,
      params,
    };
  }

  const columns = `x.id, x.at, x.source, x.station_id, st.identity, st.name AS station_name, si.id AS site_id,
                   si.name AS site_name, x.category, x.type, x.details`;

  return {
    async list(scope, f, page) {
      const w = entries(scope, f);
      const n = w.params.length;
      const [{ rows }, count] = await Promise.all([
        db.query<Row>(
          `SELECT ${columns} FROM ${w.sql} ORDER BY x.at DESC, x.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
          [...w.params, page.limit, page.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${w.sql}`, w.params),
      ]);
      return { items: rows.map(toEntry), total: count.rows[0]?.n ?? 0 };
    },

    async chunk(scope, f, after, size) {
      const w = entries(scope, f);
      const n = w.params.length;
      const { rows } = after
        ? await db.query<Row>(
            `SELECT ${columns} FROM ${w.sql} AND (x.at, x.id) < ($${n + 1}, $${n + 2})
              ORDER BY x.at DESC, x.id DESC LIMIT $${n + 3}`,
            [...w.params, after.at, after.id, size],
          )
        : await db.query<Row>(
            `SELECT ${columns} FROM ${w.sql} ORDER BY x.at DESC, x.id DESC LIMIT $${n + 1}`,
            [...w.params, size],
          );
      return rows.map(toEntry);
    },

    async counts(scope, f, bucket) {
      const w = entries(scope, f);
      const { rows } = await db.query<{ at: Date; category: EventCategory; count: number }>(
        `SELECT date_trunc('${bucket}', x.at) AS at, x.category, count(*)::int AS count
           FROM ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
        w.params,
      );
      return rows.map((r) => ({ at: r.at.toISOString(), category: r.category, count: r.count }));
    },
  };
}
