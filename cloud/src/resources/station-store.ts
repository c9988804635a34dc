/**
 * Writes of stations and their connectors. Reads and writes take the caller's scope; a station
 * outside it reads as absent. Passwords arrive here already hashed (argon2id PHC strings).
 */
import type { z } from '@hono/zod-openapi';
import { withTransaction, type Db, type Tx } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import type { ConnectorSpec, StationBody, StationSettings } from './schemas.js';
import { isUuid, setClause } from './sql.js';

export type StationSettingsRow = z.infer<typeof StationSettings>;
type Connector = z.infer<typeof ConnectorSpec>;

export interface StationUpdate {
  siteId?: string;
  name?: string;
  vendor?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  lat?: number | null;
  lon?: number | null;
  unplaced?: boolean;
  approved?: boolean;
  enabled?: boolean;
  securityProfile?: number;
  /** A new argon2id hash; `auth_password_set_at` moves with it. */
  passwordHash?: string;
}

export interface StationStore {
  settings(scope: Scope, id: string): Promise<StationSettingsRow | null>;
  create(tenantId: string, body: z.output<typeof StationBody>, passwordHash: string | null): Promise<string>;
  update(scope: Scope, id: string, update: StationUpdate): Promise<void>;
  replaceConnectors(stationId: string, connectors: readonly Connector[]): Promise<void>;
  hasSessions(stationId: string): Promise<boolean>;
  delete(scope: Scope, id: string): Promise<void>;
}

const SCOPED =
  'st.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)';
const scopeParams = (s: Scope): unknown[] => [s.tenantId, s.siteId, s.cityId];

/** Upserts the listed connectors and removes the other physical ones (EVSE 0, the station itself, stays). */
async function writeConnectors(tx: Tx, stationId: string, connectors: readonly Connector[]) {
  await tx.query(
    `DELETE FROM connectors c WHERE c.station_id = $1 AND c.evse_id > 0
        AND NOT EXISTS (SELECT 1 FROM unnest($2::int[], $3::int[]) k(e, n)
                         WHERE k.e = c.evse_id AND k.n = c.connector_id)`,
    [stationId, connectors.map((c) => c.evseId), connectors.map((c) => c.connectorId)],
  );
  for (const c of connectors) {
    await tx.query(
      `INSERT INTO connectors (station_id, evse_id, connector_id, type, max_power_w) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (station_id, evse_id, connector_id)
       DO UPDATE SET type = EXCLUDED.type, max_power_w = EXCLUDED.max_power_w`,
      [stationId, c.evseId, c.connectorId, c.type, c.maxPowerW],
    );
  }
}

export function createStationStore(db: Db): StationStore {
  return {
    async settings(scope, id) {
      if (!isUuid(id)) return null;
      const { rows } = await db.query<
        Omit<StationSettingsRow, 'passwordSetAt'> & { passwordSetAt: Date | null }
      >(
        `SELECT st.id, st.site_id AS "siteId", si.code AS "siteCode", st.identity, st.name, st.vendor, st.model,
                st.serial_number AS "serialNumber", st.firmware_version AS "firmwareVersion", st.lat, st.lon,
                st.unplaced, st.approved, st.enabled, st.registration_status AS "registrationStatus",
                st.auth_security_profile AS "securityProfile", st.auth_password_hash IS NOT NULL AS "hasPassword",
                st.auth_password_set_at AS "passwordSetAt",
                coalesce((SELECT json_agg(json_build_object('evseId', c.evse_id, 'connectorId', c.connector_id,
                                 'type', c.type, 'maxPowerW', c.max_power_w) ORDER BY c.evse_id, c.connector_id)
                            FROM connectors c WHERE c.station_id = st.id AND c.evse_id > 0), '[]'::json) AS connectors
           FROM stations st JOIN sites si ON si.id = st.site_id
          WHERE ${SCOPED} AND st.id = $4`,
        [...scopeParams(scope), id],
      );
      const row = rows[0];
      return row ? { ...row, passwordSetAt: row.passwordSetAt?.toISOString() ?? null } : null;
    },

    async create(tenantId, b, passwordHash) {
      return withTransaction(db, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO stations (tenant_id, site_id, identity, name, vendor, model, serial_number, lat, lon,
                                 unplaced, approved, enabled, auth_security_profile, auth_password_hash,
                                 auth_password_set_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, $11, $12, $13,
                   CASE WHEN $13::text IS NULL THEN NULL ELSE now() END)
           RETURNING id`,
          [
            tenantId,
            b.siteId,
            b.identity,
            b.name,
            b.vendor,
            b.model,
            b.serialNumber,
            b.lat,
            b.lon,
            b.lat === null || b.lon === null,
            b.enabled,
            b.securityProfile,
            passwordHash,
          ],
        );
        const id = rows[0]!.id;
        await writeConnectors(tx, id, b.connectors);
        return id;
      });
    },

    async update(scope, id, u) {
      const set = setClause(
        { ...u, passwordSetAt: u.passwordHash === undefined ? undefined : new Date() },
        {
          siteId: 'site_id',
          name: 'name',
          vendor: 'vendor',
          model: 'model',
          serialNumber: 'serial_number',
          lat: 'lat',
          lon: 'lon',
          unplaced: 'unplaced',
          approved: 'approved',
          enabled: 'enabled',
          securityProfile: 'auth_security_profile',
          passwordHash: 'auth_password_hash',
          passwordSetAt: 'auth_password_set_at',
        },
        5,
      );
      if (set.params.length === 0) return;
      await db.query(
        `UPDATE stations st SET ${set.sql} FROM sites si
          WHERE si.id = st.site_id AND ${SCOPED} AND st.id = $4`,
        [...scopeParams(scope), id, ...set.params],
      );
    },

    async replaceConnectors(stationId, connectors) {
      await withTransaction(db, (tx) => writeConnectors(tx, stationId, connectors));
    },

    async hasSessions(stationId) {
      const { rows } = await db.query('SELECT 1 FROM sessions WHERE station_id = $1 LIMIT 1', [stationId]);
      return rows.length > 0;
    },

    async delete(scope, id) {
      await db.query(
        `DELETE FROM stations st USING sites si WHERE si.id = st.site_id AND ${SCOPED} AND st.id = $4`,
        [...scopeParams(scope), id],
      );
    },
  };
}
