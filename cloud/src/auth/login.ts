/**
 * Login: per-IP throttle, per-account lockout, argon2id verification, session creation. Returns an
 * outcome rather than throwing, so the HTTP layer decides status codes in one place.
 */
import type { Db } from '../db/pool.js';
import type { IpThrottle } from './ip-throttle.js';
import { verifyPassword } from './password.js';
import { ROLE_RANK, type Role } from './roles.js';
import type { SessionStore } from './sessions.js';

export const LOGIN_POLICY = {
  maxFailuresPerAccount: 5,
  lockoutMs: 15 * 60 * 1000,
  maxFailuresPerIp: 30,
  ipWindowMs: 15 * 60 * 1000,
} as const;

export interface LoginUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenantName: string;
}

export type LoginOutcome =
  | { kind: 'ok'; user: LoginUser; token: string; csrfToken: string; expiresAt: Date }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterS: number };

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locked_until: Date | null;
}

interface GrantRow {
  id: string;
  role: Role;
  tenant_id: string;
  tenant_name: string;
}

export function createLogin(deps: { db: Db; sessions: SessionStore; ipThrottle: IpThrottle }) {
  const { db, sessions, ipThrottle } = deps;
  const throttled = (ms: number): LoginOutcome => ({
    kind: 'throttled',
    retryAfterS: Math.max(1, Math.ceil(ms / 1000)),
  });

  return async function login(input: LoginInput): Promise<LoginOutcome> {
    const ipWaitMs = ipThrottle.retryAfterMs(input.ip);
    if (ipWaitMs > 0) return throttled(ipWaitMs);

    const { rows } = await db.query<UserRow>(
      // A disabled user is treated like an unknown one (same answer, same timing).
      'SELECT id, email, name, password_hash, locked_until FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL',
      [input.email],
    );
    const user = rows[0] ?? null;
    if (user?.locked_until && user.locked_until.getTime() > Date.now()) {
      return throttled(user.locked_until.getTime() - Date.now());
    }
    const ok = await verifyPassword(user?.password_hash ?? null, input.password);
    const grant = ok && user ? await strongestGrant(db, user.id) : null;
    if (!user || !grant) {
      ipThrottle.recordFailure(input.ip);
      if (user) await recordAccountFailure(db, user.id);
      return { kind: 'invalid' };
    }

    await db.query(
      'UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1',
      [user.id],
    );
    const session = await sessions.create({
      userId: user.id,
      tenantId: grant.tenant_id,
      grantId: grant.id,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await db.query(
      `INSERT INTO audit_log (tenant_id, user_id, user_email, action, target_type, target_id, ip, user_agent)
       VALUES ($1, $2, $3, 'auth.login', 'user', $4, $5, $6)`,
      [grant.tenant_id, user.id, user.email, user.id, input.ip, input.userAgent?.slice(0, 500) ?? null],
    );
    return {
      kind: 'ok',
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: grant.role,
        tenantId: grant.tenant_id,
        tenantName: grant.tenant_name,
      },
      ...session,
    };
  };
}

async function strongestGrant(db: Db, userId: string): Promise<GrantRow | null> {
  const { rows } = await db.query<GrantRow>(
    `SELECT g.id, g.role, g.tenant_id, t.name AS tenant_name
       FROM grants g JOIN tenants t ON t.id = g.tenant_id
      WHERE g.user_id = $1
      ORDER BY g.created_at, g.id`,
    [userId],
  );
  return rows.reduce<GrantRow | null>(
    (best, g) => (best === null || ROLE_RANK[g.role] > ROLE_RANK[best.role] ? g : best),
    null,
  );
}

/** Counts a failure; the Nth consecutive one locks the account and restarts the count. */
async function recordAccountFailure(db: Db, userId: string): Promise<void> {
  await db.query(
    `UPDATE users
        SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
            locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
      WHERE id = $1`,
    [userId, LOGIN_POLICY.maxFailuresPerAccount, LOGIN_POLICY.lockoutMs / 1000],
  );
}
