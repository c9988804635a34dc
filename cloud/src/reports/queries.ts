/**
 * The report queries behind /api/reports/* (docs/ledger-and-reports.md defines every figure).
 * Consumption sums the sessions' energy (the energy module's value) by who and where; energy per
 * day/week/month and peak hours read the hourly time-series aggregates (rollups on PostgreSQL,
 * continuous aggregates on TimescaleDB, through `bucketSource`); revenue reads the ledger;
 * utilisation, idle time and uptime sweep the station status history, idle time cutting the minutes
 * with energy flowing (1-minute aggregates) out of the occupied time. Every query is limited to the
 * caller's tenant and site or city grant.
 */
import type { z } from '@hono/zod-openapi';
import Cursor from 'pg-cursor';
import type { Db } from '../db/pool.js';
import { BUCKETS, bucketStart } from '../history/buckets.js';
import { bucketSource, type StorageEngine } from '../history/sources.js';
import { LEDGER_SCOPED } from '../ledger/ledger-store.js';
import { Decimal, formatAmount } from '../ledger/money.js';
import type { Scope } from '../stations/queries.js';
import type {
  ConsumptionCsvQuery,
  ConsumptionGroup,
  ConsumptionQuery,
  ConsumptionRow,
  Interval,
  UtilisationGroup,
  UtilisationRow,
} from './schemas.js';
import { sweepStatusTime, type StatusEvent } from './status-time.js';

export interface Period {
  from: Date;
  to: Date;
}
type Where = { siteId?: string | undefined; stationId?: string | undefined };

export interface SessionLine {
  sessionId: string;
  transactionId: string;
  startedAt: Date | null;
  endedAt: Date | null;
  status: string;
  stationName: string;
  siteName: string;
  idToken: string | null;
  holderName: string | null;
  groupName: string | null;
  company: string | null;
  energyWh: number;
}

export interface ReportQueries {
  consumption(
    scope: Scope,
    q: z.output<typeof ConsumptionQuery>,
    period: Period,
  ): Promise<{
    items: z.infer<typeof ConsumptionRow>[];
    total: number;
    totals: { sessions: number; energyWh: number };
  }>;
  sessionLines(
    scope: Scope,
    q: z.output<typeof ConsumptionCsvQuery>,
    period: Period,
    batch?: number,
  ): AsyncIterable<SessionLine[]>;
  energy(
    scope: Scope,
    q: Where & { interval: Interval; tz: string },
    period: Period,
  ): Promise<{ at: string; energyWh: number }[]>;
  revenue(
    scope: Scope,
    q: { siteId?: string | undefined; interval: Interval; tz: string },
    period: Period,
  ): Promise<
    { at: string; currency: string; charges: string; refunds: string; adjustments: string; revenue: string }[]
  >;
  peakHours(scope: Scope, q: Where & { tz: string }, period: Period): Promise<number[][]>;
  utilisation(
    scope: Scope,
    q: Where & { by: UtilisationGroup },
    period: Period,
  ): Promise<{ idleAvailable: boolean; items: z.infer<typeof UtilisationRow>[] }>;
  uptime(
    scope: Scope,
    q: Where,
    period: Period,
  ): Promise<
    {
      stationId: string;
      stationName: string;
      siteId: string;
      siteName: string;
      evseId: number;
      upS: number;
      uptimePercent: number;
    }[]
  >;
}

/** `$1` tenant, `$2` scope site, `$3` scope city over a `stations` alias. */
const STATION_SCOPED = (st: string) => `${st}.tenant_id = $1
  AND ($2::uuid IS NULL OR ${st}.site_id = $2)
  AND ($3::uuid IS NULL OR ${st}.site_id IN (SELECT id FROM sites WHERE city_id = $3 AND tenant_id = $1))`;

/** Sessions started in the period with the token's holder, group and company (a site's own token wins). */
const SESSIONS_WITH_OWNER = `
  SELECT s.id, s.transaction_id, s.started_at, s.ended_at, s.status, coalesce(s.energy_wh, 0) AS energy_wh, s.id_token,
         st.id AS station_id, st.name AS station_name, st.site_id, si.name AS site_name,
         o.holder_id, o.holder_name, o.group_id, o.group_name, o.group_kind, o.company
    FROM sessions s
    JOIN stations st ON st.id = s.station_id
    JOIN sites si ON si.id = st.site_id
    LEFT JOIN LATERAL (
      SELECT t.holder_id, h.name AS holder_name, t.token_group_id AS group_id, g.name AS group_name,
             g.kind AS group_kind, h.company
        FROM id_tokens t
        LEFT JOIN token_holders h ON h.id = t.holder_id
        LEFT JOIN token_groups g ON g.id = t.token_group_id
       WHERE t.tenant_id = s.tenant_id AND t.id_token = s.id_token AND (t.site_id IS NULL OR t.site_id = st.site_id)
       ORDER BY t.site_id IS NULL, t.created_at
       LIMIT 1
    ) o ON true`;

