/**
 * Writes of the site hierarchy (cities and sites) and the edge credentials of sites. Every function
 * takes the caller's scope and touches only rows inside it; a row outside reads as absent.
 */
import type { z } from '@hono/zod-openapi';
import type { Db } from '../db/pool.js';
import {
  SITE_SELECT,
  toSiteItem,
  type CityItem,
  type Scope,
  type SiteItem,
  type SiteRow,
} from '../stations/queries.js';
import { isUuid, setClause } from './sql.js';
import type { CityBody, CityPatch, SiteBody, SitePatch } from './schemas.js';

export type DeleteOutcome = 'deleted' | 'not_found' | 'in_use';

export interface HierarchyStore {
  city(scope: Scope, id: string): Promise<CityItem | null>;
  createCity(tenantId: string, body: z.output<typeof CityBody>): Promise<CityItem>;
  updateCity(scope: Scope, id: string, patch: z.output<typeof CityPatch>): Promise<CityItem | null>;
  deleteCity(scope: Scope, id: string): Promise<DeleteOutcome>;
  site(scope: Scope, id: string): Promise<SiteItem | null>;
  createSite(
    tenantId: string,
    body: z.output<typeof SiteBody>,
    credentials: { natsUser: string; passwordHash: string },
  ): Promise<SiteItem>;
  updateSite(scope: Scope, id: string, patch: z.output<typeof SitePatch>): Promise<SiteItem | null>;
  deleteSite(scope: Scope, id: string): Promise<DeleteOutcome>;
  setCredentials(scope: Scope, id: string, natsUser: string, passwordHash: string): Promise<boolean>;
  /** Every site of the tenant with its NATS user and bcrypt hash (null: none generated yet). */
  credentials(
    tenantId: string,
  ): Promise<{ code: string; natsUser: string | null; passwordHash: string | null }[]>;
}

/** `$1` tenant, `$2` site scope, `$3` city scope on `sites si`. */
const SITE_SCOPED =
  'si.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)';
/** A site-scoped grant sees the city of its site; a city-scoped one its city. */
const CITY_SCOPED = `ci.tenant_id = $1 AND ($3::uuid IS NULL OR ci.id = $3)
  AND ($2::uuid IS NULL OR ci.id = (SELECT city_id FROM sites WHERE id = $2))`;
const scopeParams = (s: Scope): unknown[] => [s.tenantId, s.siteId, s.cityId];

export function createHierarchyStore(db: Db): HierarchyStore {
  const city = async (scope: Scope, id: string): Promise<CityItem | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<CityItem>(
      `SELECT ci.id, ci.name, ci.country_code AS "countryCode", ci.lat, ci.lon,
              (SELECT count(*)::int FROM sites si WHERE si.city_id = ci.id) AS "siteCount",
              (SELECT count(*)::int FROM stations st JOIN sites si ON si.id = st.site_id
                WHERE si.city_id = ci.id) AS "stationCount"
         FROM cities ci WHERE ${CITY_SCOPED} AND ci.id = $4`,
      [...scopeParams(scope), id],
    );
    return rows[0] ?? null;
  };
  const site = async (scope: Scope, id: string): Promise<SiteItem | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<SiteRow>(`${SITE_SELECT} WHERE ${SITE_SCOPED} AND si.id = $4`, [
      ...scopeParams(scope),
      id,
    ]);
    return rows[0] ? toSiteItem(rows[0]) : null;
  };
  const tenantScope = (tenantId: string): Scope => ({ tenantId, siteId: null, cityId: null });

  return {
    city,
    site,

    async createCity(tenantId, b) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO cities (tenant_id, name, country_code, lat, lon) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [tenantId, b.name, b.countryCode, b.lat, b.lon],
      );
      return (await city(tenantScope(tenantId), rows[0]!.id))!;
    },

    async updateCity(scope, id, patch) {
      if (!(await city(scope, id))) return null;
      const set = setClause(patch, { name: 'name', countryCode: 'country_code', lat: 'lat', lon: 'lon' }, 3);
      if (set.params.length > 0) {
        await db.query(`UPDATE cities SET ${set.sql} WHERE id = $1 AND tenant_id = $2`, [
          id,
          scope.tenantId,
          ...set.params,
        ]);
      }
      return city(scope, id);
    },

    async deleteCity(scope, id) {
      const found = await city(scope, id);
      if (!found) return 'not_found';
      // Deleting would orphan its sites (city_id SET NULL) silently: make the user move them first.
      if (found.siteCount > 0) return 'in_use';
      await db.query('DELETE FROM cities WHERE id = $1 AND tenant_id = $2', [id, scope.tenantId]);
      return 'deleted';
    },

    async createSite(tenantId, b, credentials) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO sites (tenant_id, city_id, code, name, address, lat, lon, grid_capacity_kw, policy,
                            nats_user, nats_password_hash, nats_credentials_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) RETURNING id`,
        [
          tenantId,
          b.cityId,
          b.code,
          b.name,
          b.address,
          b.lat,
          b.lon,
          b.gridCapacityKw,
          JSON.stringify(b.policy),
          credentials.natsUser,
          credentials.passwordHash,
        ],
      );
      return (await site(tenantScope(tenantId), rows[0]!.id))!;
    },

    async updateSite(scope, id, patch) {
      if (!(await site(scope, id))) return null;
      const { policy, ...rest } = patch;
      const set = setClause(
        rest,
        {
          name: 'name',
          cityId: 'city_id',
          address: 'address',
          lat: 'lat',
          lon: 'lon',
          gridCapacityKw: 'grid_capacity_kw',
        },
        3,
      );
      const parts = set.sql ? [set.sql] : [];
      const params = [...set.params];
      if (policy !== undefined) {
        // Merged into the stored overrides: a PATCH naming one policy field leaves the others.
        params.push(JSON.stringify(policy));
        parts.push(`policy = policy || $${params.length + 2}::jsonb`);
      }
      if (parts.length > 0) {
        await db.query(`UPDATE sites SET ${parts.join(', ')} WHERE id = $1 AND tenant_id = $2`, [
          id,
          scope.tenantId,
          ...params,
        ]);
      }
      return site(scope, id);
    },

    async deleteSite(scope, id) {
      const found = await site(scope, id);
      if (!found) return 'not_found';
      // Stations cascade with their site, and their sessions with them: refuse while any exist.
      if (found.stationCount > 0) return 'in_use';
      await db.query('DELETE FROM sites WHERE id = $1 AND tenant_id = $2', [id, scope.tenantId]);
      return 'deleted';
    },

    async setCredentials(scope, id, natsUser, passwordHash) {
      if (!isUuid(id)) return false;
      const { rowCount } = await db.query(
        `UPDATE sites si SET nats_user = $5, nats_password_hash = $6, nats_credentials_at = now()
          WHERE ${SITE_SCOPED} AND si.id = $4`,
        [...scopeParams(scope), id, natsUser, passwordHash],
      );
      return (rowCount ?? 0) > 0;
    },

    async credentials(tenantId) {
      const { rows } = await db.query<{
        code: string;
        natsUser: string | null;
        passwordHash: string | null;
      }>(
        `SELECT code, nats_user AS "natsUser", nats_password_hash AS "passwordHash"
           FROM sites WHERE tenant_id = $1 ORDER BY code`,
        [tenantId],
      );
      return rows;
    },
  };
}
