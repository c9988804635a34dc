/**
 * Incidents as the API shows them: lists and details within the caller's tenant and scope, and the
 * people's actions on them (acknowledge, resolve with a comment).
 */
import { withTransaction, type Db, type Tx } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import { incidentLink, supersedeHeld } from './outbox.js';
import type { Incident, IncidentEvent, IncidentStatus, Notification, RuleKind, Severity } from './schemas.js';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './notification-store.js';

const SELECT = `SELECT i.id, i.rule_id, r.name AS rule_name, i.kind, i.severity, i.status, i.title, i.details,
       i.site_id, si.name AS site_name, si.city_id, i.station_id, st.identity AS station_identity,
       st.name AS station_name, i.evse_id, i.connector_id, i.since, i.opened_at, i.acknowledged_at,
       i.acknowledged_by, au.name AS acknowledged_by_name, i.resolved_at, i.resolved_by,
       ru.name AS resolved_by_name, i.auto_resolved, i.flap_count, i.escalation_level, i.last_notified_at,
       i.tenant_id
  FROM incidents i
  JOIN alert_rules r ON r.id = i.rule_id
  JOIN sites si ON si.id = i.site_id
  LEFT JOIN stations st ON st.id = i.station_id
  LEFT JOIN users au ON au.id = i.acknowledged_by
  LEFT JOIN users ru ON ru.id = i.resolved_by`;

/** `$1` tenant, `$2` site scope, `$3` city scope. */
const SCOPED =
  'i.tenant_id = $1 AND ($2::uuid IS NULL OR i.site_id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)';