const GROUPS: Record<ConsumptionGroup, { key: string; label: string; detail: string }> = {
  token: { key: "coalesce(x.id_token, '')", label: 'max(x.id_token)', detail: 'max(x.holder_name)' },
  holder: { key: "coalesce(x.holder_id::text, '')", label: 'max(x.holder_name)', detail: 'max(x.company)' },
  group: { key: "coalesce(x.group_id::text, '')", label: 'max(x.group_name)', detail: 'max(x.group_kind)' },
  company: {
    key: "coalesce(x.company, CASE WHEN x.group_kind = 'corporate' THEN x.group_name END, '')",
    label:
      "nullif(max(coalesce(x.company, CASE WHEN x.group_kind = 'corporate' THEN x.group_name END, '')), '')",
    detail: 'NULL::text',
  },
  station: { key: 'x.station_id::text', label: 'max(x.station_name)', detail: 'max(x.site_name)' },
  site: { key: 'x.site_id::text', label: 'max(x.site_name)', detail: 'NULL::text' },
};
const CONSUMPTION_SORTS: Record<z.output<typeof ConsumptionQuery>['sort'], string> = {
  '-energyWh': 'energy_wh DESC, key',
  energyWh: 'energy_wh ASC, key',
  label: 'label ASC NULLS LAST, key',
  '-label': 'label DESC NULLS LAST, key',
  '-sessions': 'sessions DESC, key',
  sessions: 'sessions ASC, key',
};
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function sessionFilter(scope: Scope, q: z.output<typeof ConsumptionCsvQuery>, period: Period) {
  const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId, period.from, period.to];
  const clauses = [STATION_SCOPED('st'), 's.tenant_id = $1', 's.started_at >= $4', 's.started_at < $5'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (q.siteId) add((p) => `st.site_id = ${p}::uuid`, q.siteId);
  if (q.stationId) add((p) => `st.id = ${p}::uuid`, q.stationId);
  if (q.idToken) add((p) => `s.id_token = ${p}`, q.idToken);
  if (q.holderId) add((p) => `o.holder_id = ${p}::uuid`, q.holderId);
  if (q.groupId) add((p) => `o.group_id = ${p}::uuid`, q.groupId);
  if (q.q?.trim()) {
    add(
      (p) => `concat_ws(' ', s.id_token, o.holder_name, o.company) ILIKE ${p}`,
      `%${escapeLike(q.q.trim())}%`,
    );
  }
  return { sql: `${SESSIONS_WITH_OWNER} WHERE ${clauses.join(' AND ')}`, params };
}

/** Local period starts of `interval` in `tz` covering [from, to), as 'YYYY-MM-DD'. */
const PERIODS_SQL = (from: string, to: string, interval: string, tz: string) => `
  SELECT generate_series(date_trunc(${interval}, ${from}::timestamptz AT TIME ZONE ${tz}),
                         (${to}::timestamptz - interval '1 microsecond') AT TIME ZONE ${tz},
                         ('1 ' || ${interval})::interval) AS local`;

