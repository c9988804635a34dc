/**
 * Publishes each site's configuration to its NATS KV bucket (`siteConfigBucket(code)`), which the
 * site's edge agent watches. A full, idempotent reconciliation: the bucket is created if missing,
 * keys whose value differs are put, keys this module owns (station.*, token.*, policy) that the
 * database no longer has are deleted. Several cloud nodes may run it at once; they write the same.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { parseSiteConfigKey, siteConfigBucket } from '@voltmesh/contract';
import type { Db } from '../db/pool.js';
import { desiredSiteConfig, type SiteRef } from './desired.js';

export interface SyncResult {
  site: string;
  put: number;
  deleted: number;
}

/**
 * `only`: reconcile just these keys (a change that touched one station or one token), so a change
 * does not read back every key of a bucket that holds thousands of tokens. The values still come
 * from the full desired configuration, so both forms write exactly the same thing.
 */
export async function syncSiteConfig(
  nc: NatsConnection,
  db: Db,
  site: SiteRef,
  options: { only?: readonly string[] } = {},
): Promise<SyncResult> {
  const desired = await desiredSiteConfig(db, site);
  const kv: KV = await new Kvm(nc).create(siteConfigBucket(site.code), { history: 1 });
  const only = options.only === undefined ? null : new Set(options.only);
  let put = 0;
  let deleted = 0;
  const present = new Set<string>();
  if (only === null) {
    for await (const key of await kv.keys()) present.add(key);
  } else {
    for (const key of only) if ((await kv.get(key))?.operation === 'PUT') present.add(key);
  }

  for (const [key, value] of desired) {
    if (only !== null && !only.has(key)) continue;
    const current = present.has(key) ? await kv.get(key) : null;
    if (current?.operation === 'PUT' && current.string() === value) continue;
    await kv.put(key, value);
    put++;
  }
  for (const key of present) {
    if (desired.has(key) || parseSiteConfigKey(key) === null) continue; // not ours: leave it alone
    await kv.delete(key);
    deleted++;
  }
  return { site: site.code, put, deleted };
}

export async function syncAllSites(nc: NatsConnection, db: Db): Promise<SyncResult[]> {
  const { rows } = await db.query<SiteRef>('SELECT id, code FROM sites ORDER BY code');
  const results: SyncResult[] = [];
  for (const site of rows) results.push(await syncSiteConfig(nc, db, site));
  return results;
}

export interface SiteConfigPublisher {
  stop(): Promise<void>;
}

/** Reconciles every site now and then every `intervalMs` (seeded or edited rows reach the edges). */
export function startSiteConfigPublisher(deps: {
  nc: NatsConnection;
  db: Db;
  intervalMs: number;
  onSynced: (results: SyncResult[]) => void;
  onError: (error: unknown) => void;
}): SiteConfigPublisher {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return; // the previous reconciliation is still going; the next tick will catch up
    running = syncAllSites(deps.nc, deps.db)
      .then(deps.onSynced, deps.onError)
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, deps.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
