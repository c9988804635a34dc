/** Small pieces shared by the alert route files. */
import type { z } from '@hono/zod-openapi';
import type { Db } from '../db/pool.js';
import { ApiError, type ProblemCode, type ProblemIssue } from '../api/problem.js';
import { problem } from '../api/routes/common.js';
import { isUuid } from '../resources/sql.js';

export const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
export const readErrors = {
  400: problem('request.invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
export const writeErrors = { ...readErrors, 403: problem('auth.forbidden or auth.csrf_failed') };

/** The object, or 404 with `code` (a path id that is not a UUID names nothing). */
export async function found<T>(
  id: string,
  code: ProblemCode,
  what: string,
  load: () => Promise<T | null>,
): Promise<T> {
  const value = isUuid(id) ? await load() : null;
  if (value === null) throw new ApiError(code, `no ${what} with this id in your scope`);
  return value;
}

/** Tables a body may reference, in the order their problem code wins when several are missing. */
const REF_TABLES = ['oncall_groups', 'stations', 'cities', 'sites'] as const;
type RefTable = (typeof REF_TABLES)[number];
const NOT_FOUND: Record<RefTable, ProblemCode> = {
  oncall_groups: 'oncall_group.not_found',
  stations: 'station.not_found',
  cities: 'city.not_found',
  sites: 'site.not_found',
};

/**
 * Field errors for ids in a body that are not objects of the tenant: 404 like an unknown path id,
 * so another tenant's ids are indistinguishable from made-up ones.
 */
export async function checkRefs(
  db: Db,
  tenantId: string,
  refs: { path: string; table: RefTable; ids: readonly string[] }[],
): Promise<void> {
  const issues: ProblemIssue[] = [];
  const missing = new Set<RefTable>();
  for (const ref of refs) {
    if (ref.ids.length === 0) continue;
    const { rows } = await db.query<{ id: string }>(
      `SELECT x.id FROM unnest($2::uuid[]) AS x(id)
        WHERE NOT EXISTS (SELECT 1 FROM ${ref.table} t WHERE t.id = x.id AND t.tenant_id = $1)`,
      [tenantId, ref.ids],
    );
    for (const r of rows) issues.push({ path: ref.path, message: `no such object: ${r.id}` });
    if (rows.length > 0) missing.add(ref.table);
  }
  if (issues.length > 0) {
    const code = NOT_FOUND[REF_TABLES.find((t) => missing.has(t))!];
    throw new ApiError(code, 'the body names objects that are not in your tenant', { errors: issues });
  }
}