interface Row {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_name: string;
  kind: RuleKind;
  severity: Severity;
  status: IncidentStatus;
  title: string;
  details: Record<string, unknown>;
  site_id: string;
  site_name: string;
  city_id: string | null;
  station_id: string | null;
  station_identity: string | null;
  station_name: string | null;
  evse_id: number | null;
  connector_id: number | null;
  since: Date;
  opened_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolved_by_name: string | null;
  auto_resolved: boolean;
  flap_count: number;
  escalation_level: number;
  last_notified_at: Date | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const userRef = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

export interface IncidentWithPlacement {
  tenantId: string;
  cityId: string | null;
  incident: Incident;
}

const toIncident = (r: Row, publicUrl: string): Incident => ({
  id: r.id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  kind: r.kind,
  severity: r.severity,
  status: r.status,
  title: r.title,
  target: {
    siteId: r.site_id,
    siteName: r.site_name,
    cityId: r.city_id,
    stationId: r.station_id,
    stationIdentity: r.station_identity,
    stationName: r.station_name,
    evseId: r.evse_id,
    connectorId: r.connector_id,
  },
  details: r.details,
  since: r.since.toISOString(),
  openedAt: r.opened_at.toISOString(),
  acknowledgedAt: iso(r.acknowledged_at),
  acknowledgedBy: userRef(r.acknowledged_by, r.acknowledged_by_name),
  resolvedAt: iso(r.resolved_at),
  resolvedBy: userRef(r.resolved_by, r.resolved_by_name),
  autoResolved: r.auto_resolved,
  flapCount: r.flap_count,
  escalationLevel: r.escalation_level,
  lastNotifiedAt: iso(r.last_notified_at),
  link: incidentLink(publicUrl, r),
});

export interface IncidentFilter {
  status?: IncidentStatus | 'unresolved' | undefined;
  severity?: Severity | undefined;
  kind?: RuleKind | undefined;
  ruleId?: string | undefined;
  siteId?: string | undefined;
  stationId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  sort: string;
  limit: number;
  offset: number;
}

const SORTS: Record<string, string> = {
  openedAt: 'i.opened_at ASC, i.id',
  '-openedAt': 'i.opened_at DESC, i.id',
  severity: `array_position(ARRAY['info','warning','critical'], i.severity) ASC, i.opened_at DESC`,
  '-severity': `array_position(ARRAY['info','warning','critical'], i.severity) DESC, i.opened_at DESC`,
  status: `array_position(ARRAY['open','acknowledged','resolved'], i.status) ASC, i.opened_at DESC`,
  '-status': `array_position(ARRAY['open','acknowledged','resolved'], i.status) DESC, i.opened_at DESC`,
};

export type IncidentDetailView = Incident & { events: IncidentEvent[]; notifications: Notification[] };

export interface IncidentStore {
  list(scope: Scope, f: IncidentFilter): Promise<{ items: Incident[]; total: number }>;
  get(scope: Scope, id: string): Promise<IncidentDetailView | null>;
  /** The API view of incidents by id, with where they belong (for the live fan-out). */
  views(ids: readonly string[]): Promise<IncidentWithPlacement[]>;
  acknowledge(scope: Scope, id: string, userId: string, comment: string | null, now: Date): Promise<boolean>;
  resolve(scope: Scope, id: string, userId: string, comment: string, now: Date): Promise<boolean>;
}

export function createIncidentStore(db: Db, publicUrl: string): IncidentStore {
  const lockInScope = async (tx: Tx, scope: Scope, id: string) => {
    const { rows } = await tx.query<{
      id: string;
      status: IncidentStatus;
      kind: RuleKind;
      station_id: string | null;
    }>(
      `SELECT i.id, i.status, i.kind, i.station_id FROM incidents i JOIN sites si ON si.id = i.site_id
        WHERE ${SCOPED} AND i.id = $4 FOR UPDATE OF i`,
      [scope.tenantId, scope.siteId, scope.cityId, id],
    );
    return rows[0] ?? null;
  };
  const event = (tx: Tx, id: string, type: string, userId: string, comment: string | null, now: Date) =>
    tx.query(
      `INSERT INTO incident_events (incident_id, at, type, user_id, comment) VALUES ($1, $2, $3, $4, $5)`,
      [id, now, type, userId, comment],
    );

  return {
    async list(scope, f) {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      const clauses = [SCOPED];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.status === 'unresolved') clauses.push(`i.status <> 'resolved'`);
      else if (f.status) add((p) => `i.status = ${p}`, f.status);
      if (f.severity) add((p) => `i.severity = ${p}`, f.severity);
      if (f.kind) add((p) => `i.kind = ${p}`, f.kind);
      if (f.ruleId) add((p) => `i.rule_id = ${p}::uuid`, f.ruleId);
      if (f.siteId) add((p) => `i.site_id = ${p}::uuid`, f.siteId);
      if (f.stationId) add((p) => `i.station_id = ${p}::uuid`, f.stationId);
      if (f.from) add((p) => `i.opened_at >= ${p}::timestamptz`, f.from);
      if (f.to) add((p) => `i.opened_at < ${p}::timestamptz`, f.to);
      const where = clauses.join(' AND ');
      const { rows } = await db.query<Row & { total: number }>(
        `${SELECT.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')}
          WHERE ${where} ORDER BY ${SORTS[f.sort] ?? SORTS['-openedAt']!}
          LIMIT ${f.limit} OFFSET ${f.offset}`,
        params,
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && f.offset > 0) {
        const c = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM incidents i JOIN sites si ON si.id = i.site_id WHERE ${where}`,
          params,
        );
        total = c.rows[0]?.n ?? 0;
      }
      return { items: rows.map((r) => toIncident(r, publicUrl)), total };
    },

    async get(scope, id) {
      const { rows } = await db.query<Row>(`${SELECT} WHERE ${SCOPED} AND i.id = $4`, [
        scope.tenantId,
        scope.siteId,
        scope.cityId,
        id,
      ]);
      const row = rows[0];
      if (!row) return null;
      const { rows: events } = await db.query<{
        id: string;
        at: Date;
        type: IncidentEvent['type'];
        user_id: string | null;
        user_name: string | null;
        comment: string | null;
        details: Record<string, unknown>;
      }>(
        `SELECT e.id::text, e.at, e.type, e.user_id, u.name AS user_name, e.comment, e.details
           FROM incident_events e LEFT JOIN users u ON u.id = e.user_id
          WHERE e.incident_id = $1 ORDER BY e.at, e.id`,
        [id],
      );
      const { rows: notifications } = await db.query<NotificationRow>(
        `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n LEFT JOIN users u ON u.id = n.user_id
          WHERE n.incident_id = $1 ORDER BY n.created_at, n.id`,
        [id],
      );
      return {
        ...toIncident(row, publicUrl),
        events: events.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          type: e.type,
          user: userRef(e.user_id, e.user_name),
          comment: e.comment,
          details: e.details,
        })),
        notifications: notifications.map(toNotification),
      };
    },

    async views(ids) {
      if (ids.length === 0) return [];
      const { rows } = await db.query<Row>(`${SELECT} WHERE i.id = ANY($1::uuid[])`, [ids]);
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        cityId: r.city_id,
        incident: toIncident(r, publicUrl),
      }));
    },

    acknowledge: (scope, id, userId, comment, now) =>
      withTransaction(db, async (tx) => {
        const found = await lockInScope(tx, scope, id);
        if (!found) return false;
        if (found.status === 'open') {
          await tx.query(
            `UPDATE incidents SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, updated_at = $2
              WHERE id = $1`,
            [id, now, userId],
          );
          await event(tx, id, 'acknowledged', userId, comment, now);
        } else if (comment) {
          await event(tx, id, 'comment', userId, comment, now);
        }
        return true;
      }),

    resolve: (scope, id, userId, comment, now) =>
      withTransaction(db, async (tx) => {
        const found = await lockInScope(tx, scope, id);
        if (!found) return false;
        if (found.status === 'resolved') {
          await event(tx, id, 'comment', userId, comment, now);
          return true;
        }
        await tx.query(
          `UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = $3, auto_resolved = false,
                  updated_at = $2 WHERE id = $1`,
          [id, now, userId],
        );
        await event(tx, id, 'resolved', userId, comment, now);
        await supersedeHeld(tx, id, now);
        // Resolving "maintenance due" records the service, so the counters start again.
        if (found.kind === 'maintenance_due' && found.station_id) {
          await tx.query(
            'INSERT INTO station_services (station_id, serviced_at, user_id, comment) VALUES ($1, $2, $3, $4)',
            [found.station_id, now, userId, comment],
          );
        }
        return true;
      }),
  };
}
