/**
 * Read queries behind the stations, sites, cities and live endpoints. Every function takes the
 * caller's tenant and scope (from the authenticated identity, never the request) and filters by them.
 */
import { DEFAULT_SITE_POLICY, type SitePolicy, type StationEvent } from '@voltmesh/contract';
import type { Db } from '../db/pool.js';
import { QUIET_EVENT_TYPES, summarizeEvent } from './event-summary.js';
import {
  SUMMARY_COLUMNS,
  toSummary,
  type DisplayStatus,
  type StationSummary,
  type SummaryRow,
} from './summary.js';

export interface Scope {
  tenantId: string;
  /** A role granted on one site or one city sees only that part of the tenant. */
  siteId: string | null;
  cityId: string | null;
}

export const STATION_SORTS = {
  name: 'v.name ASC, v.identity ASC',
  '-name': 'v.name DESC, v.identity DESC',
  identity: 'v.identity ASC',
  '-identity': 'v.identity DESC',
  status: 'v.display_status ASC, v.name ASC',
  '-status': 'v.display_status DESC, v.name ASC',
  lastSeenAt: 'v.last_seen_at ASC NULLS FIRST, v.name ASC',
  '-lastSeenAt': 'v.last_seen_at DESC NULLS LAST, v.name ASC',
  site: 'v.site_name ASC, v.name ASC',
  '-site': 'v.site_name DESC, v.name ASC',
  city: 'v.city_name ASC NULLS LAST, v.name ASC',
  '-city': 'v.city_name DESC NULLS LAST, v.name ASC',
} as const;
export type StationSort = keyof typeof STATION_SORTS;

export interface StationFilter {
  q?: string | undefined;
  status?: readonly DisplayStatus[] | undefined;
  /** Stations with at least one connector of one of these types. */
  connectorType?: readonly string[] | undefined;
  siteId?: string | undefined;
  cityId?: string | undefined;
  online?: boolean | undefined;
  limit: number;
  offset: number;
  sort?: StationSort | undefined;
}

export interface StationQueries {
  list(scope: Scope, filter: StationFilter): Promise<{ items: StationSummary[]; total: number }>;
  all(scope: Scope): Promise<StationSummary[]>;
  detail(scope: Scope, id: string): Promise<StationDetail | null>;
  /** Whether the station exists within the scope. */
  visible(scope: Scope, id: string): Promise<boolean>;
  sites(scope: Scope): Promise<SiteItem[]>;
  cities(scope: Scope): Promise<CityItem[]>;
  kpis(scope: Scope): Promise<Kpis>;
}

export interface StationDetail extends StationSummary {
  siteCode: string;
  recentEvents: { at: string; type: string; summary: string }[];
}
export interface SiteItem {
  id: string;
  code: string;
  name: string;
  cityId: string | null;
  cityName: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  gridCapacityKw: number | null;
  /** The contract's default policy with the site's overrides applied. */
  policy: SitePolicy;
  stationCount: number;
  onlineCount: number;
  /** The edge agent's NATS user; null until credentials were generated (seeded sites). */
  natsUser: string | null;
  credentialsAt: string | null;
}
export interface CityItem {
  id: string;
  name: string;
  countryCode: string;
  lat: number | null;
  lon: number | null;
  siteCount: number;
  stationCount: number;
}
export interface Kpis {
  stationsOnline: number;
  stationsOffline: number;
  stationsCharging: number;
  stationsFaulted: number;
  activeSessions: number;
  powerNowW: number;
  energyTodayWh: number;
}

/** Columns of a `SiteItem`; `si` is the site, `ci` its city. */
export const SITE_SELECT = `SELECT si.id, si.code, si.name, si.city_id AS "cityId", ci.name AS "cityName", si.address,
       si.lat, si.lon, si.grid_capacity_kw AS "gridCapacityKw", si.policy,
       (SELECT count(*)::int FROM stations st WHERE st.site_id = si.id) AS "stationCount",
       (SELECT count(*)::int FROM stations st WHERE st.site_id = si.id AND st.online) AS "onlineCount",
       si.nats_user AS "natsUser", si.nats_credentials_at AS "credentialsAt"
  FROM sites si LEFT JOIN cities ci ON ci.id = si.city_id`;

export type SiteRow = Omit<SiteItem, 'policy' | 'credentialsAt'> & {
  policy: Partial<SitePolicy>;
  credentialsAt: Date | null;
};

