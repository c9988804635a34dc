/**
 * Users and their grants as one tenant's administrator sees them. A user belongs to a tenant
 * through a grant on it: every read here is limited to users holding at least one grant on the
 * tenant, and lists only the grants on that tenant (a user's grants elsewhere stay invisible).
 */
import type { Role } from '../auth/roles.js';
import { withTransaction, type Db, type Tx } from '../db/pool.js';
import { isUuid } from '../resources/sql.js';
import type { Locale } from './system-settings.js';

export interface Grant {
  id: string;
  role: Role;
  siteId: string | null;
  siteName: string | null;
  cityId: string | null;
  cityName: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  locale: Locale | null;
  disabled: boolean;
  lastLoginAt: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
  grants: Grant[];
}

export interface GrantInput {
  role: Role;
  siteId: string | null;
  cityId: string | null;
}

export interface UserFields {
  email: string;
  name: string;
  phone: string | null;
  locale: Locale | null;
}

export const USER_SORTS = {
  email: 'lower(u.email) ASC',
  '-email': 'lower(u.email) DESC',
  name: 'lower(u.name) ASC, lower(u.email) ASC',
  '-name': 'lower(u.name) DESC, lower(u.email) ASC',
  createdAt: 'u.created_at ASC, u.id',
  '-createdAt': 'u.created_at DESC, u.id',
  lastLoginAt: 'u.last_login_at ASC NULLS FIRST, u.id',
  '-lastLoginAt': 'u.last_login_at DESC NULLS LAST, u.id',
} as const;
export type UserSort = keyof typeof USER_SORTS;

export interface UserFilter {
  q?: string | undefined;
  role?: Role | undefined;
  disabled?: boolean | undefined;
  sort: UserSort;
  limit: number;
  offset: number;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  locale: Locale | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  password_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface GrantRow {
  id: string;
  user_id: string;
  role: Role;
  site_id: string | null;
  site_name: string | null;
  city_id: string | null;
  city_name: string | null;
  created_at: Date;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const USER_COLUMNS = `u.id, u.email, u.name, u.phone, u.locale, u.disabled_at, u.last_login_at,
  u.password_changed_at, u.created_at, u.updated_at`;
const MEMBER = 'EXISTS (SELECT 1 FROM grants m WHERE m.user_id = u.id AND m.tenant_id = $1)';

const toGrant = (g: GrantRow): Grant => ({
  id: g.id,
  role: g.role,
  siteId: g.site_id,
  siteName: g.site_name,
  cityId: g.city_id,
  cityName: g.city_name,
  createdAt: g.created_at.toISOString(),
});

const toUser = (u: UserRow, grants: GrantRow[]): User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  phone: u.phone,
  locale: u.locale,
  disabled: u.disabled_at !== null,
  lastLoginAt: iso(u.last_login_at),
  passwordChangedAt: iso(u.password_changed_at),
  createdAt: u.created_at.toISOString(),
  updatedAt: u.updated_at.toISOString(),
  grants: grants.filter((g) => g.user_id === u.id).map(toGrant),
});

