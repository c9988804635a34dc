/**
 * Tariffs, their versions and their assignments in PostgreSQL. Tariffs are tenant-level; the
 * assignments a caller sees are narrowed to the sites (and their stations and tokens) of its scope.
 */
import type { z } from '@hono/zod-openapi';
import { withTransaction, type Db } from '../db/pool.js';
import { isUuid } from '../resources/sql.js';
import type { Scope } from '../stations/queries.js';
import type {
  AssignmentTarget,
  Tariff,
  TariffAssignment,
  TariffBody,
  TariffPatch,
  TariffQuery,
  TariffVersion,
  TariffVersionBody,
} from './schemas.js';

type TariffOut = z.output<typeof Tariff>;
type VersionOut = z.output<typeof TariffVersion>;
type AssignmentOut = z.output<typeof TariffAssignment>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const SORTS: Record<z.output<typeof TariffQuery>['sort'], string> = {
  name: 't.name ASC, t.id',
  '-name': 't.name DESC, t.id',
  createdAt: 't.created_at ASC, t.id',
  '-createdAt': 't.created_at DESC, t.id',
};

/** Assignments with the target's name, only those whose target lies in the scope ($1–$3). */
const ASSIGNMENTS_SQL = `
SELECT a.target_type AS "targetType", a.target_id AS "targetId", a.tariff_id AS "tariffId",
       tr.name AS "tariffName", a.assigned_at AS "assignedAt",
       coalesce(si.name, st.name, g.name, tok.id_token) AS "targetName"
  FROM tariff_assignments a
  JOIN tariffs tr ON tr.id = a.tariff_id
  LEFT JOIN sites si ON a.target_type = 'site' AND si.id = a.target_id AND si.tenant_id = a.tenant_id
  LEFT JOIN stations st ON a.target_type = 'station' AND st.id = a.target_id AND st.tenant_id = a.tenant_id
  LEFT JOIN sites sst ON sst.id = st.site_id
  LEFT JOIN token_groups g ON a.target_type = 'token_group' AND g.id = a.target_id AND g.tenant_id = a.tenant_id
  LEFT JOIN id_tokens tok ON a.target_type = 'token' AND tok.id = a.target_id AND tok.tenant_id = a.tenant_id
  LEFT JOIN sites stok ON stok.id = tok.site_id
 WHERE a.tenant_id = $1
   AND coalesce(si.name, st.name, g.name, tok.id_token) IS NOT NULL
   AND (($2::uuid IS NULL AND $3::uuid IS NULL)
     OR (a.target_type = 'site' AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3))
     OR (a.target_type = 'station' AND ($2::uuid IS NULL OR sst.id = $2) AND ($3::uuid IS NULL OR sst.city_id = $3))
     OR a.target_type = 'token_group'
     OR (a.target_type = 'token' AND (tok.site_id IS NULL
          OR (($2::uuid IS NULL OR stok.id = $2) AND ($3::uuid IS NULL OR stok.city_id = $3)))))`;

interface VersionRow {
  id: string;
  tariff_id: string;
  valid_from: Date;
  valid_to: Date | null;
  spec: VersionOut['spec'];
  created_at: Date;
  session_count: number;
}

const toVersion = (v: VersionRow): VersionOut => ({
  id: v.id,
  validFrom: v.valid_from.toISOString(),
  validTo: v.valid_to?.toISOString() ?? null,
  spec: v.spec,
  createdAt: v.created_at.toISOString(),
  sessionCount: v.session_count,
});

/** The version in force at `now`: the latest one started, unless it has ended. */
function currentOf(versions: readonly VersionOut[], nowMs: number): VersionOut | null {
  const started = versions.filter((v) => Date.parse(v.validFrom) <= nowMs);
  const latest = started.at(-1);
  if (!latest) return null;
  return latest.validTo === null || nowMs < Date.parse(latest.validTo) ? latest : null;
}

interface TariffRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