export const toSiteItem = (row: SiteRow): SiteItem => ({
  ...row,
  policy: { ...DEFAULT_SITE_POLICY, ...row.policy },
  credentialsAt: row.credentialsAt?.toISOString() ?? null,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createStationQueries(db: Db, options: { trigram: boolean }): StationQueries {
  /** `$1` tenant, `$2` site scope, `$3` city scope, on the `station_summaries v` view. */
  const scoped =
    'v.tenant_id = $1 AND ($2::uuid IS NULL OR v.site_id = $2) AND ($3::uuid IS NULL OR v.city_id = $3)';
  const scopeParams = (s: Scope): unknown[] => [s.tenantId, s.siteId, s.cityId];

  const where = (scope: Scope, f: StationFilter) => {
    const params = scopeParams(scope);
    const clauses = [scoped];
    let rank: string | null = null;
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      clauses.push(sql(`$${params.length}`));
    };
    if (f.siteId !== undefined) add((p) => `v.site_id = ${p}::uuid`, f.siteId);
    if (f.cityId !== undefined) add((p) => `v.city_id = ${p}::uuid`, f.cityId);
    if (f.online !== undefined) add((p) => `v.online = ${p}`, f.online);
    if (f.status !== undefined && f.status.length > 0)
      add((p) => `v.display_status = ANY(${p}::text[])`, f.status);
    if (f.connectorType !== undefined && f.connectorType.length > 0)
      add(
        (p) => `EXISTS (SELECT 1 FROM connectors c WHERE c.station_id = v.id AND c.type = ANY(${p}::text[]))`,
        f.connectorType,
      );
    const q = f.q?.trim().toLowerCase();
    if (q) {
      const doc = `lower(concat_ws(' ', v.identity, v.name, v.site_name, v.site_code, v.city_name, v.tenant_name))`;
      params.push(q, `%${escapeLike(q)}%`);
      const [pq, plike] = [`$${params.length - 1}`, `$${params.length}`];
      if (options.trigram) {
        clauses.push(`(${doc} LIKE ${plike} OR word_similarity(${pq}, ${doc}) >= 0.45)`);
        rank = `(${doc} LIKE ${plike}) DESC, word_similarity(${pq}, ${doc}) DESC`;
      } else {
        clauses.push(`${doc} LIKE ${plike}`);
      }
    }
    return { sql: clauses.join(' AND '), params, rank };
  };

  return {
    async list(scope, f) {
      const w = where(scope, f);
      const order = f.sort ? STATION_SORTS[f.sort] : (w.rank ? `${w.rank}, ` : '') + STATION_SORTS.name;
      const [{ rows }, count] = await Promise.all([
        db.query<SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM station_summaries v WHERE ${w.sql}
            ORDER BY ${order} LIMIT $${w.params.length + 1} OFFSET $${w.params.length + 2}`,
          [...w.params, f.limit, f.offset],
        ),
        db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM station_summaries v WHERE ${w.sql}`,
          w.params,
        ),
      ]);
      return { items: rows.map(toSummary), total: count.rows[0]?.n ?? 0 };
    },

    async all(scope) {
      const { rows } = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM station_summaries v WHERE ${scoped} ORDER BY v.name, v.identity`,
        scopeParams(scope),
      );
      return rows.map(toSummary);
    },

    async detail(scope, id) {
      if (!UUID.test(id)) return null;
      const { rows } = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM station_summaries v WHERE ${scoped} AND v.id = $4`,
        [...scopeParams(scope), id],
      );
      const row = rows[0];
      if (!row) return null;
      const events = await db.query<{ occurred_at: Date; type: string; payload: StationEvent }>(
        `SELECT occurred_at, type, payload FROM station_events
          WHERE station_id = $1 AND tenant_id = $2 AND type <> ALL($3::text[])
          ORDER BY occurred_at DESC, seq DESC LIMIT 50`,
        [id, scope.tenantId, QUIET_EVENT_TYPES],
      );
      return {
        ...toSummary(row),
        siteCode: row.site_code,
        recentEvents: events.rows.map((e) => ({
          at: e.occurred_at.toISOString(),
          type: e.type,
          summary: summarizeEvent(e.payload),
        })),
      };
    },

    async visible(scope, id) {
      if (!UUID.test(id)) return false;
      const { rows } = await db.query(
        `SELECT 1 FROM stations st JOIN sites si ON si.id = st.site_id
          WHERE st.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)
            AND st.id = $4`,
        [...scopeParams(scope), id],
      );
      return rows.length > 0;
    },

    async sites(scope) {
      const { rows } = await db.query<SiteRow>(
        `${SITE_SELECT}
          WHERE si.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)
          ORDER BY si.name`,
        scopeParams(scope),
      );
      return rows.map(toSiteItem);
    },

    async cities(scope) {
      const { rows } = await db.query<CityItem>(
        `SELECT ci.id, ci.name, ci.country_code AS "countryCode", ci.lat, ci.lon,
                count(DISTINCT si.id)::int AS "siteCount", count(st.id)::int AS "stationCount"
           FROM cities ci
           LEFT JOIN sites si ON si.city_id = ci.id AND ($2::uuid IS NULL OR si.id = $2)
           LEFT JOIN stations st ON st.site_id = si.id
          WHERE ci.tenant_id = $1 AND ($3::uuid IS NULL OR ci.id = $3)
            AND ($2::uuid IS NULL OR si.id IS NOT NULL)
          GROUP BY ci.id ORDER BY ci.name`,
        scopeParams(scope),
      );
      return rows;
    },

    async kpis(scope) {
      const { rows } = await db.query<Kpis>(
        `WITH v AS (SELECT * FROM station_summaries v WHERE ${scoped})
         SELECT
           (SELECT count(*) FILTER (WHERE online) FROM v)::int AS "stationsOnline",
           (SELECT count(*) FILTER (WHERE NOT online) FROM v)::int AS "stationsOffline",
           (SELECT count(*) FILTER (WHERE display_status = 'charging') FROM v)::int AS "stationsCharging",
           (SELECT count(*) FILTER (WHERE display_status = 'faulted') FROM v)::int AS "stationsFaulted",
           (SELECT count(*) FROM sessions s JOIN v ON v.id = s.station_id WHERE s.status = 'active')::int
             AS "activeSessions",
           (SELECT coalesce(sum(c.power_w), 0) FROM connectors c JOIN v ON v.id = c.station_id
             WHERE v.online AND c.evse_id > 0 AND c.current_transaction_id IS NOT NULL
               AND c.meter_at > now() - interval '5 minutes')::float8 AS "powerNowW",
           (SELECT coalesce(sum(s.energy_wh), 0) FROM sessions s JOIN v ON v.id = s.station_id
             WHERE s.status = 'active' OR s.ended_at >= date_trunc('day', now()))::float8 AS "energyTodayWh"`,
        scopeParams(scope),
      );
      return rows[0]!;
    },
  };
}

export async function hasTrigram(db: Db): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'");
  return rows.length > 0;
}
