/**
 * Marks a site's stations offline when its edge agent stops reporting `edge.status`: with the uplink
 * down, the edge cannot tell us its stations disconnected. The stations are marked offline as of the
 * edge's last status, so any station event after that moment (drained from the edge's outbox when
 * the uplink returns) wins again.
 */
import type { Db } from '../db/pool.js';
import { emptyEffects, type BatchEffects } from './effects.js';

export async function markSilentEdgesOffline(db: Db, silenceS: number): Promise<BatchEffects> {
  const { rows } = await db.query<{ id: string; tenant_id: string }>(
    `UPDATE stations st
        SET online = false, online_at = si.edge_status_at, online_seq = -1
       FROM sites si
      WHERE st.site_id = si.id AND st.online
        AND si.edge_seen_at < now() - make_interval(secs => $1)
        AND (st.online_at IS NULL OR st.online_at <= si.edge_status_at)
      RETURNING st.id, st.tenant_id`,
    [silenceS],
  );
  const fx = emptyEffects();
  for (const r of rows) {
    fx.changedStations.add(r.id);
    fx.tenants.add(r.tenant_id);
  }
  return fx;
}

export interface Watchdog {
  stop(): void;
}

export function startEdgeWatchdog(deps: {
  db: Db;
  silenceS: number;
  intervalMs: number;
  onChange: (fx: BatchEffects) => Promise<void>;
  onError: (error: unknown) => void;
}): Watchdog {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const fx = await markSilentEdgesOffline(deps.db, deps.silenceS);
      if (fx.changedStations.size > 0) await deps.onChange(fx);
    } catch (error) {
      deps.onError(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), deps.intervalMs);
  return { stop: () => clearInterval(timer) };
}