async function grantRows(q: Db | Tx, tenantId: string, userIds: string[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  const { rows } = await q.query<GrantRow>(
    `SELECT g.id, g.user_id, g.role, g.site_id, s.name AS site_name, g.city_id, c.name AS city_name, g.created_at
       FROM grants g
       LEFT JOIN sites s ON s.id = g.site_id
       LEFT JOIN cities c ON c.id = g.city_id
      WHERE g.tenant_id = $1 AND g.user_id = ANY($2::uuid[])
      ORDER BY g.created_at, g.id`,
    [tenantId, userIds],
  );
  return rows;
}

export interface UserStore {
  list(tenantId: string, filter: UserFilter): Promise<{ items: User[]; total: number }>;
  get(tenantId: string, id: string): Promise<User | null>;
  /** Creates the user with a first grant on the tenant; throws the unique violation on a taken e-mail. */
  create(tenantId: string, fields: UserFields, passwordHash: string, grant: GrantInput): Promise<User>;
  update(tenantId: string, id: string, patch: Partial<UserFields> & { disabled?: boolean }): Promise<User>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  passwordHash(userId: string): Promise<string | null>;
  addGrant(tenantId: string, userId: string, grant: GrantInput): Promise<Grant>;
  /** Deletes the grant (its sessions and API tokens go with it); false when it is not the user's on the tenant. */
  deleteGrant(tenantId: string, userId: string, grantId: string): Promise<boolean>;
  /**
   * Tenant-wide admin grants of enabled users, leaving out one grant or one user: whether the
   * tenant would still have an administrator after a change.
   */
  adminsLeft(tenantId: string, without: { grantId?: string; userId?: string }): Promise<number>;
  /** Whether a site or city a grant names belongs to the tenant. */
  inTenant(tenantId: string, kind: 'site' | 'city', id: string): Promise<boolean>;
}

export function createUserStore(db: Db): UserStore {
  const get = async (q: Db | Tx, tenantId: string, id: string): Promise<User | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await q.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $2 AND ${MEMBER}`,
      [tenantId, id],
    );
    const row = rows[0];
    return row ? toUser(row, await grantRows(q, tenantId, [row.id])) : null;
  };

  return {
    async list(tenantId, f) {
      const params: unknown[] = [tenantId];
      const clauses = [MEMBER];
      if (f.q !== undefined && f.q.trim() !== '') {
        params.push(`%${escapeLike(f.q.trim())}%`);
        const p = `$${params.length}`;
        clauses.push(`(u.email ILIKE ${p} OR u.name ILIKE ${p} OR coalesce(u.phone, '') ILIKE ${p})`);
      }
      if (f.role !== undefined) {
        params.push(f.role);
        clauses.push(
          `EXISTS (SELECT 1 FROM grants r WHERE r.user_id = u.id AND r.tenant_id = $1 AND r.role = $${params.length})`,
        );
      }
      if (f.disabled !== undefined)
        clauses.push(f.disabled ? 'u.disabled_at IS NOT NULL' : 'u.disabled_at IS NULL');
      const where = clauses.join(' AND ');
      const [{ rows }, count] = await Promise.all([
        db.query<UserRow>(
          `SELECT ${USER_COLUMNS} FROM users u WHERE ${where}
            ORDER BY ${USER_SORTS[f.sort]} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, f.limit, f.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u WHERE ${where}`, params),
      ]);
      const grants = await grantRows(
        db,
        tenantId,
        rows.map((r) => r.id),
      );
      return { items: rows.map((r) => toUser(r, grants)), total: count.rows[0]?.n ?? 0 };
    },

    get: (tenantId, id) => get(db, tenantId, id),

    create(tenantId, fields, passwordHash, grant) {
      return withTransaction(db, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO users (email, name, phone, locale, password_hash, password_changed_at)
           VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
          [fields.email, fields.name, fields.phone, fields.locale, passwordHash],
        );
        const id = rows[0]!.id;
        await tx.query(
          'INSERT INTO grants (user_id, tenant_id, role, site_id, city_id) VALUES ($1, $2, $3, $4, $5)',
          [id, tenantId, grant.role, grant.siteId, grant.cityId],
        );
        return (await get(tx, tenantId, id))!;
      });
    },

    async update(tenantId, id, patch) {
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.email !== undefined) set('email', patch.email);
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.phone !== undefined) set('phone', patch.phone);
      if (patch.locale !== undefined) set('locale', patch.locale);
      // Re-disabling keeps the first time; enabling clears it.
      if (patch.disabled !== undefined) {
        sets.push(patch.disabled ? 'disabled_at = coalesce(disabled_at, now())' : 'disabled_at = NULL');
      }
      if (sets.length > 0) {
        await db.query(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      }
      return (await get(db, tenantId, id))!;
    },

    async setPassword(userId, passwordHash) {
      // A new password also lifts a lockout: the admin reset is how a locked-out user gets back in.
      await db.query(
        `UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now(),
                          failed_logins = 0, locked_until = NULL
          WHERE id = $1`,
        [userId, passwordHash],
      );
    },

    async passwordHash(userId) {
      const { rows } = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1',
        [userId],
      );
      return rows[0]?.password_hash ?? null;
    },

    async addGrant(tenantId, userId, grant) {
      const { rows } = await db.query<{ id: string }>(
        'INSERT INTO grants (user_id, tenant_id, role, site_id, city_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [userId, tenantId, grant.role, grant.siteId, grant.cityId],
      );
      const grants = await grantRows(db, tenantId, [userId]);
      return toGrant(grants.find((g) => g.id === rows[0]!.id)!);
    },

    async deleteGrant(tenantId, userId, grantId) {
      if (!isUuid(grantId)) return false;
      const { rowCount } = await db.query(
        'DELETE FROM grants WHERE id = $1 AND user_id = $2 AND tenant_id = $3',
        [grantId, userId, tenantId],
      );
      return (rowCount ?? 0) > 0;
    },

    async adminsLeft(tenantId, without) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n
           FROM grants g JOIN users u ON u.id = g.user_id
          WHERE g.tenant_id = $1 AND g.role = 'admin' AND g.site_id IS NULL AND g.city_id IS NULL
            AND u.disabled_at IS NULL
            AND ($2::uuid IS NULL OR g.id <> $2) AND ($3::uuid IS NULL OR g.user_id <> $3)`,
        [tenantId, without.grantId ?? null, without.userId ?? null],
      );
      return rows[0]?.n ?? 0;
    },

    async inTenant(tenantId, kind, id) {
      const table = kind === 'site' ? 'sites' : 'cities';
      const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE id = $1 AND tenant_id = $2`, [
        id,
        tenantId,
      ]);
      return rows.length > 0;
    },
  };
}
