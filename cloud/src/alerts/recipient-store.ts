/**
 * Recipients: the tenant's users with their phone (users.phone), e-mail, alert channels and quiet
 * hours (alert_contacts) and the on-call groups they are in.
 */
import { withTransaction, type Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import type { PersonalChannel, Recipient, RecipientBody } from './schemas.js';

interface Row {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  role: string;
  channels: PersonalChannel[] | null;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
  groups: { id: string; name: string; level: number }[];
}

/**
 * `$1` tenant, `$2` site, `$3` city of the caller. A site-scoped caller sees the people granted on
 * its site; a city-scoped one those of the city and its sites; a tenant-wide one everybody.
 */
const VISIBLE = `EXISTS (SELECT 1 FROM grants g LEFT JOIN sites gs ON gs.id = g.site_id
   WHERE g.user_id = u.id AND g.tenant_id = $1
     AND (($2::uuid IS NULL AND $3::uuid IS NULL)
          OR ($2::uuid IS NOT NULL AND g.site_id = $2) OR ($3::uuid IS NOT NULL AND (g.city_id = $3 OR gs.city_id = $3))))`;

const SELECT = `SELECT u.id, u.name, u.email, u.phone,
       (SELECT g.role FROM grants g WHERE g.user_id = u.id AND g.tenant_id = $1
         ORDER BY array_position(ARRAY['admin','operator','technician','analyst','viewer'], g.role) LIMIT 1) AS role,
       c.channels, to_char(c.quiet_start, 'HH24:MI') AS quiet_start, to_char(c.quiet_end, 'HH24:MI') AS quiet_end,
       c.time_zone,
       coalesce((SELECT json_agg(json_build_object('id', og.id, 'name', og.name, 'level', m.level) ORDER BY og.name)
                   FROM oncall_members m JOIN oncall_groups og ON og.id = m.group_id
                  WHERE m.user_id = u.id AND og.tenant_id = $1), '[]') AS groups
  FROM users u LEFT JOIN alert_contacts c ON c.user_id = u.id`;

const toRecipient = (r: Row): Recipient => ({
  userId: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  role: r.role,
  channels: r.channels ?? ['sms', 'email', 'in_app'],
  quietHours:
    r.quiet_start && r.quiet_end
      ? { start: r.quiet_start, end: r.quiet_end, timeZone: r.time_zone ?? 'UTC' }
      : null,
  groups: r.groups,
});

export interface RecipientStore {
  list(
    scope: Scope,
    q: { q?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: Recipient[]; total: number }>;
  get(scope: Scope, userId: string): Promise<Recipient | null>;
  put(userId: string, b: RecipientBody): Promise<void>;
}

export function createRecipientStore(db: Db): RecipientStore {
  return {
    async list(scope, q) {
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
      let where = `u.disabled_at IS NULL AND ${VISIBLE}`;
      if (q.q?.trim()) {
        params.push(`%${q.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
        where += ` AND (u.name ILIKE $4 OR u.email ILIKE $4)`;
      }
      const [{ rows }, { rows: count }] = await Promise.all([
        db.query<Row>(
          `${SELECT} WHERE ${where} ORDER BY u.name, u.id LIMIT ${q.limit} OFFSET ${q.offset}`,
          params,
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u WHERE ${where}`, params),
      ]);
      return { items: rows.map(toRecipient), total: count[0]?.n ?? 0 };
    },
    async get(scope, userId) {
      const { rows } = await db.query<Row>(`${SELECT} WHERE ${VISIBLE} AND u.id = $4`, [
        scope.tenantId,
        scope.siteId,
        scope.cityId,
        userId,
      ]);
      return rows[0] ? toRecipient(rows[0]) : null;
    },
    async put(userId, b) {
      await withTransaction(db, async (tx) => {
        await tx.query('UPDATE users SET phone = $2, updated_at = now() WHERE id = $1', [userId, b.phone]);
        await tx.query(
          `INSERT INTO alert_contacts (user_id, channels, quiet_start, quiet_end, time_zone, updated_at)
           VALUES ($1, $2, $3::time, $4::time, $5, now())
           ON CONFLICT (user_id) DO UPDATE SET channels = excluded.channels, quiet_start = excluded.quiet_start,
             quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, updated_at = now()`,
          [
            userId,
            [...new Set(b.channels)],
            b.quietHours?.start ?? null,
            b.quietHours?.end ?? null,
            b.quietHours?.timeZone ?? 'UTC',
          ],
        );
      });
    },
  };
}
