/**
 * The audit log: one row per state-changing action (commands, force-stops, logins and logouts), with
 * who, from where and what. Writers call `record`; admins read through `list`, always tenant-scoped.
 */
import type { Db } from '../db/pool.js';

export const AUDIT_ACTIONS = [
  'command.sent',
  'session.force_stopped',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  // Resources (sites, stations, tokens): never with a password or a credential in the details.
  'city.created',
  'city.updated',
  'city.deleted',
  'site.created',
  'site.updated',
  'site.deleted',
  'site.credentials_rotated',
  'station.created',
  'station.updated',
  'station.deleted',
  'station.connectors_replaced',
  'station.password_rotated',
  'token.created',
  'token.updated',
  'token.deleted',
  'token_holder.created',
  'token_holder.updated',
  'token_holder.deleted',
  'token_group.created',
  'token_group.updated',
  'token_group.deleted',
  // Accounts: never with a password or a token in the details.
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'user.password_changed',
  'grant.added',
  'grant.removed',
  'api_token.created',
  'api_token.revoked',
  'settings.system_updated',
  // Ledger: the amount, currency and reason; never a holder's contact data.
  'ledger.adjustment_recorded',
  'ledger.refund_recorded',
  'ledger.orders_imported',
  'tariff.created',
  'tariff.updated',
  'tariff.deleted',
  'tariff.version_added',
  'tariff.assigned',
  'tariff.unassigned',
  'session.disputed',
  // Alerts: rules, on-call groups, recipients' contact settings, webhooks (never the secret), incidents.
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'oncall_group.created',
  'oncall_group.updated',
  'oncall_group.deleted',
  'alert_recipient.updated',
  'alert_webhook.created',
  'alert_webhook.updated',
  'alert_webhook.deleted',
  'incident.acknowledged',
  'incident.resolved',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The request context every entry carries. */
export interface AuditActor {
  tenantId: string | null;
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  userId: string | null;
  userEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  /** User id or (part of) the e-mail address. */
  actor?: string | undefined;
  action?: string | undefined;
  /** Free text over the target and the details. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** A failed login names no tenant: it is recorded under every tenant the e-mail belongs to (none if unknown). */
  recordLoginFailure(
    actor: Omit<AuditActor, 'tenantId' | 'userId'>,
    details: Record<string, unknown>,
  ): Promise<void>;
  list(tenantId: string, filter: AuditFilter): Promise<{ items: AuditRow[]; total: number }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const clip = (s: string | null, max: number) => (s === null ? null : s.slice(0, max));

export function createAuditLog(db: Db): AuditLog {
  return {
    async record({ actor, action, target, details }) {
      await db.query(
        `INSERT INTO audit_log (tenant_id, user_id, user_email, action, target_type, target_id, detail, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          actor.tenantId,
          actor.userId,
          actor.email,
          action,
          target?.type ?? null,
          target?.id ?? null,
          JSON.stringify(details),
          clip(actor.ip, 100),
          clip(actor.userAgent, 300),
        ],
      );
    },

    async recordLoginFailure(actor, details) {
      // The user id is left out on purpose: the attempt was not that user's until proven.
      await db.query(
        `INSERT INTO audit_log (tenant_id, user_id, user_email, action, detail, ip, user_agent)
         SELECT t.tenant_id, NULL, $1, 'auth.login_failed', $2, $3, $4
           FROM (SELECT DISTINCT g.tenant_id FROM users u JOIN grants g ON g.user_id = u.id
                  WHERE lower(u.email) = lower($1)) t`,
        [
          clip(actor.email, 320) ?? '',
          JSON.stringify(details),
          clip(actor.ip, 100),
          clip(actor.userAgent, 300),
        ],
      );
    },

    async list(tenantId, f) {
      const params: unknown[] = [tenantId];
      const clauses = ['a.tenant_id = $1'];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.from !== undefined) add((p) => `a.at >= ${p}::timestamptz`, f.from);
      if (f.to !== undefined) add((p) => `a.at < ${p}::timestamptz`, f.to);
      if (f.action !== undefined) add((p) => `a.action = ${p}`, f.action);
      if (f.actor !== undefined) {
        if (UUID.test(f.actor)) add((p) => `a.user_id = ${p}::uuid`, f.actor);
        else add((p) => `a.user_email ILIKE ${p}`, `%${escapeLike(f.actor)}%`);
      }
      if (f.q !== undefined && f.q.trim() !== '') {
        add(
          (p) =>
            `concat_ws(' ', a.action, a.target_type, a.target_id, a.user_email, a.detail::text) ILIKE ${p}`,
          `%${escapeLike(f.q.trim())}%`,
        );
      }
      const where = clauses.join(' AND ');
      const [{ rows }, count] = await Promise.all([
        db.query<Omit<AuditRow, 'at'> & { at: Date }>(
          `SELECT a.id, a.at, a.user_id AS "userId", a.user_email AS "userEmail",
                  a.action, a.target_type AS "targetType", a.target_id AS "targetId", a.detail AS details,
                  a.ip, a.user_agent AS "userAgent"
             FROM audit_log a WHERE ${where}
            ORDER BY a.at DESC, a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, f.limit, f.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log a WHERE ${where}`, params),
      ]);
      return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total: count.rows[0]?.n ?? 0 };
    },
  };
}
