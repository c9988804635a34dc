/** The cloud → edge site configuration in NATS KV, read back the way the edge reads it. */
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  parseSiteConfigKey,
  siteConfigBucket,
  siteConfigKeys,
  SitePolicy,
  StationEntry,
  TokenEntry,
} from '@voltmesh/contract';
import { startNats, testServices, type NatsServerHandle } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../src/db/pool.js';
import { writeBatch } from '../src/ingest/write-batch.js';
import type { SiteRef } from '../src/site-config/desired.js';
import { syncAllSites, syncSiteConfig } from '../src/site-config/sync.js';
import { envelope, ev, fleet, migratedDatabase, seedFleet, type MigratedDb } from './support.js';

describe('site configuration published to the edges', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let m: MigratedDb;

  const bucketContents = async (site: string) => {
    const kv = await new Kvm(nc).open(siteConfigBucket(site));
    const out = new Map<string, unknown>();
    for await (const key of await kv.keys()) out.set(key, (await kv.get(key))!.json());
    return out;
  };

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    m = await migratedDatabase(testServices().databaseUrl);
    const f = fleet('Kv', 'kv-site', ['KV-1', 'KV 2.b']);
    f.cities[0]!.sites[0]!.policy = { unknownTokenWhileOffline: 'accept', unknownStations: 'pending' };
    f.tokens = [{ idToken: '04A1B2C3D4' }, { idToken: 'BLOCKED-1', status: 'blocked', groupId: 'fleet-a' }];
    await seedFleet(m.db, f);
    // A station the edge let in on its own (development mode) is not approved, so not listed.
    await withTransaction(m.db, (tx) =>
      writeBatch(tx, [
        {
          envelope: envelope('kv-site', 'STRAY', ev.connected(), { atS: 0, seq: 1 }),
          streamSeq: 1,
          subject: 'x',
          raw: new Uint8Array(),
        },
      ]),
    );
  });

  afterAll(async () => {
    await nc?.close();
    await m?.close();
    await nats?.dispose();
  });

  it('writes the policy, approved stations and tokens in the shapes the edge parses', async () => {
    expect(await syncAllSites(nc, m.db)).toEqual([{ site: 'kv-site', put: 5, deleted: 0 }]);
    const kv = await bucketContents('kv-site');
    expect([...kv.keys()].sort()).toEqual(
      ['policy', 'station.KV-1', 'station.KV=202=2Eb', 'token.04A1B2C3D4', 'token.BLOCKED-1'].sort(),
    );
    for (const key of kv.keys()) expect(parseSiteConfigKey(key)).not.toBeNull();
    expect(SitePolicy.parse(kv.get('policy'))).toEqual({
      unknownTokenWhileOffline: 'accept',
      heartbeatIntervalS: 300,
      unknownStations: 'pending',
      bootRetryIntervalS: 60,
    });
    expect(StationEntry.parse(kv.get(siteConfigKeys.station('KV 2.b')))).toEqual({
      identity: 'KV 2.b',
      passwordHash: null,
      securityProfile: 0,
      enabled: true,
    });
    expect(TokenEntry.parse(kv.get(siteConfigKeys.token('BLOCKED-1')))).toEqual({
      idToken: 'BLOCKED-1',
      type: 'ISO14443',
      status: 'blocked',
      expiresAt: null,
      groupId: 'fleet-a',
    });
  });

  it('is idempotent, and follows the database: changed values put, removed entries deleted', async () => {
    expect(await syncAllSites(nc, m.db)).toEqual([{ site: 'kv-site', put: 0, deleted: 0 }]);
    await m.db.query("DELETE FROM id_tokens WHERE id_token = 'BLOCKED-1'");
    await m.db.query("UPDATE stations SET enabled = false WHERE identity = 'KV-1'");
    // A site-specific entry overrides the tenant-wide one.
    await m.db.query(
      `INSERT INTO id_tokens (tenant_id, site_id, id_token, type, status)
       SELECT tenant_id, id, '04A1B2C3D4', 'ISO14443', 'blocked' FROM sites WHERE code = 'kv-site'`,
    );
    expect(await syncAllSites(nc, m.db)).toEqual([{ site: 'kv-site', put: 2, deleted: 1 }]);
    const kv = await bucketContents('kv-site');
    expect(kv.has('token.BLOCKED-1')).toBe(false);
    expect(kv.get('station.KV-1')).toMatchObject({ enabled: false });
    expect(kv.get('token.04A1B2C3D4')).toMatchObject({ status: 'blocked' });
  });

  it('reconciles only the named keys when asked (a change that touched one station or token)', async () => {
    await m.db.query("UPDATE stations SET enabled = true WHERE identity = 'KV-1'");
    await m.db.query(
      "UPDATE id_tokens SET status = 'accepted' WHERE id_token = '04A1B2C3D4' AND site_id IS NOT NULL",
    );
    const site = (await m.db.query<SiteRef>("SELECT id, code FROM sites WHERE code = 'kv-site'")).rows[0]!;
    expect(await syncSiteConfig(nc, m.db, site, { only: [siteConfigKeys.token('04A1B2C3D4')] })).toEqual({
      site: 'kv-site',
      put: 1,
      deleted: 0,
    });
    const kv = await bucketContents('kv-site');
    expect(kv.get('token.04A1B2C3D4')).toMatchObject({ status: 'accepted' });
    // The station was not named: it waits for the next full pass.
    expect(kv.get('station.KV-1')).toMatchObject({ enabled: false });
    expect(await syncAllSites(nc, m.db)).toEqual([{ site: 'kv-site', put: 1, deleted: 0 }]);

    // A named key the database no longer has is deleted.
    await m.db.query("DELETE FROM stations WHERE identity = 'KV 2.b'");
    expect(await syncSiteConfig(nc, m.db, site, { only: [siteConfigKeys.station('KV 2.b')] })).toEqual({
      site: 'kv-site',
      put: 0,
      deleted: 1,
    });
  });
});
