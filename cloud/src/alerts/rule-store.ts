/** Alert rules of a tenant: list, read, create, change, delete (the API's side of `alert_rules`). */
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import { RULE_COLUMNS, toAlertRule, type RuleRow } from './rule-row.js';
import type { AlertRule, AlertRuleBody, AlertRulePatch, RuleKind, Severity } from './schemas.js';

export interface RuleFilter {
  kind?: RuleKind | undefined;
  severity?: Severity | undefined;
  enabled?: 'true' | 'false' | undefined;
  q?: string | undefined;
  sort: string;
  limit: number;
  offset: number;
}

const SORTS: Record<string, string> = {
  name: 'r.name ASC',
  '-name': 'r.name DESC',
  kind: 'r.kind ASC, r.name',
  '-kind': 'r.kind DESC, r.name',
  severity: `array_position(ARRAY['info','warning','critical'], r.severity) ASC, r.name`,
  '-severity': `array_position(ARRAY['info','warning','critical'], r.severity) DESC, r.name`,
  createdAt: 'r.created_at ASC, r.name',
  '-createdAt': 'r.created_at DESC, r.name',
};

/**
 * A site- or city-scoped reader sees the rules that can fire in its scope: tenant-wide rules and
 * rules naming its site, city or one of its stations. `$1` tenant, `$2` site, `$3` city.
 */
const VISIBLE = `r.tenant_id = $1 AND (($2::uuid IS NULL AND $3::uuid IS NULL)
  OR cardinality(r.city_ids) + cardinality(r.site_ids) + cardinality(r.station_ids) = 0
  OR $2 = ANY(r.site_ids) OR $3 = ANY(r.city_ids)
  OR EXISTS (SELECT 1 FROM sites s WHERE s.id = $2 AND s.city_id = ANY(r.city_ids))
  OR EXISTS (SELECT 1 FROM stations st JOIN sites s ON s.id = st.site_id WHERE st.id = ANY(r.station_ids)
              AND ($2::uuid IS NULL OR st.site_id = $2) AND ($3::uuid IS NULL OR s.city_id = $3)))`;

const OPEN_COUNT = `(SELECT count(*)::int FROM incidents i WHERE i.rule_id = r.id AND i.status <> 'resolved') AS open_incidents`;

export interface RuleStore {
  list(scope: Scope, f: RuleFilter): Promise<{ items: AlertRule[]; total: number }>;
  get(scope: Scope, id: string): Promise<AlertRule | null>;
  create(tenantId: string, b: AlertRuleBody): Promise<AlertRule>;
  update(tenantId: string, id: string, p: AlertRulePatch): Promise<AlertRule | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
  kindOf(tenantId: string, id: string): Promise<RuleKind | null>;
}

type RuleFields = Partial<Omit<AlertRuleBody, 'kind'>>;

/** Column values of the fields present in a body or patch. */
function columns(b: RuleFields): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (b.name !== undefined) c['name'] = b.name;
  if (b.severity !== undefined) c['severity'] = b.severity;
  if (b.enabled !== undefined) c['enabled'] = b.enabled;
  if (b.scope !== undefined) {
    c['city_ids'] = b.scope.cityIds;
    c['site_ids'] = b.scope.siteIds;
    c['station_ids'] = b.scope.stationIds;
  }
  if (b.params !== undefined) c['params'] = JSON.stringify(b.params);
  if (b.cooldownMinutes !== undefined) c['cooldown_minutes'] = b.cooldownMinutes;
  if (b.channels !== undefined) c['channels'] = [...new Set(b.channels)];
  if (b.recipients !== undefined) {
    c['notify_site_oncall'] = b.recipients.siteOnCall;
    c['recipient_group_ids'] = [...new Set(b.recipients.groupIds)];
    c['recipient_user_ids'] = [...new Set(b.recipients.userIds)];
  }
  if (b.notifyOnRecovery !== undefined) c['notify_on_recovery'] = b.notifyOnRecovery;
  if (b.escalation !== undefined) {
    c['escalation_after_minutes'] = b.escalation.afterMinutes;
    c['escalation_group_id'] = b.escalation.groupId;
  }
  return c;
}

