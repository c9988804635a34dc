/**
 * API tokens for machine clients: `Authorization: Bearer vmt_…`. A token is 32 random bytes, shown
 * once; the table keeps only its SHA-256 (a random token of that size needs no slow hash). A token
 * acts with one grant of its owner, so `authenticate` yields the same Identity a session on that
 * grant would, and every route's role and scope checks apply unchanged. Revoking, expiring,
 * disabling the owner or removing the grant takes effect on the next request: nothing is cached.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import { isUuid } from '../resources/sql.js';
import type { Role } from './roles.js';
import type { Identity } from './sessions.js';

export const API_TOKEN_PREFIX = 'vmt_';
/** The session id an API token's identity carries (what a revocation closes on live sockets). */
export const apiTokenSessionId = (tokenId: string): string => `api-token:${tokenId}`;
/** Characters of the token kept in clear to tell tokens apart in a list ("vmt_" + 8). */
const SHOWN_PREFIX_LENGTH = 12;
/** last_used_at is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_S = 60;
/** A token without expiry still needs an Identity expiry; the largest date there is. */
const NEVER = new Date(8.64e15);

const digest = (token: string) => createHash('sha256').update(token).digest();

export interface ApiTokenItem {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  userEmail: string;
  grantId: string;
  role: Role;
  siteId: string | null;
  siteName: string | null;
  cityId: string | null;
  cityName: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiTokenStore {
  create(input: {
    tenantId: string;
    userId: string;
    grantId: string;
    name: string;
    expiresAt: Date | null;
    createdBy: string;
  }): Promise<{ token: string; item: ApiTokenItem }>;
  /** Live (unrevoked) tokens of the tenant, of one user or of all (admins). */
  list(tenantId: string, userId: string | null): Promise<ApiTokenItem[]>;
  get(tenantId: string, id: string): Promise<ApiTokenItem | null>;
  /** Marks the token revoked; false when there is no live token with this id on the tenant. */
  revoke(tenantId: string, id: string): Promise<boolean>;
  /** The identity behind a bearer token, or null when unknown, revoked, expired or its user disabled. */
  authenticate(token: string): Promise<Identity | null>;
  /**
   * The id of one of the user's grants on the tenant: the one named, or the one an identity acts
   * with (grants are unique per role and scope); null when the user holds no such grant there.
   */
  ownGrant(
    identity: Pick<Identity, 'tenantId' | 'userId' | 'role' | 'siteId' | 'cityId'>,
    grantId?: string,
  ): Promise<string | null>;
}

interface ItemRow extends Omit<ApiTokenItem, 'createdAt' | 'expiresAt' | 'lastUsedAt'> {
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const ITEM_SELECT = `SELECT k.id, k.name, k.prefix, k.user_id AS "userId", u.email AS "userEmail",
    k.grant_id AS "grantId", g.role, g.site_id AS "siteId", s.name AS "siteName",
    g.city_id AS "cityId", c.name AS "cityName", k.created_at AS "createdAt",
    k.expires_at AS "expiresAt", k.last_used_at AS "lastUsedAt"
  FROM api_tokens k
  JOIN users u ON u.id = k.user_id
  JOIN grants g ON g.id = k.grant_id
  LEFT JOIN sites s ON s.id = g.site_id
  LEFT JOIN cities c ON c.id = g.city_id`;

const toItem = (r: ItemRow): ApiTokenItem => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

export function createApiTokenStore(db: Db): ApiTokenStore {
  const get = async (tenantId: string, id: string) => {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<ItemRow>(
      `${ITEM_SELECT} WHERE k.tenant_id = $1 AND k.id = $2 AND k.revoked_at IS NULL`,
      [tenantId, id],
    );
    return rows[0] ? toItem(rows[0]) : null;
  };

  return {
    async create({ tenantId, userId, grantId, name, expiresAt, createdBy }) {
      const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO api_tokens (tenant_id, user_id, grant_id, name, token_hash, prefix, expires_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          tenantId,
          userId,
          grantId,
          name,
          digest(token),
          token.slice(0, SHOWN_PREFIX_LENGTH),
          expiresAt,
          createdBy,
        ],
      );
      return { token, item: (await get(tenantId, rows[0]!.id))! };
    },

    async list(tenantId, userId) {
      const { rows } = await db.query<ItemRow>(
        `${ITEM_SELECT} WHERE k.tenant_id = $1 AND k.revoked_at IS NULL AND ($2::uuid IS NULL OR k.user_id = $2)
          ORDER BY k.created_at DESC, k.id`,
        [tenantId, userId],
      );
      return rows.map(toItem);
    },

    get,

    async revoke(tenantId, id) {
      if (!isUuid(id)) return false;
      const { rowCount } = await db.query(
        'UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL',
        [tenantId, id],
      );
      return (rowCount ?? 0) > 0;
    },

    async authenticate(token) {
      if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
      const { rows } = await db.query<Omit<Identity, 'expiresAt'> & { id: string; expiresAt: Date | null }>(
        `SELECT k.id, u.id AS "userId", u.email, u.name, g.role, t.id AS "tenantId", t.name AS "tenantName",
                g.site_id AS "siteId", g.city_id AS "cityId", k.expires_at AS "expiresAt"
           FROM api_tokens k
           JOIN users u ON u.id = k.user_id
           JOIN grants g ON g.id = k.grant_id
           JOIN tenants t ON t.id = k.tenant_id
          WHERE k.token_hash = $1 AND k.revoked_at IS NULL
            AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.disabled_at IS NULL`,
        [digest(token)],
      );
      const row = rows[0];
      if (!row) return null;
      await db.query(
        `UPDATE api_tokens SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [row.id, LAST_USED_RESOLUTION_S],
      );
      const { id, expiresAt, ...rest } = row;
      // No CSRF token: a bearer header is never sent by a browser on its own, so CSRF cannot apply.
      return { ...rest, sessionId: apiTokenSessionId(id), csrfToken: '', expiresAt: expiresAt ?? NEVER };
    },

    async ownGrant(identity, grantId) {
      if (grantId !== undefined && !isUuid(grantId)) return null;
      const { rows } = await db.query<{ id: string }>(
        grantId !== undefined
          ? 'SELECT id FROM grants WHERE tenant_id = $1 AND user_id = $2 AND id = $3'
          : `SELECT id FROM grants WHERE tenant_id = $1 AND user_id = $2 AND role = $3
               AND site_id IS NOT DISTINCT FROM $4::uuid AND city_id IS NOT DISTINCT FROM $5::uuid`,
        grantId !== undefined
          ? [identity.tenantId, identity.userId, grantId]
          : [identity.tenantId, identity.userId, identity.role, identity.siteId, identity.cityId],
      );
      return rows[0]?.id ?? null;
    },
  };
}
