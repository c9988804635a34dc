/**
 * The site's uplink goes away while chargers are charging: chargers keep getting normal replies and
 * RFID decisions from the local cache; when NATS comes back the backlog drains in order, nothing
 * lost, nothing duplicated.
 */
import type { Envelope } from '@voltmesh/contract';
import { startNats, type NatsServerHandle } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  charger,
  createSiteConfig,
  ensureEventsStream,
  eventually,
  natsConnect,
  readSiteEvents,
  startTestAgent,
  uniqueSiteId,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';
import { bootAndAvailable16, bootAndAvailable201, session16, session201 } from './support/sessions.js';

describe('uplink cut', () => {
  let nats: NatsServerHandle;
  let edge: TestAgent;

  beforeAll(async () => {
    nats = await startNats();
    const nc = await natsConnect(nats.url);
    await ensureEventsStream(nc);
    const siteId = uniqueSiteId('uplink');
    const config = await createSiteConfig(nc, siteId);
    await config.putToken('RFID-CACHED');
    await config.putPolicy('reject');
    await nc.close();
    edge = await startTestAgent({ natsUrl: nats.url, protocols: realProtocols, siteId });
    await eventually(
      () => edge.agent.siteConfig.token('RFID-CACHED'),
      (t) => t !== null,
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await nats?.dispose();
  });

  it('keeps charging offline and drains the backlog in order, exactly once, after reconnect', async () => {
    const cp = charger(edge.url, 'CUT-16', 'ocpp1.6');
    const cs = charger(edge.url, 'CUT-201', 'ocpp2.0.1');
    await Promise.all([cp.connect(), cs.connect()]);
    await Promise.all([bootAndAvailable16(cp), bootAndAvailable201(cs)]);
    // Everything so far has reached JetStream.
    await eventually(
      () => edge.agent.health().outbox.depth,
      (d) => d === 0,
    );

    await nats.stop();
    await eventually(
      () => edge.agent.health().nats.connected,
      (c) => !c,
    );
    expect(edge.agent.health().nats.connected).toBe(false);

    const offline = await Promise.all([session16(cp, 'RFID-CACHED'), session201(cs, 'RFID-CACHED')]);
    expect(offline.map((s) => s.authorized)).toEqual(['Accepted', 'Accepted']);
    const unknown = (await cp.call('Authorize', { idTag: 'RFID-STRANGER' })) as {
      idTagInfo: { status: string };
    };
    expect(unknown.idTagInfo.status).toBe('Invalid');
    const backlog = edge.agent.health().outbox.depth;
    expect(backlog).toBeGreaterThan(10);

    await nats.start();
    const depth = await eventually(
      () => edge.agent.health().outbox.depth,
      (d) => d === 0,
      30_000,
    );
    expect(depth).toBe(0);
    await Promise.all([cp.close(), cs.close()]);

    const nc = await natsConnect(nats.url);
    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.filter((e) => e.event.type === 'station.disconnected').length === 2,
    );
    await nc.close();
    for (const station of ['CUT-16', 'CUT-201']) {
      const mine = events.filter((e: Envelope) => e.stationId === station);
      expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
      expect(mine.map((e) => e.seq)).toEqual(mine.map((_, i) => i));
      const types = mine.map((e) => e.event.type);
      expect(types.filter((t) => t === 'session.started')).toHaveLength(1);
      expect(types.filter((t) => t === 'session.ended')).toHaveLength(1);
      expect(types.at(-1)).toBe('station.disconnected');
    }
  });
});
