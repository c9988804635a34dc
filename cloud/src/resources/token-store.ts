/**
 * RFID tokens (the `id_tokens` local authorisation list), their holders and groups. Tokens valid at
 * every site (site_id NULL) are visible to every grant of the tenant; a site's own tokens only to
 * grants whose scope covers the site. Holders and groups are tenant-level.
 */
import type { z } from '@hono/zod-openapi';
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import type {
  Group,
  GroupBody,
  GroupQuery,
  Holder,
  HolderBody,
  HolderQuery,
  Token,
  TokenBody,
  TokenQuery,
} from './token-schemas.js';
import { isUuid, setClause } from './sql.js';

type TokenRow = z.infer<typeof Token>;
type HolderRow = z.infer<typeof Holder>;
type GroupRow = z.infer<typeof Group>;
type Page<T> = { items: T[]; total: number };

export interface TokenStore {
  list(scope: Scope, q: z.output<typeof TokenQuery>): Promise<Page<TokenRow>>;
  get(scope: Scope, id: string): Promise<TokenRow | null>;
  create(tenantId: string, body: z.output<typeof TokenBody>): Promise<TokenRow>;
  update(tenantId: string, id: string, patch: Partial<z.output<typeof TokenBody>>): Promise<TokenRow>;
  delete(tenantId: string, id: string): Promise<void>;
  holders(tenantId: string, q: z.output<typeof HolderQuery>): Promise<Page<HolderRow>>;
  holder(tenantId: string, id: string): Promise<HolderRow | null>;
  createHolder(tenantId: string, body: z.output<typeof HolderBody>): Promise<HolderRow>;
  updateHolder(
    tenantId: string,
    id: string,
    patch: Partial<z.output<typeof HolderBody>>,
  ): Promise<HolderRow | null>;
  deleteHolder(tenantId: string, id: string): Promise<boolean>;
  groups(tenantId: string, q: z.output<typeof GroupQuery>): Promise<Page<GroupRow>>;
  group(tenantId: string, id: string): Promise<GroupRow | null>;
  createGroup(tenantId: string, body: z.output<typeof GroupBody>): Promise<GroupRow>;
  updateGroup(
    tenantId: string,
    id: string,
    patch: Partial<z.output<typeof GroupBody>>,
  ): Promise<GroupRow | null>;
  deleteGroup(tenantId: string, id: string): Promise<boolean>;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const iso = (d: Date | null) => d?.toISOString() ?? null;

const TOKEN_SELECT = `SELECT t.id, t.id_token AS uid, t.type, t.status, t.expires_at AS "expiresAt",
       t.holder_id AS "holderId", h.name AS "holderName", t.token_group_id AS "groupId", g.name AS "groupName",
       t.site_id AS "siteId", si.name AS "siteName", t.group_id AS "ocppGroupId",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt"
  FROM id_tokens t
  LEFT JOIN token_holders h ON h.id = t.holder_id
  LEFT JOIN token_groups g ON g.id = t.token_group_id
  LEFT JOIN sites si ON si.id = t.site_id`;
/** `$1` tenant, `$2` site scope, `$3` city scope: tenant-wide tokens and those of sites in scope. */
const TOKEN_SCOPED = `t.tenant_id = $1 AND (t.site_id IS NULL OR (
  ($2::uuid IS NULL OR t.site_id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)))`;
const TOKEN_SORTS: Record<z.output<typeof TokenQuery>['sort'], string> = {
  uid: 't.id_token ASC, t.id',
  '-uid': 't.id_token DESC, t.id',
  createdAt: 't.created_at ASC, t.id',
  '-createdAt': 't.created_at DESC, t.id',
  status: 't.status ASC, t.id_token',
  '-status': 't.status DESC, t.id_token',
};
const NAME_SORTS = {
  name: 'x.name ASC, x.id',
  '-name': 'x.name DESC, x.id',
  createdAt: 'x.created_at ASC, x.id',
  '-createdAt': 'x.created_at DESC, x.id',
} as const;

type Dated<T> = Omit<T, 'createdAt' | 'updatedAt' | 'expiresAt'> & {
  createdAt: Date;
  updatedAt?: Date;
  expiresAt?: Date | null;
};
const toToken = (r: Dated<TokenRow>): TokenRow => ({
  ...r,
  expiresAt: iso(r.expiresAt ?? null),
  createdAt: r.createdAt.toISOString(),
  updatedAt: (r.updatedAt ?? r.createdAt).toISOString(),
});
const dated = <T extends { createdAt: string }>(r: Omit<T, 'createdAt'> & { createdAt: Date }): T =>
  ({ ...r, createdAt: r.createdAt.toISOString() }) as T;

const TOKEN_COLUMNS = {
  uid: 'id_token',
  type: 'type',
  status: 'status',
  expiresAt: 'expires_at',
  holderId: 'holder_id',
  groupId: 'token_group_id',
  siteId: 'site_id',
  ocppGroupId: 'group_id',
};

export function createTokenStore(db: Db): TokenStore {
  const tenantScope = (tenantId: string): Scope => ({ tenantId, siteId: null, cityId: null });
  const get = async (scope: Scope, id: string) => {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<Dated<TokenRow>>(`${TOKEN_SELECT} WHERE ${TOKEN_SCOPED} AND t.id = $4`, [
      scope.tenantId,
      scope.siteId,
      scope.cityId,
      id,
    ]);
    return rows[0] ? toToken(rows[0]) : null;
  };

  /** A page of `table x` (holders or groups) with the number of tokens of each. */
  const namedPage = async <T>(
    table: 'token_holders' | 'token_groups',
    fk: 'holder_id' | 'token_group_id',
    columns: string,
    tenantId: string,
    q: { q?: string | undefined; sort: keyof typeof NAME_SORTS; limit: number; offset: number },
    search: string,
    extra: { sql: string; value: unknown } | null,
  ): Promise<Page<T>> => {
    const params: unknown[] = [tenantId];
    const clauses = ['x.tenant_id = $1'];
    if (q.q?.trim()) {
      params.push(`%${escapeLike(q.q.trim())}%`);
      clauses.push(`${search} ILIKE $${params.length}`);
    }
    if (extra) {
      params.push(extra.value);
      clauses.push(`${extra.sql} = $${params.length}`);
    }
    const where = clauses.join(' AND ');
    const [{ rows }, count] = await Promise.all([
      db.query<Omit<T, 'createdAt'> & { createdAt: Date }>(
        `SELECT ${columns}, x.created_at AS "createdAt",
                (SELECT count(*)::int FROM id_tokens t WHERE t.${fk} = x.id) AS "tokenCount"
           FROM ${table} x WHERE ${where}
          ORDER BY ${NAME_SORTS[q.sort]} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, q.limit, q.offset],
      ),
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} x WHERE ${where}`, params),
    ]);
    return {
      items: rows.map((r) => dated<T & { createdAt: string }>(r as never)),
      total: count.rows[0]?.n ?? 0,
    };
  };
  const HOLDER_COLUMNS = 'x.id, x.name, x.phone, x.email, x.company';
  const GROUP_COLUMNS = 'x.id, x.name, x.kind';
  const one = async <T>(table: string, fk: string, columns: string, tenantId: string, id: string) => {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<Omit<T, 'createdAt'> & { createdAt: Date }>(
      `SELECT ${columns}, x.created_at AS "createdAt",
              (SELECT count(*)::int FROM id_tokens t WHERE t.${fk} = x.id) AS "tokenCount"
         FROM ${table} x WHERE x.tenant_id = $1 AND x.id = $2`,
      [tenantId, id],
    );
    return rows[0] ? dated<T & { createdAt: string }>(rows[0] as never) : null;
  };
  const patchRow = async (
    table: string,
    tenantId: string,
    id: string,
    fields: Record<string, unknown>,
    columns: Record<string, string>,
  ) => {
    if (!isUuid(id)) return false;
    const set = setClause(fields, columns, 3);
    const { rowCount } = await db.query(
      `UPDATE ${table} SET ${set.sql || 'id = id'} WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, ...set.params],
    );
    return (rowCount ?? 0) > 0;
  };
  const remove = async (table: string, tenantId: string, id: string) => {
    if (!isUuid(id)) return false;
    const { rowCount } = await db.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return (rowCount ?? 0) > 0;
  };

  return {
    get,

    async list(scope, f) {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      const clauses = [TOKEN_SCOPED];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.status !== undefined) add((p) => `t.status = ${p}`, f.status);
      if (f.holderId !== undefined) add((p) => `t.holder_id = ${p}::uuid`, f.holderId);
      if (f.groupId !== undefined) add((p) => `t.token_group_id = ${p}::uuid`, f.groupId);
      if (f.siteId !== undefined) add((p) => `t.site_id = ${p}::uuid`, f.siteId);
      if (f.q?.trim())
        add(
          (p) => `concat_ws(' ', t.id_token, h.name, h.company, g.name) ILIKE ${p}`,
          `%${escapeLike(f.q.trim())}%`,
        );
      const where = clauses.join(' AND ');
      const [{ rows }, count] = await Promise.all([
        db.query<Dated<TokenRow>>(
          `${TOKEN_SELECT} WHERE ${where} ORDER BY ${TOKEN_SORTS[f.sort]}
            LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, f.limit, f.offset],
        ),
        db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM id_tokens t
             LEFT JOIN token_holders h ON h.id = t.holder_id
             LEFT JOIN token_groups g ON g.id = t.token_group_id
             LEFT JOIN sites si ON si.id = t.site_id WHERE ${where}`,
          params,
        ),
      ]);
      return { items: rows.map(toToken), total: count.rows[0]?.n ?? 0 };
    },

    async create(tenantId, b) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO id_tokens (tenant_id, id_token, type, status, expires_at, holder_id, token_group_id, site_id, group_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [tenantId, b.uid, b.type, b.status, b.expiresAt, b.holderId, b.groupId, b.siteId, b.ocppGroupId],
      );
      return (await get(tenantScope(tenantId), rows[0]!.id))!;
    },

    async update(tenantId, id, patch) {
      await patchRow(
        'id_tokens',
        tenantId,
        id,
        { ...patch, updatedAt: new Date() },
        {
          ...TOKEN_COLUMNS,
          updatedAt: 'updated_at',
        },
      );
      return (await get(tenantScope(tenantId), id))!;
    },

    async delete(tenantId, id) {
      await remove('id_tokens', tenantId, id);
    },

    holders: (tenantId, q) =>
      namedPage<HolderRow>(
        'token_holders',
        'holder_id',
        HOLDER_COLUMNS,
        tenantId,
        q,
        "concat_ws(' ', x.name, x.company, x.phone, x.email)",
        null,
      ),
    holder: (tenantId, id) => one<HolderRow>('token_holders', 'holder_id', HOLDER_COLUMNS, tenantId, id),
    async createHolder(tenantId, b) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO token_holders (tenant_id, name, phone, email, company) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [tenantId, b.name, b.phone, b.email, b.company],
      );
      return (await one<HolderRow>('token_holders', 'holder_id', HOLDER_COLUMNS, tenantId, rows[0]!.id))!;
    },
    async updateHolder(tenantId, id, patch) {
      const found = await patchRow('token_holders', tenantId, id, patch, {
        name: 'name',
        phone: 'phone',
        email: 'email',
        company: 'company',
      });
      return found ? one<HolderRow>('token_holders', 'holder_id', HOLDER_COLUMNS, tenantId, id) : null;
    },
    deleteHolder: (tenantId, id) => remove('token_holders', tenantId, id),

    groups: (tenantId, q) =>
      namedPage<GroupRow>(
        'token_groups',
        'token_group_id',
        GROUP_COLUMNS,
        tenantId,
        q,
        'x.name',
        q.kind === undefined ? null : { sql: 'x.kind', value: q.kind },
      ),
    group: (tenantId, id) => one<GroupRow>('token_groups', 'token_group_id', GROUP_COLUMNS, tenantId, id),
    async createGroup(tenantId, b) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, $2, $3) RETURNING id`,
        [tenantId, b.name, b.kind],
      );
      return (await one<GroupRow>('token_groups', 'token_group_id', GROUP_COLUMNS, tenantId, rows[0]!.id))!;
    },
    async updateGroup(tenantId, id, patch) {
      const found = await patchRow('token_groups', tenantId, id, patch, { name: 'name', kind: 'kind' });
      return found ? one<GroupRow>('token_groups', 'token_group_id', GROUP_COLUMNS, tenantId, id) : null;
    },
    deleteGroup: (tenantId, id) => remove('token_groups', tenantId, id),
  };
}
