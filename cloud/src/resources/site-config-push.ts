/**
 * Publishes the desired configuration of the sites a change touched, right away, through the same
 * reconciliation the periodic publisher runs (site-config/sync.ts). If NATS is down the change is
 * still committed: the periodic pass publishes it later, so a failure here is reported, not thrown.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Db } from '../db/pool.js';
import { syncSiteConfig } from '../site-config/sync.js';

export interface SiteConfigPush {
  /** Sites by id; `keys` limits the reconciliation to the KV keys the change touched. */
  sites(siteIds: readonly (string | null)[], keys?: readonly string[]): Promise<void>;
  /** Every site of the tenant (a tenant-wide token changed). */
  tenant(tenantId: string, keys?: readonly string[]): Promise<void>;
}

export function createSiteConfigPush(deps: {
  nc: NatsConnection;
  db: Db;
  onError: (error: unknown, siteCode: string) => void;
}): SiteConfigPush {
  const push = async (sql: string, params: unknown[], keys: readonly string[] | undefined) => {
    const { rows } = await deps.db.query<{ id: string; code: string }>(sql, params);
    for (const site of rows) {
      try {
        await syncSiteConfig(deps.nc, deps.db, site, keys === undefined ? {} : { only: keys });
      } catch (error) {
        deps.onError(error, site.code);
      }
    }
  };
  return {
    async sites(siteIds, keys) {
      const unique = [...new Set(siteIds.filter((id) => id !== null))];
      if (unique.length === 0) return;
      await push('SELECT id, code FROM sites WHERE id = ANY($1::uuid[]) ORDER BY code', [unique], keys);
    },
    async tenant(tenantId, keys) {
      await push('SELECT id, code FROM sites WHERE tenant_id = $1 ORDER BY code', [tenantId], keys);
    },
  };
}