export function createTariffStore(db: Db) {
  async function hydrate(scope: Scope, rows: TariffRow[]): Promise<TariffOut[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [versions, assignments] = await Promise.all([
      db.query<VersionRow>(
        `SELECT v.id, v.tariff_id, v.valid_from, v.valid_to, v.spec, v.created_at,
                (SELECT count(*)::int FROM sessions s WHERE s.tariff_version_id = v.id) AS session_count
           FROM tariff_versions v WHERE v.tariff_id = ANY($1::uuid[]) ORDER BY v.valid_from`,
        [ids],
      ),
      db.query<Omit<AssignmentOut, 'assignedAt'> & { assignedAt: Date }>(
        `${ASSIGNMENTS_SQL} AND a.tariff_id = ANY($4::uuid[]) ORDER BY a.target_type, "targetName"`,
        [scope.tenantId, scope.siteId, scope.cityId, ids],
      ),
    ]);
    const now = Date.now();
    return rows.map((r) => {
      const own = versions.rows.filter((v) => v.tariff_id === r.id).map(toVersion);
      return {
        id: r.id,
        name: r.name,
        description: r.description,
        current: currentOf(own, now),
        versions: own,
        assignments: assignments.rows
          .filter((a) => a.tariffId === r.id)
          .map((a) => ({ ...a, assignedAt: a.assignedAt.toISOString() })),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }

  const SELECT = 'SELECT t.id, t.name, t.description, t.created_at, t.updated_at FROM tariffs t';

  async function get(scope: Scope, id: string): Promise<TariffOut | null> {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<TariffRow>(`${SELECT} WHERE t.tenant_id = $1 AND t.id = $2`, [
      scope.tenantId,
      id,
    ]);
    return (await hydrate(scope, rows))[0] ?? null;
  }

  return {
    get,

    async list(
      scope: Scope,
      q: z.output<typeof TariffQuery>,
    ): Promise<{ items: TariffOut[]; total: number }> {
      const params: unknown[] = [scope.tenantId];
      let where = 't.tenant_id = $1';
      if (q.q?.trim()) {
        params.push(`%${escapeLike(q.q.trim())}%`);
        where += ` AND t.name ILIKE $${params.length}`;
      }
      const [{ rows }, count] = await Promise.all([
        db.query<TariffRow>(
          `${SELECT} WHERE ${where} ORDER BY ${SORTS[q.sort]} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, q.limit, q.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tariffs t WHERE ${where}`, params),
      ]);
      return { items: await hydrate(scope, rows), total: count.rows[0]?.n ?? 0 };
    },

    async create(
      scope: Scope,
      userId: string,
      b: z.output<typeof TariffBody>,
      now: Date,
    ): Promise<TariffOut> {
      const id = await withTransaction(db, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          'INSERT INTO tariffs (tenant_id, name, description) VALUES ($1, $2, $3) RETURNING id',
          [scope.tenantId, b.name, b.description],
        );
        const tariffId = rows[0]!.id;
        await tx.query(
          `INSERT INTO tariff_versions (tenant_id, tariff_id, valid_from, spec, created_by)
           VALUES ($1, $2, $3, $4, $5)`,
          [scope.tenantId, tariffId, b.validFrom ?? now.toISOString(), JSON.stringify(b.spec), userId],
        );
        return tariffId;
      });
      return (await get(scope, id))!;
    },

    async update(scope: Scope, id: string, patch: z.output<typeof TariffPatch>): Promise<TariffOut | null> {
      if (!isUuid(id)) return null;
      const { rowCount } = await db.query(
        `UPDATE tariffs SET name = coalesce($3, name),
                description = CASE WHEN $4::boolean THEN $5 ELSE description END, updated_at = now()
          WHERE tenant_id = $1 AND id = $2`,
        [scope.tenantId, id, patch.name ?? null, patch.description !== undefined, patch.description ?? null],
      );
      return rowCount ? get(scope, id) : null;
    },

    /** False when there is no such tariff; throws a foreign-key error when sessions used it. */
    async delete(scope: Scope, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const { rowCount } = await db.query('DELETE FROM tariffs WHERE tenant_id = $1 AND id = $2', [
        scope.tenantId,
        id,
      ]);
      return (rowCount ?? 0) > 0;
    },

    async addVersion(
      scope: Scope,
      tariffId: string,
      userId: string,
      b: z.output<typeof TariffVersionBody>,
    ): Promise<TariffOut | null> {
      if (!isUuid(tariffId)) return null;
      const { rowCount } = await db.query(
        `INSERT INTO tariff_versions (tenant_id, tariff_id, valid_from, valid_to, spec, created_by)
         SELECT t.tenant_id, t.id, $3, $4, $5, $6 FROM tariffs t WHERE t.tenant_id = $1 AND t.id = $2`,
        [scope.tenantId, tariffId, b.validFrom, b.validTo, JSON.stringify(b.spec), userId],
      );
      if (!rowCount) return null;
      await db.query('UPDATE tariffs SET updated_at = now() WHERE id = $1', [tariffId]);
      return get(scope, tariffId);
    },

    async assignments(
      scope: Scope,
      q: { targetType?: AssignmentTarget | undefined; tariffId?: string | undefined },
    ): Promise<AssignmentOut[]> {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      let sql = ASSIGNMENTS_SQL;
      if (q.targetType) {
        params.push(q.targetType);
        sql += ` AND a.target_type = $${params.length}`;
      }
      if (q.tariffId) {
        params.push(q.tariffId);
        sql += ` AND a.tariff_id = $${params.length}::uuid`;
      }
      const { rows } = await db.query<Omit<AssignmentOut, 'assignedAt'> & { assignedAt: Date }>(
        `${sql} ORDER BY a.target_type, "targetName"`,
        params,
      );
      return rows.map((a) => ({ ...a, assignedAt: a.assignedAt.toISOString() }));
    },

    /** Sets (or with null removes) the tariff of one target; the caller checked both are in scope. */
    async assign(tenantId: string, targetType: AssignmentTarget, targetId: string, tariffId: string | null) {
      if (tariffId === null) {
        await db.query(
          'DELETE FROM tariff_assignments WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3',
          [tenantId, targetType, targetId],
        );
        return;
      }
      await db.query(
        `INSERT INTO tariff_assignments (tenant_id, target_type, target_id, tariff_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, target_type, target_id)
         DO UPDATE SET tariff_id = EXCLUDED.tariff_id, assigned_at = now()`,
        [tenantId, targetType, targetId, tariffId],
      );
    },

    /**
     * The site a target belongs to (null: tenant-level, i.e. a token group or a token valid at every
     * site), or undefined when it is not in the scope.
     */
    async targetSite(
      scope: Scope,
      targetType: AssignmentTarget,
      targetId: string,
    ): Promise<string | null | undefined> {
      if (!isUuid(targetId)) return undefined;
      const inScope = `($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)`;
      const sql: Record<AssignmentTarget, string> = {
        site: `SELECT si.id AS site_id FROM sites si WHERE si.tenant_id = $1 AND si.id = $4 AND ${inScope}`,
        station: `SELECT si.id AS site_id FROM stations st JOIN sites si ON si.id = st.site_id
                   WHERE st.tenant_id = $1 AND st.id = $4 AND ${inScope}`,
        // Tenant-level: every scope sees it (the parameters are typed for the shared parameter list).
        token_group: `SELECT NULL::uuid AS site_id FROM token_groups
                       WHERE tenant_id = $1 AND id = $4 AND ($2::uuid IS NULL OR $3::uuid IS NULL OR true)`,
        token: `SELECT t.site_id FROM id_tokens t LEFT JOIN sites si ON si.id = t.site_id
                 WHERE t.tenant_id = $1 AND t.id = $4 AND (t.site_id IS NULL OR (${inScope}))`,
      };
      const { rows } = await db.query<{ site_id: string | null }>(sql[targetType], [
        scope.tenantId,
        scope.siteId,
        scope.cityId,
        targetId,
      ]);
      return rows[0] === undefined ? undefined : rows[0].site_id;
    },
  };
}

export type TariffStore = ReturnType<typeof createTariffStore>;