export function createRuleStore(db: Db): RuleStore {
  const one = async (tenantId: string, id: string) => {
    const { rows } = await db.query<RuleRow & { open_incidents: number }>(
      `SELECT ${RULE_COLUMNS}, ${OPEN_COUNT} FROM alert_rules r WHERE r.tenant_id = $1 AND r.id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toAlertRule(rows[0]) : null;
  };
  return {
    async list(scope, f) {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      const clauses = [VISIBLE];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.kind) add((p) => `r.kind = ${p}`, f.kind);
      if (f.severity) add((p) => `r.severity = ${p}`, f.severity);
      if (f.enabled) add((p) => `r.enabled = ${p}::boolean`, f.enabled);
      if (f.q?.trim()) add((p) => `r.name ILIKE ${p}`, `%${f.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const where = clauses.join(' AND ');
      const [{ rows }, { rows: count }] = await Promise.all([
        db.query<RuleRow & { open_incidents: number }>(
          `SELECT ${RULE_COLUMNS}, ${OPEN_COUNT} FROM alert_rules r WHERE ${where}
            ORDER BY ${SORTS[f.sort] ?? SORTS['name']!}, r.id LIMIT ${f.limit} OFFSET ${f.offset}`,
          params,
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_rules r WHERE ${where}`, params),
      ]);
      return { items: rows.map(toAlertRule), total: count[0]?.n ?? 0 };
    },
    async get(scope, id) {
      const { rows } = await db.query<RuleRow & { open_incidents: number }>(
        `SELECT ${RULE_COLUMNS}, ${OPEN_COUNT} FROM alert_rules r WHERE ${VISIBLE} AND r.id = $4`,
        [scope.tenantId, scope.siteId, scope.cityId, id],
      );
      return rows[0] ? toAlertRule(rows[0]) : null;
    },
    async create(tenantId, b) {
      const c = { tenant_id: tenantId, kind: b.kind, ...columns(b) };
      const names = Object.keys(c);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO alert_rules (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING id`,
        Object.values(c),
      );
      return (await one(tenantId, rows[0]!.id))!;
    },
    async update(tenantId, id, p) {
      const c = columns(p);
      const names = Object.keys(c);
      if (names.length > 0) {
        const { rowCount } = await db.query(
          `UPDATE alert_rules SET ${names.map((n, i) => `${n} = $${i + 3}`).join(', ')}, updated_at = now(),
                  next_evaluation_at = '-infinity'
            WHERE tenant_id = $1 AND id = $2`,
          [tenantId, id, ...Object.values(c)],
        );
        if (rowCount === 0) return null;
      }
      if (p.enabled === false) {
        // A disabled rule is no longer evaluated, so nothing would ever resolve its incidents.
        await db.query(
          `WITH closed AS (
             UPDATE incidents SET status = 'resolved', resolved_at = now(), auto_resolved = true, updated_at = now()
              WHERE rule_id = $1 AND status <> 'resolved' RETURNING id)
           INSERT INTO incident_events (incident_id, at, type, details)
           SELECT id, now(), 'auto_resolved', '{"reason": "rule disabled"}' FROM closed`,
          [id],
        );
      }
      return one(tenantId, id);
    },
    async delete(tenantId, id) {
      const { rowCount } = await db.query('DELETE FROM alert_rules WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async kindOf(tenantId, id) {
      const { rows } = await db.query<{ kind: RuleKind }>(
        'SELECT kind FROM alert_rules WHERE tenant_id = $1 AND id = $2',
        [tenantId, id],
      );
      return rows[0]?.kind ?? null;
    },
  };
}
