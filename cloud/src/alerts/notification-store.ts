/**
 * Reads of the outbox: the delivery history of a tenant (scoped like incidents), one user's in-app
 * inbox with its unread count, and the provider status callbacks that finish a delivery.
 */
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import { incidentLink } from './outbox.js';
import type { Channel, InboxItem, Notification, NotificationStatus, Severity } from './schemas.js';

export const NOTIFICATION_COLUMNS = `n.id, n.incident_id, n.reason, n.channel, n.status, n.severity, n.user_id,
  u.name AS user_name, n.webhook_id, n.address, n.subject, n.body, n.attempts, n.next_attempt_at, n.provider_id,
  n.last_error, n.created_at, n.sent_at, n.delivered_at, n.read_at`;

export interface NotificationRow {
  id: string;
  incident_id: string | null;
  reason: Notification['reason'];
  channel: Channel;
  status: NotificationStatus;
  severity: Severity;
  user_id: string | null;
  user_name: string | null;
  webhook_id: string | null;
  address: string;
  subject: string;
  body: string;
  attempts: number;
  next_attempt_at: Date;
  provider_id: string | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  incidentId: r.incident_id,
  reason: r.reason,
  channel: r.channel,
  status: r.status,
  severity: r.severity,
  recipient: { userId: r.user_id, name: r.user_name, webhookId: r.webhook_id, address: r.address },
  subject: r.subject,
  body: r.body,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'queued' || r.status === 'sending' ? r.next_attempt_at.toISOString() : null,
  providerId: r.provider_id,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
  sentAt: iso(r.sent_at),
  deliveredAt: iso(r.delivered_at),
  readAt: iso(r.read_at),
});

export interface InboxRow {
  id: string;
  incident_id: string | null;
  reason: InboxItem['reason'];
  severity: Severity;
  subject: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
  station_id: string | null;
  site_id: string | null;
}

export const toInboxItem = (r: InboxRow, publicUrl: string): InboxItem => ({
  id: r.id,
  incidentId: r.incident_id,
  reason: r.reason,
  severity: r.severity,
  subject: r.subject,
  body: r.body,
  link: r.site_id ? incidentLink(publicUrl, { station_id: r.station_id, site_id: r.site_id }) : null,
  createdAt: r.created_at.toISOString(),
  readAt: iso(r.read_at),
});

export const INBOX_SELECT = `SELECT n.id, n.incident_id, n.reason, n.severity, n.subject, n.body, n.created_at,
       n.read_at, i.station_id, i.site_id
  FROM notifications n LEFT JOIN incidents i ON i.id = n.incident_id`;

export interface NotificationFilter {
  channel?: Channel | undefined;
  status?: NotificationStatus | undefined;
  incidentId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** Twilio's message states mapped onto ours; the intermediate ones only confirm `sent`. */
const TWILIO_FINAL: Record<string, 'delivered' | 'failed'> = {
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

export interface NotificationStore {
  list(scope: Scope, f: NotificationFilter): Promise<{ items: Notification[]; total: number }>;
  inbox(
    tenantId: string,
    userId: string,
    q: { unreadOnly: boolean; limit: number; offset: number },
  ): Promise<{ items: InboxItem[]; total: number; unread: number }>;
  markRead(
    tenantId: string,
    userId: string,
    ids: readonly string[] | 'all',
    now: Date,
  ): Promise<{ marked: number; unread: number }>;
  /** Records a Twilio status callback; false when no notification has this SID. */
  twilioStatus(sid: string, status: string, errorCode: string | null, now: Date): Promise<boolean>;
}

export function createNotificationStore(db: Db, publicUrl: string): NotificationStore {
  const unreadOf = async (tenantId: string, userId: string) => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications
        WHERE tenant_id = $1 AND user_id = $2 AND channel = 'in_app' AND read_at IS NULL`,
      [tenantId, userId],
    );
    return rows[0]?.n ?? 0;
  };
  return {
    async list(scope, f) {
      // A site- or city-scoped user sees the notifications of incidents in that scope only.
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      const clauses = [
        `n.tenant_id = $1`,
        `(($2::uuid IS NULL AND $3::uuid IS NULL) OR EXISTS (SELECT 1 FROM incidents i JOIN sites si ON si.id = i.site_id
           WHERE i.id = n.incident_id AND ($2::uuid IS NULL OR i.site_id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)))`,
      ];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (f.channel) add((p) => `n.channel = ${p}`, f.channel);
      if (f.status) add((p) => `n.status = ${p}`, f.status);
      if (f.incidentId) add((p) => `n.incident_id = ${p}::uuid`, f.incidentId);
      if (f.from) add((p) => `n.created_at >= ${p}::timestamptz`, f.from);
      if (f.to) add((p) => `n.created_at < ${p}::timestamptz`, f.to);
      const where = clauses.join(' AND ');
      const [{ rows }, { rows: count }] = await Promise.all([
        db.query<NotificationRow>(
          `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n LEFT JOIN users u ON u.id = n.user_id
            WHERE ${where} ORDER BY n.created_at DESC, n.id LIMIT ${f.limit} OFFSET ${f.offset}`,
          params,
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications n WHERE ${where}`, params),
      ]);
      return { items: rows.map(toNotification), total: count[0]?.n ?? 0 };
    },

    async inbox(tenantId, userId, q) {
      const where = `n.tenant_id = $1 AND n.user_id = $2 AND n.channel = 'in_app'${q.unreadOnly ? ' AND n.read_at IS NULL' : ''}`;
      const [{ rows }, { rows: count }, unread] = await Promise.all([
        db.query<InboxRow>(
          `${INBOX_SELECT} WHERE ${where} ORDER BY n.created_at DESC, n.id LIMIT ${q.limit} OFFSET ${q.offset}`,
          [tenantId, userId],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications n WHERE ${where}`, [
          tenantId,
          userId,
        ]),
        unreadOf(tenantId, userId),
      ]);
      return { items: rows.map((r) => toInboxItem(r, publicUrl)), total: count[0]?.n ?? 0, unread };
    },

    async markRead(tenantId, userId, ids, now) {
      const { rowCount } = await db.query(
        `UPDATE notifications SET read_at = $3, updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND channel = 'in_app' AND read_at IS NULL
            AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))`,
        [tenantId, userId, now, ids === 'all' ? null : ids],
      );
      return { marked: rowCount ?? 0, unread: await unreadOf(tenantId, userId) };
    },

    async twilioStatus(sid, status, errorCode, now) {
      const final = TWILIO_FINAL[status];
      const update =
        final === 'delivered'
          ? db.query(
              `UPDATE notifications SET status = 'delivered', delivered_at = $2, updated_at = now()
                WHERE provider_id = $1 AND channel = 'sms'`,
              [sid, now],
            )
          : final === 'failed'
            ? db.query(
                `UPDATE notifications SET status = 'failed', last_error = $2, updated_at = now()
                  WHERE provider_id = $1 AND channel = 'sms'`,
                [sid, `twilio: ${status}${errorCode ? ` (error ${errorCode})` : ''}`],
              )
            : db.query(
                `UPDATE notifications SET updated_at = now() WHERE provider_id = $1 AND channel = 'sms'`,
                [sid],
              );
      return ((await update).rowCount ?? 0) > 0;
    },
  };
}
