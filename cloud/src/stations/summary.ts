/**
 * StationSummary: the shape the web app reads for lists, the map, snapshots and live updates.
 * Built from the `station_summaries` view (display status is computed there, in one place).
 */
import type { ConnectorStatus } from '@voltmesh/contract';
import type { Db, Tx } from '../db/pool.js';

export const DISPLAY_STATUSES = [
  'available',
  'charging',
  'faulted',
  'unavailable',
  'offline',
  'unknown',
] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];

export interface ConnectorSummary {
  evseId: number;
  connectorId: number;
  status: ConnectorStatus;
  rawStatus: string;
  errorCode: string | null;
  statusAt: string | null;
}

export interface StationSummary {
  id: string;
  identity: string;
  name: string;
  siteId: string;
  siteName: string;
  cityId: string | null;
  cityName: string | null;
  lat: number | null;
  lon: number | null;
  online: boolean;
  status: DisplayStatus;
  lastSeenAt: string | null;
  ocppVersion: 'ocpp1.6' | 'ocpp2.0.1' | null;
  vendor: string | null;
  model: string | null;
  connectors: ConnectorSummary[];
}

export interface SummaryRow {
  id: string;
  tenant_id: string;
  identity: string;
  name: string;
  site_id: string;
  site_name: string;
  site_code: string;
  city_id: string | null;
  city_name: string | null;
  lat: number | null;
  lon: number | null;
  online: boolean;
  last_seen_at: Date | null;
  ocpp_version: 'ocpp1.6' | 'ocpp2.0.1' | null;
  vendor: string | null;
  model: string | null;
  connectors: (Omit<ConnectorSummary, 'statusAt'> & { statusAt: string | null })[];
  display_status: DisplayStatus;
}

export const SUMMARY_COLUMNS = `v.id, v.tenant_id, v.identity, v.name, v.site_id, v.site_name, v.site_code, v.city_id,
  v.city_name, v.lat, v.lon, v.online, v.last_seen_at, v.ocpp_version, v.vendor, v.model, v.connectors,
  v.display_status`;

export function toSummary(r: SummaryRow): StationSummary {
  return {
    id: r.id,
    identity: r.identity,
    name: r.name,
    siteId: r.site_id,
    siteName: r.site_name,
    cityId: r.city_id,
    cityName: r.city_name,
    lat: r.lat,
    lon: r.lon,
    online: r.online,
    status: r.display_status,
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    ocppVersion: r.ocpp_version,
    vendor: r.vendor,
    model: r.model,
    connectors: r.connectors.map((c) => ({
      evseId: c.evseId,
      connectorId: c.connectorId,
      status: c.status,
      rawStatus: c.rawStatus,
      errorCode: c.errorCode,
      // json_build_object renders timestamptz as "2026-11-22T10:00:00+00:00"; the API speaks ISO Z.
      statusAt: c.statusAt === null ? null : new Date(c.statusAt).toISOString(),
    })),
  };
}

/** Summaries of the given stations; the caller has already decided the tenant may see them. */
export async function summariesByIds(
  q: Db | Tx,
  ids: readonly string[],
): Promise<(StationSummary & { tenantId: string })[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM station_summaries v WHERE v.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((r) => ({ ...toSummary(r), tenantId: r.tenant_id }));
}
