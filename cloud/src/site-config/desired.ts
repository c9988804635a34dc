/**
 * What a site's KV bucket should hold, computed from the database: the site policy (defaults plus the
 * site's overrides), one entry per approved station, and the local authorisation list (tenant-wide
 * tokens, overridden by the site's own). Keys and value shapes come from the contract, and every
 * value is parsed with the contract's schema before it is published.
 */
import {
  DEFAULT_SITE_POLICY,
  SitePolicy,
  siteConfigKeys,
  StationEntry,
  TokenEntry,
} from '@voltmesh/contract';
import type { Db } from '../db/pool.js';

export class SiteConfigError extends Error {
  readonly code = 'VM_SITE_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiteConfigError';
  }
}

/** KV key → JSON value. */
export type DesiredConfig = Map<string, string>;

export interface SiteRef {
  id: string;
  code: string;
}

export async function desiredSiteConfig(db: Db, site: SiteRef): Promise<DesiredConfig> {
  const desired: DesiredConfig = new Map();
  const put = <T>(key: string, schema: { parse(v: unknown): T }, value: unknown) => {
    try {
      desired.set(key, JSON.stringify(schema.parse(value)));
    } catch (cause) {
      throw new SiteConfigError(`site ${site.code}: ${key} does not match the contract`, { cause });
    }
  };

  const { rows: policy } = await db.query<{ policy: Record<string, unknown> }>(
    'SELECT policy FROM sites WHERE id = $1',
    [site.id],
  );
  put(siteConfigKeys.policy, SitePolicy, { ...DEFAULT_SITE_POLICY, ...(policy[0]?.policy ?? {}) });

  const { rows: stations } = await db.query<{
    identity: string;
    auth_password_hash: string | null;
    auth_security_profile: number;
    enabled: boolean;
  }>(
    `SELECT identity, auth_password_hash, auth_security_profile, enabled
       FROM stations WHERE site_id = $1 AND approved ORDER BY identity`,
    [site.id],
  );
  for (const s of stations) {
    put(siteConfigKeys.station(s.identity), StationEntry, {
      identity: s.identity,
      passwordHash: s.auth_password_hash,
      securityProfile: s.auth_security_profile,
      enabled: s.enabled,
    });
  }

  // A site's own entry for a token wins over the tenant-wide one (ORDER BY puts it last).
  const { rows: tokens } = await db.query<{
    id_token: string;
    type: string;
    status: string;
    expires_at: Date | null;
    group_id: string | null;
  }>(
    `SELECT t.id_token, t.type, t.status, t.expires_at, t.group_id
       FROM id_tokens t JOIN sites si ON si.tenant_id = t.tenant_id
      WHERE si.id = $1 AND (t.site_id IS NULL OR t.site_id = si.id)
      ORDER BY t.id_token, t.site_id NULLS FIRST`,
    [site.id],
  );
  for (const t of tokens) {
    put(siteConfigKeys.token(t.id_token), TokenEntry, {
      idToken: t.id_token,
      type: t.type,
      status: t.status,
      expiresAt: t.expires_at?.toISOString() ?? null,
      groupId: t.group_id,
    });
  }
  return desired;
}
