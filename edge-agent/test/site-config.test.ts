/** The site config the cloud keeps in NATS KV is mirrored into the edge's SQLite, live. */
import type { NatsConnection } from '@nats-io/transport-node';
import { siteConfigKeys } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSiteConfig,
  eventually,
  natsConnect,
  startTestAgent,
  uniqueSiteId,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

describe('site config from NATS KV', () => {
  let nc: NatsConnection;
  let edge: TestAgent;
  const siteId = uniqueSiteId('kv');

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    // The edge starts before the cloud has created the bucket and must keep retrying.
    edge = await startTestAgent({ natsUrl: testServices().natsUrl, protocols: realProtocols, siteId });
  });
  afterAll(async () => {
    await edge?.stop();
    await nc?.close();
  });

  it('picks up the bucket once it exists, applies puts and deletes, and skips malformed values', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const config = await createSiteConfig(nc, siteId);
    await config.putStation('CP.1 *', null, 0);
    await config.putToken('TAG-1');
    await config.kv.put(siteConfigKeys.token('TAG-BAD'), '{"idToken": 5}');
    await config.kv.put(
      'station.WRONG',
      JSON.stringify({ identity: 'OTHER', passwordHash: null, securityProfile: 0, enabled: true }),
    );
    await config.putPolicy('accept', 120);
    const store = edge.agent.siteConfig;
    await eventually(
      () => store.policy().heartbeatIntervalS,
      (s) => s === 120,
    );
    expect(store.station('CP.1 *')).toMatchObject({ identity: 'CP.1 *', securityProfile: 0, enabled: true });
    expect(store.token('TAG-1')).toMatchObject({ status: 'accepted' });
    expect(store.token('TAG-BAD')).toBeNull();
    expect(store.station('OTHER')).toBeNull();
    expect(store.policy().unknownTokenWhileOffline).toBe('accept');

    await config.kv.delete(siteConfigKeys.token('TAG-1'));
    await eventually(
      () => store.token('TAG-1'),
      (t) => t === null,
    );
    expect(store.token('TAG-1')).toBeNull();
  });
});
