/** On-call groups (maintenance crews of a site, a city or the tenant) and their members by level. */
import { withTransaction, type Db, type Tx } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import type { OncallGroup, OncallGroupBody, OncallGroupPatch } from './schemas.js';

interface GroupRow {
  id: string;
  name: string;
  description: string;
  site_id: string | null;
  site_name: string | null;
  city_id: string | null;
  city_name: string | null;
  created_at: Date;
  updated_at: Date;
  members: {
    userId: string;
    name: string;
    email: string;
    phone: string | null;
    level: number;
    position: number;
  }[];
}

const SELECT = `SELECT g.id, g.name, g.description, g.site_id, s.name AS site_name, g.city_id, c.name AS city_name,
       g.created_at, g.updated_at,
       coalesce((SELECT json_agg(json_build_object('userId', u.id, 'name', u.name, 'email', u.email, 'phone', u.phone,
                                                   'level', m.level, 'position', m.position)
                                 ORDER BY m.level, m.position)
                   FROM oncall_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id), '[]') AS members
  FROM oncall_groups g LEFT JOIN sites s ON s.id = g.site_id LEFT JOIN cities c ON c.id = g.city_id`;

/**
 * A scoped reader sees the groups of its site or city and the groups covering it (its city's,
 * the tenant's). `$1` tenant, `$2` site, `$3` city.
 */
const VISIBLE = `g.tenant_id = $1 AND (($2::uuid IS NULL AND $3::uuid IS NULL)
  OR (g.site_id IS NULL AND g.city_id IS NULL)
  OR ($2::uuid IS NOT NULL AND (g.site_id = $2 OR g.city_id = (SELECT city_id FROM sites WHERE id = $2)))
  OR ($3::uuid IS NOT NULL AND (g.city_id = $3 OR g.site_id IN (SELECT id FROM sites WHERE city_id = $3))))`;

const toGroup = (r: GroupRow): OncallGroup => ({
  id: r.id,
  name: r.name,
  description: r.description,
  siteId: r.site_id,
  siteName: r.site_name,
  cityId: r.city_id,
  cityName: r.city_name,
  members: r.members,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface OncallStore {
  list(
    scope: Scope,
    f: {
      siteId?: string | undefined;
      cityId?: string | undefined;
      q?: string | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: OncallGroup[]; total: number }>;
  get(scope: Scope, id: string): Promise<OncallGroup | null>;
  create(tenantId: string, b: OncallGroupBody): Promise<OncallGroup>;
  update(tenantId: string, id: string, p: OncallGroupPatch): Promise<OncallGroup | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** The ids among `userIds` that are not users of the tenant. */
  foreignUsers(tenantId: string, userIds: readonly string[]): Promise<string[]>;
  /** The ids among `groupIds` that are not groups of the tenant. */
  foreignGroups(tenantId: string, groupIds: readonly string[]): Promise<string[]>;
}

async function replaceMembers(tx: Tx, groupId: string, members: OncallGroupBody['members']) {
  await tx.query('DELETE FROM oncall_members WHERE group_id = $1', [groupId]);
  if (members.length === 0) return;
  await tx.query(
    `INSERT INTO oncall_members (group_id, user_id, level, position)
     SELECT $1, user_id, level, position FROM unnest($2::uuid[], $3::smallint[], $4::smallint[]) AS u(user_id, level, position)
     ON CONFLICT (group_id, user_id) DO UPDATE SET level = excluded.level, position = excluded.position`,
    [groupId, members.map((m) => m.userId), members.map((m) => m.level), members.map((_, i) => i)],
  );
}

export function createOncallStore(db: Db): OncallStore {
  const one = async (tenantId: string, id: string) => {
    const { rows } = await db.query<GroupRow>(`${SELECT} WHERE g.tenant_id = $1 AND g.id = $2`, [
      tenantId,
      id,
    ]);
    return rows[0] ? toGroup(rows[0]) : null;
  };
  return {
    async list(scope, f) {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      const clauses = [VISIBLE];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.siteId) add((p) => `g.site_id = ${p}::uuid`, f.siteId);
      if (f.cityId) add((p) => `g.city_id = ${p}::uuid`, f.cityId);
      if (f.q?.trim()) add((p) => `g.name ILIKE ${p}`, `%${f.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const where = clauses.join(' AND ');
      const [{ rows }, { rows: count }] = await Promise.all([
        db.query<GroupRow>(
          `${SELECT} WHERE ${where} ORDER BY g.name, g.id LIMIT ${f.limit} OFFSET ${f.offset}`,
          params,
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM oncall_groups g WHERE ${where}`, params),
      ]);
      return { items: rows.map(toGroup), total: count[0]?.n ?? 0 };
    },
    async get(scope, id) {
      const { rows } = await db.query<GroupRow>(`${SELECT} WHERE ${VISIBLE} AND g.id = $4`, [
        scope.tenantId,
        scope.siteId,
        scope.cityId,
        id,
      ]);
      return rows[0] ? toGroup(rows[0]) : null;
    },
    async create(tenantId, b) {
      const id = await withTransaction(db, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO oncall_groups (tenant_id, name, description, site_id, city_id) VALUES ($1, $2, $3, $4, $5)
           RETURNING id`,
          [tenantId, b.name, b.description, b.siteId, b.cityId],
        );
        await replaceMembers(tx, rows[0]!.id, b.members);
        return rows[0]!.id;
      });
      return (await one(tenantId, id))!;
    },
    async update(tenantId, id, p) {
      const found = await withTransaction(db, async (tx) => {
        const sets: string[] = [];
        const params: unknown[] = [tenantId, id];
        for (const [key, column] of [
          ['name', 'name'],
          ['description', 'description'],
          ['siteId', 'site_id'],
          ['cityId', 'city_id'],
        ] as const) {
          if (p[key] === undefined) continue;
          params.push(p[key]);
          sets.push(`${column} = $${params.length}`);
        }
        const { rowCount } = await tx.query(
          `UPDATE oncall_groups SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE tenant_id = $1 AND id = $2`,
          params,
        );
        if (rowCount === 0) return false;
        if (p.members !== undefined) await replaceMembers(tx, id, p.members);
        return true;
      });
      return found ? one(tenantId, id) : null;
    },
    async delete(tenantId, id) {
      const { rowCount } = await db.query('DELETE FROM oncall_groups WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async foreignUsers(tenantId, userIds) {
      if (userIds.length === 0) return [];
      const { rows } = await db.query<{ id: string }>(
        `SELECT u.id FROM unnest($2::uuid[]) AS u(id)
          WHERE NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.tenant_id = $1)`,
        [tenantId, userIds],
      );
      return rows.map((r) => r.id);
    },
    async foreignGroups(tenantId, groupIds) {
      if (groupIds.length === 0) return [];
      const { rows } = await db.query<{ id: string }>(
        `SELECT x.id FROM unnest($2::uuid[]) AS x(id)
          WHERE NOT EXISTS (SELECT 1 FROM oncall_groups g WHERE g.id = x.id AND g.tenant_id = $1)`,
        [tenantId, groupIds],
      );
      return rows.map((r) => r.id);
    },
  };
}