export function createReportQueries(
  db: Db,
  options: { engine: StorageEngine; now?: () => number },
): ReportQueries {
  const now = options.now ?? Date.now;
  const sourceParams = (scope: Scope, period: Period, w: Where, bucketMs: number) => [
    scope.tenantId,
    new Date(period.from.getTime() - (((period.from.getTime() % bucketMs) + bucketMs) % bucketMs)),
    period.to,
    w.stationId ?? null,
    w.siteId ?? null,
    scope.siteId,
    scope.cityId,
  ];

  /** Connectors (EVSE > 0) in scope and the state events that matter for the period. */
  const statusHistory = async (scope: Scope, w: Where, period: Period) => {
    const { rows: connectors } = await db.query<{
      station_id: string;
      evse_id: number;
      connector_id: number;
      station_name: string;
      site_id: string;
      site_name: string;
    }>(
      `SELECT c.station_id, c.evse_id, c.connector_id, st.name AS station_name, st.site_id, si.name AS site_name
         FROM connectors c JOIN stations st ON st.id = c.station_id JOIN sites si ON si.id = st.site_id
        WHERE ${STATION_SCOPED('st')} AND c.evse_id > 0
          AND ($4::uuid IS NULL OR st.id = $4) AND ($5::uuid IS NULL OR st.site_id = $5)
        ORDER BY si.name, st.name, c.evse_id, c.connector_id`,
      [scope.tenantId, scope.siteId, scope.cityId, w.stationId ?? null, w.siteId ?? null],
    );
    const stationIds = [...new Set(connectors.map((c) => c.station_id))];
    const { rows: events } = await db.query<{
      occurred_at: Date;
      station_id: string;
      type: string;
      evse_id: number | null;
      connector_id: number | null;
      status: string | null;
    }>(
      `WITH e AS (
         SELECT e.occurred_at, e.seq, e.station_id, e.type, e.payload
           FROM station_events e
          WHERE e.tenant_id = $1 AND e.station_id = ANY($2::uuid[])
            AND e.type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status')
            AND e.occurred_at >= $3 AND e.occurred_at < $4
         UNION ALL
         SELECT * FROM (
           SELECT DISTINCT ON (e.station_id, e.type = 'connector.status', e.payload->>'evseId', e.payload->>'connectorId')
                  e.occurred_at, e.seq, e.station_id, e.type, e.payload
             FROM station_events e
            WHERE e.tenant_id = $1 AND e.station_id = ANY($2::uuid[])
              AND e.type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status')
              AND e.occurred_at < $3
            ORDER BY e.station_id, e.type = 'connector.status', e.payload->>'evseId', e.payload->>'connectorId',
                     e.occurred_at DESC, e.seq DESC
         ) b
       )
       SELECT occurred_at, station_id, type, (payload->>'evseId')::int AS evse_id,
              (payload->>'connectorId')::int AS connector_id, payload->>'status' AS status
         FROM e ORDER BY occurred_at, seq`,
      [scope.tenantId, stationIds, period.from, period.to],
    );
    const statusEvents: StatusEvent[] = events.map((e) => ({
      atMs: e.occurred_at.getTime(),
      stationId: e.station_id,
      type: e.type,
      evseId: e.evse_id,
      connectorId: e.connector_id,
      status: e.status,
    }));
    const times = sweepStatusTime(
      connectors.map((c) => ({ stationId: c.station_id, evseId: c.evse_id, connectorId: c.connector_id })),
      statusEvents,
      period.from.getTime(),
      period.to.getTime(),
    );
    return times.map((t, i) => ({ ...t, meta: connectors[i]! }));
  };

  return {
    async consumption(scope, q, period) {
      const f = sessionFilter(scope, q, period);
      const g = GROUPS[q.groupBy];
      const grouped = `SELECT ${g.key} AS key, ${g.label} AS label, ${g.detail} AS detail,
                              count(*)::int AS sessions, sum(x.energy_wh)::float8 AS energy_wh
                         FROM (${f.sql}) x GROUP BY 1`;
      const [{ rows }, totals] = await Promise.all([
        db.query<{
          key: string;
          label: string | null;
          detail: string | null;
          sessions: number;
          energy_wh: number;
        }>(
          `SELECT * FROM (${grouped}) r ORDER BY ${CONSUMPTION_SORTS[q.sort]}
            LIMIT $${f.params.length + 1} OFFSET $${f.params.length + 2}`,
          [...f.params, q.limit, q.offset],
        ),
        db.query<{ groups: number; sessions: number; energy_wh: number }>(
          `SELECT (SELECT count(*)::int FROM (${grouped}) r) AS groups, count(*)::int AS sessions,
                  coalesce(sum(x.energy_wh), 0)::float8 AS energy_wh FROM (${f.sql}) x`,
          f.params,
        ),
      ]);
      const t = totals.rows[0]!;
      return {
        items: rows.map((r) => ({
          key: r.key,
          label: r.label,
          detail: r.detail,
          sessions: r.sessions,
          energyWh: r.energy_wh,
        })),
        total: t.groups,
        totals: { sessions: t.sessions, energyWh: t.energy_wh },
      };
    },

    async *sessionLines(scope, q, period, batch = 1_000) {
      const f = sessionFilter(scope, q, period);
      const client = await db.connect();
      const cursor = client.query(
        new Cursor<{
          id: string;
          transaction_id: string;
          started_at: Date | null;
          ended_at: Date | null;
          status: string;
          station_name: string;
          site_name: string;
          id_token: string | null;
          holder_name: string | null;
          group_name: string | null;
          company: string | null;
          energy_wh: number;
        }>(`${f.sql} ORDER BY s.started_at, s.id`, f.params),
      );
      try {
        for (;;) {
          const rows = await cursor.read(batch);
          if (rows.length === 0) return;
          yield rows.map((r) => ({
            sessionId: r.id,
            transactionId: r.transaction_id,
            startedAt: r.started_at,
            endedAt: r.ended_at,
            status: r.status,
            stationName: r.station_name,
            siteName: r.site_name,
            idToken: r.id_token,
            holderName: r.holder_name,
            groupName: r.group_name,
            company: r.company,
            energyWh: r.energy_wh,
          }));
        }
      } finally {
        await cursor.close().catch(() => {});
        client.release();
      }
    },

    async energy(scope, q, period) {
      const params = [...sourceParams(scope, period, q, BUCKETS['1h'].ms), q.interval, q.tz];
      const { rows } = await db.query<{ at: string; energy_wh: number }>(
        `WITH d AS (${PERIODS_SQL('$2', '$3', '$8', '$9')}),
              e AS (SELECT date_trunc($8, s.bucket AT TIME ZONE $9) AS local, sum(s.energy_wh) AS energy_wh
                      FROM ${bucketSource(options.engine, '1h')} s GROUP BY 1)
         SELECT to_char(d.local, 'YYYY-MM-DD') AS at, greatest(coalesce(e.energy_wh, 0), 0)::float8 AS energy_wh
           FROM d LEFT JOIN e ON e.local = d.local ORDER BY d.local`,
        params,
      );
      return rows.map((r) => ({ at: r.at, energyWh: r.energy_wh }));
    },

    async revenue(scope, q, period) {
      const { rows } = await db.query<{
        at: string;
        currency: string;
        charges: string;
        refunds: string;
        adjustments: string;
      }>(
        `SELECT to_char(date_trunc($6, e.occurred_at AT TIME ZONE $7), 'YYYY-MM-DD') AS at, e.currency,
                coalesce(sum(e.amount) FILTER (WHERE e.kind = 'session_charge'), 0)::text AS charges,
                coalesce(-sum(e.amount) FILTER (WHERE e.kind = 'refund'), 0)::text AS refunds,
                coalesce(sum(e.amount) FILTER (WHERE e.kind = 'adjustment'), 0)::text AS adjustments
           FROM ledger_entries e
          WHERE ${LEDGER_SCOPED('e')} AND e.occurred_at >= $4 AND e.occurred_at < $5
            AND ($8::uuid IS NULL OR e.site_id = $8)
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [
          scope.tenantId,
          scope.siteId,
          scope.cityId,
          period.from,
          period.to,
          q.interval,
          q.tz,
          q.siteId ?? null,
        ],
      );
      return rows.map((r) => ({
        at: r.at,
        currency: r.currency,
        charges: formatAmount(new Decimal(r.charges)),
        refunds: formatAmount(new Decimal(r.refunds)),
        adjustments: formatAmount(new Decimal(r.adjustments)),
        revenue: formatAmount(new Decimal(r.charges).minus(r.refunds)),
      }));
    },

    async peakHours(scope, q, period) {
      const { rows } = await db.query<{ dow: number; hour: number; energy_wh: number }>(
        `SELECT extract(isodow FROM s.bucket AT TIME ZONE $8)::int - 1 AS dow,
                extract(hour FROM s.bucket AT TIME ZONE $8)::int AS hour, sum(s.energy_wh)::float8 AS energy_wh
           FROM ${bucketSource(options.engine, '1h')} s GROUP BY 1, 2`,
        [...sourceParams(scope, period, q, BUCKETS['1h'].ms), q.tz],
      );
      const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      for (const r of rows) grid[r.dow]![r.hour] = Math.max(0, r.energy_wh);
      return grid;
    },

    async utilisation(scope, q, period) {
      const times = await statusHistory(scope, q, period);
      const kept = BUCKETS['1m'].keptDays * 86_400_000;
      const idleAvailable = period.from.getTime() >= bucketStart('1m', now() - kept);
      const chargingMs = new Map<string, number>();
      const ck = (stationId: string, evseId: number, connectorId: number) =>
        `${stationId}/${evseId}/${connectorId}`;
      const stretches = times.flatMap((t) =>
        t.occupied.map(([from, to]) => ({
          station_id: t.stationId,
          evse_id: t.evseId,
          connector_id: t.connectorId,
          from_ms: from,
          to_ms: to,
        })),
      );
      if (idleAvailable && stretches.length > 0) {
        // The overlap of the minutes with energy and the occupied stretches, summed in the database:
        // one row per connector comes back, however many minutes the period holds.
        const { rows } = await db.query<{
          station_id: string;
          evse_id: number;
          connector_id: number;
          ms: number;
        }>(
          `WITH occ AS (
             SELECT o.station_id, o.evse_id, o.connector_id,
                    to_timestamp(o.from_ms / 1000.0) AS s, to_timestamp(o.to_ms / 1000.0) AS e
               FROM jsonb_to_recordset($8::jsonb)
                    AS o(station_id uuid, evse_id int, connector_id int, from_ms float8, to_ms float8)
           )
           SELECT b.station_id, b.evse_id, b.connector_id,
                  sum(extract(epoch FROM least(b.bucket + interval '1 minute', occ.e) - greatest(b.bucket, occ.s)))
                    * 1000 AS ms
             FROM ${bucketSource(options.engine, '1m')} b
             JOIN occ ON occ.station_id = b.station_id AND occ.evse_id = b.evse_id AND occ.connector_id = b.connector_id
                     AND b.bucket < occ.e AND b.bucket + interval '1 minute' > occ.s
            WHERE b.energy_wh > 0
            GROUP BY 1, 2, 3`,
          [...sourceParams(scope, period, q, BUCKETS['1m'].ms), JSON.stringify(stretches)],
        );
        for (const r of rows) chargingMs.set(ck(r.station_id, r.evse_id, r.connector_id), Number(r.ms));
      }
      const periodMs = period.to.getTime() - period.from.getTime();
      const groups = new Map<
        string,
        {
          row: Omit<z.infer<typeof UtilisationRow>, 'utilisationPercent' | 'idleS'>;
          occupiedMs: number;
          chargingMs: number;
        }
      >();
      for (const t of times) {
        const m = t.meta;
        const [key, label] =
          q.by === 'connector'
            ? [ck(t.stationId, t.evseId, t.connectorId), `${m.station_name} #${t.evseId}`]
            : q.by === 'station'
              ? [t.stationId, m.station_name]
              : [m.site_id, m.site_name];
        const g = groups.get(key) ?? {
          row: {
            key,
            label,
            stationId: q.by === 'site' ? null : t.stationId,
            siteId: m.site_id,
            evseId: q.by === 'connector' ? t.evseId : null,
            connectorId: q.by === 'connector' ? t.connectorId : null,
            connectors: 0,
            occupiedS: 0,
            chargingS: null,
          },
          occupiedMs: 0,
          chargingMs: 0,
        };
        g.row.connectors++;
        g.occupiedMs += t.occupiedMs;
        g.chargingMs += chargingMs.get(ck(t.stationId, t.evseId, t.connectorId)) ?? 0;
        groups.set(key, g);
      }
      const items = [...groups.values()].map((g) => ({
        ...g.row,
        occupiedS: g.occupiedMs / 1000,
        utilisationPercent: round2((100 * g.occupiedMs) / (periodMs * g.row.connectors)),
        chargingS: idleAvailable ? g.chargingMs / 1000 : null,
        idleS: idleAvailable ? Math.max(0, g.occupiedMs - g.chargingMs) / 1000 : null,
      }));
      return { idleAvailable, items };
    },

    async uptime(scope, q, period) {
      const times = await statusHistory(scope, q, period);
      const periodMs = period.to.getTime() - period.from.getTime();
      // An EVSE is up while every connector of it is: the least up connector decides.
      const evses = new Map<string, { t: (typeof times)[number]; upMs: number }>();
      for (const t of times) {
        const key = `${t.stationId}/${t.evseId}`;
        const e = evses.get(key);
        if (!e || t.upMs < e.upMs) evses.set(key, { t, upMs: t.upMs });
      }
      return [...evses.values()].map(({ t, upMs }) => ({
        stationId: t.stationId,
        stationName: t.meta.station_name,
        siteId: t.meta.site_id,
        siteName: t.meta.site_name,
        evseId: t.evseId,
        upS: upMs / 1000,
        uptimePercent: round2((100 * upMs) / periodMs),
      }));
    },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
