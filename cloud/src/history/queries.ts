/**
 * History queries behind /api/history/* and /api/stations/:id/{meter,timeline,sessions}. Every
 * function takes the caller's scope (tenant, and site or city of the grant) and filters by it.
 * Aggregates read the rollup of the requested bucket width (plain PostgreSQL) or the continuous
 * aggregate of that width (TimescaleDB) through `bucketSource`; docs/storage.md lists which query
 * reads what.
 */
import type { ConnectorStatus } from '@voltmesh/contract';
import type { SESSION_STATUSES } from './schemas.js';
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import { BUCKETS, bucketStart, type Bucket } from './buckets.js';
import { sweepFleetStatus, type FleetPoint, type StateEvent } from './fleet-status.js';
import { bucketSource, type StorageEngine } from './sources.js';

export interface Range {
  fromMs: number;
  toMs: number;
}

export interface PowerPoint {
  at: string;
  powerW: number;
  energyWh: number;
}
export interface MeterPoint {
  at: string;
  evseId: number;
  powerW: number | null;
  voltageV: number | null;
  currentA: number | null;
  socPercent: number | null;
}
/** A session's status as `sessions.status` stores it. */
type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface TimelineSegment {
  evseId: number;
  connectorId: number;
  status: ConnectorStatus;
  rawStatus: string;
  from: string;
  to: string | null;
}
export interface SessionItem {
  id: string;
  transactionId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  startedAt: string | null;
  endedAt: string | null;
  energyWh: number | null;
  status: SessionStatus;
  stopReason: string | null;
}
export const ENERGY_GROUPS = ['station', 'site', 'token'] as const;
export type EnergyGroup = (typeof ENERGY_GROUPS)[number];
export interface EnergyRow {
  key: string;
  label: string;
  at: string;
  energyWh: number;
}

export interface HistoryQueries {
  readonly engine: StorageEngine;
  power(
    scope: Scope,
    q: Range & { bucket: Bucket; stationId: string | null; siteId: string | null },
  ): Promise<PowerPoint[]>;
  meter(scope: Scope, stationId: string, range: Range): Promise<MeterPoint[]>;
  timeline(scope: Scope, stationId: string, range: Range): Promise<TimelineSegment[]>;
  sessions(
    scope: Scope,
    stationId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: SessionItem[]; total: number }>;
  energy(scope: Scope, q: Range & { bucket: Bucket; groupBy: EnergyGroup }): Promise<EnergyRow[]>;
  fleetStatus(scope: Scope, q: Range & { bucket: Bucket }): Promise<FleetPoint[]>;
}

/** At most this many meter points per answer (about 14 h of 10 s samples on one EVSE). */
export const MAX_METER_POINTS = 5_000;

const iso = (d: Date) => d.toISOString();
const scopeClause = (alias: string, tenant: string, site: string, city: string) =>
  `${alias}.tenant_id = ${tenant} AND (${site}::uuid IS NULL OR ${alias}.site_id = ${site})
   AND (${city}::uuid IS NULL OR ${alias}.site_id IN (SELECT id FROM sites WHERE city_id = ${city}))`;

/** Bucket starts covering [from, to). */
export function bucketTimes(bucket: Bucket, range: Range): number[] {
  const out: number[] = [];
  for (let t = bucketStart(bucket, range.fromMs); t < range.toMs; t += BUCKETS[bucket].ms) out.push(t);
  return out;
}

