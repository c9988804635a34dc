/** Turns committed ingest effects into one LiveBatch per tenant and publishes it on NATS core. */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Db } from '../db/pool.js';
import type { BatchEffects } from '../ingest/effects.js';
import { summariesByIds } from '../stations/summary.js';
import { liveSubject, type LiveBatch } from './messages.js';

export function createLivePublisher(deps: { nc: NatsConnection; db: Db }) {
  return async function publishEffects(fx: BatchEffects): Promise<void> {
    const ids = new Set([
      ...fx.changedStations,
      ...fx.activities.map((a) => a.stationId),
      ...fx.meteredStations.keys(),
    ]);
    const summaries = await summariesByIds(deps.db, [...ids]);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    const batches = new Map<string, LiveBatch>();
    const batchOf = (tenantId: string) => {
      let b = batches.get(tenantId);
      if (!b)
        batches.set(
          tenantId,
          (b = { tenantId, stations: [], activities: [], meters: [], stationEvents: [] }),
        );
      return b;
    };
    for (const tenantId of fx.tenants) batchOf(tenantId);
    for (const { tenantId, ...summary } of summaries) {
      if (fx.changedStations.has(summary.id)) batchOf(tenantId).stations.push(summary);
    }
    for (const a of fx.activities) {
      const s = byId.get(a.stationId);
      if (!s) continue;
      batchOf(a.tenantId).activities.push({
        activity: {
          at: a.at,
          stationId: a.stationId,
          identity: s.identity,
          siteName: s.siteName,
          kind: a.kind,
          text: a.text,
        },
        placement: { siteId: s.siteId, cityId: s.cityId },
      });
    }
    for (const { tenantId, ...meter } of fx.meteredStations.values()) {
      const s = byId.get(meter.stationId);
      if (s) batchOf(tenantId).meters.push({ meter, placement: { siteId: s.siteId, cityId: s.cityId } });
    }
    for (const { tenantId, ...event } of fx.stationEvents) batchOf(tenantId).stationEvents.push(event);
    for (const batch of batches.values()) {
      deps.nc.publish(liveSubject(batch.tenantId), JSON.stringify(batch));
    }
  };
}
