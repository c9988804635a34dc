/**
 * Server-side login sessions. The cookie carries a random token; the table stores only its HMAC
 * (keyed by SESSION_SECRET), so neither a database dump nor the secret alone yields a usable cookie.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import type { Role } from './roles.js';

export const SESSION_COOKIE = 'vm_session';
export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface Identity {
  /** Hex of the stored token digest: names the session (e.g. to end its sockets) without revealing it. */
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenantName: string;
  siteId: string | null;
  cityId: string | null;
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionStore {
  create(input: {
    userId: string;
    tenantId: string;
    grantId: string;
    ip: string | null;
    userAgent: string | null;
  }): Promise<{
    token: string;
    csrfToken: string;
    expiresAt: Date;
  }>;
  /** The identity behind a cookie token, or null when unknown or expired. */
  find(token: string): Promise<Identity | null>;
  delete(token: string): Promise<void>;
  /** Deletes expired rows (they are already ignored by `find`); returns how many. */
  purgeExpired(): Promise<number>;
  /**
   * Ends a user's sessions (all, those on one grant, or all but the caller's) and returns their
   * session ids, so their live connections can be closed too.
   */
  endForUser(userId: string, options?: { grantId?: string; exceptSessionId?: string }): Promise<string[]>;
}

export function createSessionStore(db: Db, secret: string, ttlMs = SESSION_TTL_MS): SessionStore {
  const digest = (token: string) => createHmac('sha256', secret).update(token).digest();
  return {
    async create({ userId, tenantId, grantId, ip, userAgent }) {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(Date.now() + ttlMs);
      await db.query(
        `INSERT INTO auth_sessions (id_hash, user_id, tenant_id, grant_id, csrf_token, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          digest(token),
          userId,
          tenantId,
          grantId,
          csrfToken,
          expiresAt,
          ip,
          userAgent?.slice(0, 300) ?? null,
        ],
      );
      return { token, csrfToken, expiresAt };
    },
    async find(token) {
      if (token.length === 0 || token.length > 100) return null;
      const { rows } = await db.query<Identity>(
        `SELECT encode(a.id_hash, 'hex') AS "sessionId", u.id AS "userId", u.email, u.name, g.role, t.id AS "tenantId", t.name AS "tenantName",
                g.site_id AS "siteId", g.city_id AS "cityId", a.csrf_token AS "csrfToken", a.expires_at AS "expiresAt"
           FROM auth_sessions a
           JOIN users u ON u.id = a.user_id
           JOIN grants g ON g.id = a.grant_id
           JOIN tenants t ON t.id = a.tenant_id
          WHERE a.id_hash = $1 AND a.expires_at > now() AND u.disabled_at IS NULL`,
        [digest(token)],
      );
      return rows[0] ?? null;
    },
    async delete(token) {
      await db.query('DELETE FROM auth_sessions WHERE id_hash = $1', [digest(token)]);
    },
    async purgeExpired() {
      const { rowCount } = await db.query('DELETE FROM auth_sessions WHERE expires_at < now()');
      return rowCount ?? 0;
    },
    async endForUser(userId, options = {}) {
      const { rows } = await db.query<{ sessionId: string }>(
        `DELETE FROM auth_sessions
          WHERE user_id = $1 AND ($2::uuid IS NULL OR grant_id = $2)
            AND ($3::text IS NULL OR encode(id_hash, 'hex') <> $3)
          RETURNING encode(id_hash, 'hex') AS "sessionId"`,
        [userId, options.grantId ?? null, options.exceptSessionId ?? null],
      );
      return rows.map((r) => r.sessionId);
    },
  };
}