export function createHistoryQueries(db: Db, options: { engine: StorageEngine }): HistoryQueries {
  const sourceParams = (scope: Scope, range: Range, stationId: string | null, siteId: string | null) => [
    scope.tenantId,
    new Date(bucketStart('1m', range.fromMs)),
    new Date(range.toMs),
    stationId,
    siteId,
    scope.siteId,
    scope.cityId,
  ];

  return {
    engine: options.engine,

    async power(scope, q) {
      const range = { fromMs: bucketStart(q.bucket, q.fromMs), toMs: q.toMs };
      const { rows } = await db.query<{ at: Date; power_w: number | null; energy_wh: number }>(
        `SELECT s.bucket AS at,
                sum(s.power_sum_w / nullif(s.power_count, 0)) AS power_w, sum(s.energy_wh) AS energy_wh
           FROM ${bucketSource(options.engine, q.bucket)} s
          GROUP BY s.bucket ORDER BY s.bucket`,
        sourceParams(scope, range, q.stationId, q.siteId),
      );
      const byTime = new Map(rows.map((r) => [r.at.getTime(), r]));
      return bucketTimes(q.bucket, range).map((t) => {
        const r = byTime.get(t);
        return {
          at: new Date(t).toISOString(),
          powerW: r?.power_w ?? 0,
          energyWh: Math.max(0, r?.energy_wh ?? 0),
        };
      });
    },

    async meter(scope, stationId, range) {
      // Per time and EVSE: power and current of the phases added (a whole-meter value wins), voltage
      // averaged over the phases, state of charge as reported.
      const { rows } = await db.query<{
        at: Date;
        evse_id: number;
        power_w: number | null;
        voltage_v: number | null;
        current_a: number | null;
        soc_percent: number | null;
      }>(
        `SELECT m.at, m.evse_id,
                coalesce(max(m.value) FILTER (WHERE m.measurand = 'Power.Active.Import' AND m.phase = ''),
                         sum(m.value) FILTER (WHERE m.measurand = 'Power.Active.Import' AND m.phase <> '')) AS power_w,
                coalesce(max(m.value) FILTER (WHERE m.measurand = 'Voltage' AND m.phase = ''),
                         avg(m.value) FILTER (WHERE m.measurand = 'Voltage' AND m.phase <> '')) AS voltage_v,
                coalesce(max(m.value) FILTER (WHERE m.measurand = 'Current.Import' AND m.phase = ''),
                         sum(m.value) FILTER (WHERE m.measurand = 'Current.Import' AND m.phase <> '')) AS current_a,
                max(m.value) FILTER (WHERE m.measurand = 'SoC') AS soc_percent
           FROM meter_samples m
          WHERE m.station_id = $1 AND m.tenant_id = $2 AND m.at >= $3 AND m.at < $4
            AND m.location IN ('', 'Outlet', 'outlet', 'EV')
            AND m.measurand IN ('Power.Active.Import', 'Voltage', 'Current.Import', 'SoC')
          GROUP BY m.at, m.evse_id
          ORDER BY m.at, m.evse_id
          LIMIT ${MAX_METER_POINTS}`,
        [stationId, scope.tenantId, new Date(range.fromMs), new Date(range.toMs)],
      );
      return rows.map((r) => ({
        at: iso(r.at),
        evseId: r.evse_id,
        powerW: r.power_w,
        voltageV: r.voltage_v,
        currentA: r.current_a,
        socPercent: r.soc_percent,
      }));
    },

    async timeline(scope, stationId, range) {
      const { rows } = await db.query<{
        occurred_at: Date;
        evse_id: number;
        connector_id: number;
        status: ConnectorStatus; // validated against the contract at ingest
        raw_status: string;
      }>(
        `WITH ev AS (
           SELECT e.occurred_at, e.seq, (e.payload->>'evseId')::int AS evse_id,
                  (e.payload->>'connectorId')::int AS connector_id,
                  e.payload->>'status' AS status, coalesce(e.payload->>'rawStatus', '') AS raw_status
             FROM station_events e
            WHERE e.station_id = $1 AND e.tenant_id = $2 AND e.type = 'connector.status'
              AND e.occurred_at >= $3 AND e.occurred_at < $4
         ), before AS (
           SELECT DISTINCT ON ((e.payload->>'evseId')::int, (e.payload->>'connectorId')::int)
                  $3::timestamptz AS occurred_at, e.seq, (e.payload->>'evseId')::int AS evse_id,
                  (e.payload->>'connectorId')::int AS connector_id,
                  e.payload->>'status' AS status, coalesce(e.payload->>'rawStatus', '') AS raw_status
             FROM station_events e
            WHERE e.station_id = $1 AND e.tenant_id = $2 AND e.type = 'connector.status' AND e.occurred_at < $3
            ORDER BY (e.payload->>'evseId')::int, (e.payload->>'connectorId')::int, e.occurred_at DESC, e.seq DESC
         )
         SELECT occurred_at, evse_id, connector_id, status, raw_status
           FROM (SELECT * FROM before UNION ALL SELECT * FROM ev) x
          ORDER BY evse_id, connector_id, occurred_at, seq`,
        [stationId, scope.tenantId, new Date(range.fromMs), new Date(range.toMs)],
      );
      const segments: TimelineSegment[] = [];
      for (const r of rows) {
        const prev = segments[segments.length - 1];
        const same = prev && prev.evseId === r.evse_id && prev.connectorId === r.connector_id;
        // Repeated identical statuses (a charger re-reporting) extend the segment instead of splitting it.
        if (same && prev.status === r.status && prev.rawStatus === r.raw_status) continue;
        if (same) prev.to = iso(r.occurred_at);
        segments.push({
          evseId: r.evse_id,
          connectorId: r.connector_id,
          status: r.status,
          rawStatus: r.raw_status,
          from: iso(r.occurred_at),
          to: null,
        });
      }
      return segments;
    },

    async sessions(scope, stationId, page) {
      const [{ rows }, count] = await Promise.all([
        db.query<{
          id: string;
          transaction_id: string;
          evse_id: number | null;
          connector_id: number | null;
          id_token: string | null;
          started_at: Date | null;
          ended_at: Date | null;
          energy_wh: number | null;
          status: SessionStatus; // the table's CHECK constraint
          stop_reason: string | null;
        }>(
          `SELECT id, transaction_id, evse_id, connector_id, id_token, started_at, ended_at, energy_wh,
                  status, stop_reason
             FROM sessions WHERE station_id = $1 AND tenant_id = $2
            ORDER BY started_at DESC NULLS LAST, id LIMIT $3 OFFSET $4`,
          [stationId, scope.tenantId, page.limit, page.offset],
        ),
        db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM sessions WHERE station_id = $1 AND tenant_id = $2',
          [stationId, scope.tenantId],
        ),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          transactionId: r.transaction_id,
          evseId: r.evse_id,
          connectorId: r.connector_id,
          idToken: r.id_token,
          startedAt: r.started_at && iso(r.started_at),
          endedAt: r.ended_at && iso(r.ended_at),
          energyWh: r.energy_wh,
          status: r.status,
          stopReason: r.stop_reason,
        })),
        total: count.rows[0]?.n ?? 0,
      };
    },

    async energy(scope, q) {
      const range = { fromMs: bucketStart(q.bucket, q.fromMs), toMs: q.toMs };
      if (q.groupBy === 'token') return energyByToken(db, scope, q.bucket, range);
      const [keyCol, join] =
        q.groupBy === 'station'
          ? ['s.station_id', 'JOIN stations g ON g.id = s.station_id']
          : ['s.site_id', 'JOIN sites g ON g.id = s.site_id'];
      const { rows } = await db.query<{ key: string; label: string; at: Date; energy_wh: number }>(
        `SELECT ${keyCol}::text AS key, g.name AS label, s.bucket AS at, sum(s.energy_wh) AS energy_wh
           FROM ${bucketSource(options.engine, q.bucket)} s ${join}
          GROUP BY ${keyCol}, g.name, s.bucket
         HAVING sum(s.energy_wh) > 0
          ORDER BY s.bucket, g.name, ${keyCol}`,
        sourceParams(scope, range, null, null),
      );
      return rows.map((r) => ({ key: r.key, label: r.label, at: iso(r.at), energyWh: r.energy_wh }));
    },

    async fleetStatus(scope, q) {
      const range = { fromMs: bucketStart(q.bucket, q.fromMs), toMs: q.toMs };
      const params = [
        scope.tenantId,
        scope.siteId,
        scope.cityId,
        new Date(range.fromMs),
        new Date(range.toMs),
      ];
      const { rows: stations } = await db.query<{ id: string }>(
        `SELECT st.id FROM stations st WHERE ${scopeClause('st', '$1', '$2', '$3')}`,
        params.slice(0, 3),
      );
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
            WHERE ${scopeClause('e', '$1', '$2', '$3')} AND e.station_id IS NOT NULL
              AND e.type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status')
              AND e.occurred_at >= $4 AND e.occurred_at < $5
           UNION ALL
           -- The state each station and connector was in when the range began.
           SELECT * FROM (
             SELECT DISTINCT ON (e.station_id, e.type = 'connector.status', e.payload->>'evseId', e.payload->>'connectorId')
                    e.occurred_at, e.seq, e.station_id, e.type, e.payload
               FROM station_events e
              WHERE ${scopeClause('e', '$1', '$2', '$3')} AND e.station_id IS NOT NULL
                AND e.type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status')
                AND e.occurred_at < $4
              ORDER BY e.station_id, e.type = 'connector.status', e.payload->>'evseId', e.payload->>'connectorId',
                       e.occurred_at DESC, e.seq DESC
           ) b
         )
         SELECT occurred_at, station_id, type, (payload->>'evseId')::int AS evse_id,
                (payload->>'connectorId')::int AS connector_id, payload->>'status' AS status
           FROM e ORDER BY occurred_at, seq`,
        params,
      );
      const stateEvents: StateEvent[] = events.map((e) => ({
        atMs: e.occurred_at.getTime(),
        stationId: e.station_id,
        type: e.type,
        evseId: e.evse_id,
        connectorId: e.connector_id,
        status: e.status,
      }));
      const points = bucketTimes(q.bucket, range).map((t) => ({
        atMs: t,
        sampleMs: Math.min(t + BUCKETS[q.bucket].ms, range.toMs) - 1,
      }));
      return sweepFleetStatus(stations, stateEvents, points);
    },
  };
}

/**
 * Energy per id token: the sessions' energy (the energy module's value), in the bucket where each
 * session started. Sessions without a token are grouped under key ''.
 */
async function energyByToken(db: Db, scope: Scope, bucket: Bucket, range: Range): Promise<EnergyRow[]> {
  const { rows } = await db.query<{ key: string; at: Date; energy_wh: number }>(
    `SELECT coalesce(s.id_token, '') AS key, date_bin('${BUCKETS[bucket].interval}', s.started_at, 'epoch') AS at,
            sum(s.energy_wh) AS energy_wh
       FROM sessions s JOIN stations st ON st.id = s.station_id
      WHERE ${scopeClause('st', '$1', '$2', '$3')} AND s.tenant_id = $1
        AND s.started_at >= $4 AND s.started_at < $5 AND s.energy_wh > 0
      GROUP BY 1, 2 ORDER BY 2, 1`,
    [scope.tenantId, scope.siteId, scope.cityId, new Date(range.fromMs), new Date(range.toMs)],
  );
  return rows.map((r) => ({
    key: r.key,
    label: r.key === '' ? 'no token' : r.key,
    at: iso(r.at),
    energyWh: r.energy_wh,
  }));
}
