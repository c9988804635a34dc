/**
 * Managing cities, sites, stations, connectors and RFID tokens through the API, against a running
 * cloud (real PostgreSQL and nats-server): what lands in the site's KV bucket for the edge, the
 * shown-once secrets, validation errors naming the field, tenant isolation and role checks.
 */
// Before the contract: its schemas get `.openapi()` only if zod was extended before they were built.
import '@hono/zod-openapi';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { verify } from '@node-rs/argon2';
import { siteConfigBucket, siteConfigKeys, StationEntry, TokenEntry } from '@voltmesh/contract';
import {
  createTestDatabase,
  findBinary,
  freePort,
  startNats,
  testServices,
  waitForPort,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { fleet, PASSWORD, seedFleet, type Json } from './support.js';

describe('managing sites, stations and tokens', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let cloud: Cloud;
  let nc: NatsConnection;
  const tenants: Record<string, string> = {};

  const login = async (email: string) => {
    const res = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };
  type Session = Awaited<ReturnType<typeof login>>;
  const sessions: Record<string, Session> = {};
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const s = sessions[who]!;
    const res = await fetch(`${cloud.url}${path}`, {
      method,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: text ? JSON.parse(text) : null,
    };
  };
  const addUser = async (email: string, tenant: string, role: string, siteId: string | null = null) => {
    const { rows } = await cloud.db.query<{ id: string }>(
      'INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id',
      [email, await hashPassword(PASSWORD)],
    );
    await cloud.db.query('INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, $3, $4)', [
      rows[0]!.id,
      tenants[tenant],
      role,
      siteId,
    ]);
    sessions[email] = await login(email);
  };
  const kvEntry = async (siteCode: string, key: string): Promise<unknown> => {
    const kv = await new Kvm(nc).open(siteConfigBucket(siteCode));
    const entry = await kv.get(key);
    return entry?.operation === 'PUT' ? entry.json() : null;
  };
  const fieldsOf = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_res');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000, // only the immediate re-publish of a change may fill the buckets
    });
    nc = await connect({ servers: nats.url });
    await seedFleet(cloud.db, fleet('Acme', 'acme-res', ['ACME-1']));
    await seedFleet(cloud.db, fleet('Globex', 'globex-res', ['GLX-1']));
    for (const name of ['Acme', 'Globex']) {
      const { rows } = await cloud.db.query<{ id: string }>('SELECT id FROM tenants WHERE name = $1', [name]);
      tenants[name] = rows[0]!.id;
    }
    sessions['admin@acme.test'] = await login('admin@acme.test');
    sessions['admin@globex.test'] = await login('admin@globex.test');
    await addUser('operator@acme.test', 'Acme', 'operator');
    await addUser('viewer@acme.test', 'Acme', 'viewer');
    await addUser('operator@globex.test', 'Globex', 'operator');
  }, 60_000);

  afterAll(async () => {
    await nc?.close();
    await cloud?.stop();
    await testDb?.drop();
    await nats?.dispose();
  });

  let cityId = '';
  let siteId = '';
  let stationId = '';
  let stationPassword = '';
  let edgePassword = '';

  it('creates, changes and lists a city; bad country codes and coordinates name their field', async () => {
    const bad = await call('admin@acme.test', 'POST', '/api/cities', {
      name: 'Nowhere',
      countryCode: 'Germany',
      lat: 95,
      lon: 13,
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(fieldsOf(bad.body).sort()).toEqual(['countryCode', 'lat']);

    const created = await call('admin@acme.test', 'POST', '/api/cities', {
      name: 'Hamburg',
      countryCode: 'de',
      lat: 53.55,
      lon: 9.99,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Hamburg', countryCode: 'DE', siteCount: 0 });
    cityId = created.body.id;

    const dup = await call('admin@acme.test', 'POST', '/api/cities', { name: 'Hamburg', countryCode: 'DE' });
    expect(dup.status).toBe(409);
    expect(fieldsOf(dup.body)).toEqual(['name']);

    const renamed = await call('admin@acme.test', 'PATCH', `/api/cities/${cityId}`, {
      name: 'Hamburg-Mitte',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Hamburg-Mitte', countryCode: 'DE', lat: 53.55 });
    const list = await call('admin@acme.test', 'GET', '/api/cities');
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain('Hamburg-Mitte');
  });

  it('creates a site with edge credentials shown once, and renders the NATS authorization block', async () => {
    const bad = await call('admin@acme.test', 'POST', '/api/sites', {
      code: 'has space',
      name: 'X',
      lon: 200,
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body).sort()).toEqual(['code', 'lon']);

    const created = await call('admin@acme.test', 'POST', '/api/sites', {
      code: 'acme-harbour',
      name: 'Harbour',
      cityId,
      address: 'Kai 1',
      lat: 53.54,
      lon: 9.98,
      gridCapacityKw: 250,
      policy: { unknownStations: 'pending' },
    });
    expect(created.status).toBe(201);
    expect(created.body.site).toMatchObject({
      code: 'acme-harbour',
      cityName: 'Hamburg-Mitte',
      gridCapacityKw: 250,
      stationCount: 0,
      onlineCount: 0,
      natsUser: 'edge-acme-harbour',
      policy: { unknownStations: 'pending', unknownTokenWhileOffline: 'reject' },
    });
    expect(created.body.credentials.natsUser).toBe('edge-acme-harbour');
    edgePassword = created.body.credentials.natsPassword;
    expect(edgePassword.length).toBeGreaterThanOrEqual(24);
    siteId = created.body.site.id;

    // Shown once: no read returns the password again.
    const read = await call('admin@acme.test', 'GET', `/api/sites/${siteId}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(edgePassword);
    // The policy reached the edge's bucket right away.
    expect(await kvEntry('acme-harbour', siteConfigKeys.policy)).toMatchObject({
      unknownStations: 'pending',
    });

    const dup = await call('admin@globex.test', 'POST', '/api/sites', { code: 'acme-harbour', name: 'Copy' });
    expect(dup.status).toBe(409);
    expect(fieldsOf(dup.body)).toEqual(['code']);

    const block = await call('admin@acme.test', 'GET', '/api/sites/nats-authorization');
    expect(block.status).toBe(200);
    expect(block.body.config).toContain('user: "edge-acme-harbour"');
    expect(block.body.config).not.toContain(edgePassword);
    expect(block.body.sitesWithoutCredentials).toEqual(['acme-res']);
    // The audit entry names the site, never the password.
    const { rows } = await cloud.db.query<{ detail: unknown }>(
      "SELECT detail FROM audit_log WHERE action = 'site.created' AND target_id = $1",
      [siteId],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(edgePassword);
  });

  it('the rendered block works in nats-server: the edge publishes only its own site', async () => {
    const block = (await call('admin@acme.test', 'GET', '/api/sites/nats-authorization')).body
      .config as string;
    const dir = await mkdtemp(join(tmpdir(), 'vm-nats-auth-'));
    const port = await freePort();
    const conf = block.replace(
      '    # { user: "voltmesh-cloud", password: "<bcrypt hash>" }',
      '    { user: "cloud", password: "cloud-secret-123" }',
    );
    await writeFile(
      join(dir, 'nats.conf'),
      `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${dir}" }\n${conf}`,
    );
    const server = spawn(findBinary('nats-server', 'install nats-server'), ['-c', join(dir, 'nats.conf')], {
      stdio: 'ignore',
    });
    try {
      await waitForPort(port, server, 10_000);
      const servers = `nats://127.0.0.1:${port}`;
      await expect(connect({ servers, user: 'edge-acme-harbour', pass: 'wrong' })).rejects.toThrow();
      const edge = await connect({ servers, user: 'edge-acme-harbour', pass: edgePassword });
      const cloudNc = await connect({ servers, user: 'cloud', pass: 'cloud-secret-123' });
      const received: string[] = [];
      const sub = cloudNc.subscribe('vm.events.>', { callback: (_e, m) => void received.push(m.subject) });
      await cloudNc.flush();
      const denied: string[] = [];
      void (async () => {
        for await (const s of edge.status()) if (s.type === 'error') denied.push(String(s.error));
      })();
      edge.publish('vm.events.globex-res.GLX-1', 'forged');
      edge.publish('vm.events.acme-harbour.ST-1', 'ok');
      await edge.flush();
      await cloudNc.flush();
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toEqual(['vm.events.acme-harbour.ST-1']);
      expect(denied.join(' ')).toMatch(/permission/i);

      // It reads (watches) its own KV bucket, as the edge agent does, and no other.
      const cloudKvm = new Kvm(cloudNc);
      await (await cloudKvm.create(siteConfigBucket('acme-harbour'))).put('policy', '{"x":1}');
      await cloudKvm.create(siteConfigBucket('globex-res'));
      const ownKv = await new Kvm(edge).open(siteConfigBucket('acme-harbour'));
      const watch = await ownKv.watch({ key: '>' });
      for await (const e of watch) {
        expect(e.key).toBe('policy');
        break;
      }
      const foreignKv = await new Kvm(edge).open(siteConfigBucket('globex-res'));
      await expect(foreignKv.status()).rejects.toThrow();

      // It answers the cloud's commands on its own subject.
      edge.subscribe('vm.cmd.acme-harbour', { callback: (_e, m) => void m.respond('done') });
      await edge.flush();
      expect((await cloudNc.request('vm.cmd.acme-harbour', 'reset', { timeout: 2000 })).string()).toBe(
        'done',
      );
      sub.unsubscribe();
      await edge.close();
      await cloudNc.close();
    } finally {
      server.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates a station whose shown-once password verifies against the hash in the KV bucket', async () => {
    const badType = await call('operator@acme.test', 'POST', '/api/stations', {
      siteId,
      identity: 'HB-1',
      name: 'Harbour 1',
      connectors: [{ evseId: 1, connectorId: 1, type: 'Schuko', maxPowerW: 3_700 }],
    });
    expect(badType.status).toBe(400);
    expect(fieldsOf(badType.body)).toEqual(['connectors.0.type']);

    const created = await call('operator@acme.test', 'POST', '/api/stations', {
      siteId,
      identity: 'HB-1',
      name: 'Harbour 1',
      vendor: 'ACME',
      model: 'DC 150',
      serialNumber: 'SN-HB-1',
      lat: 53.541,
      lon: 9.981,
      securityProfile: 1,
      connectors: [{ evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 }],
    });
    expect(created.status).toBe(201);
    expect(created.body.station).toMatchObject({
      identity: 'HB-1',
      siteCode: 'acme-harbour',
      securityProfile: 1,
      hasPassword: true,
      approved: true,
      unplaced: false,
      connectors: [{ evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 }],
    });
    stationId = created.body.station.id;
    stationPassword = created.body.password;
    expect(stationPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const entry = StationEntry.parse(await kvEntry('acme-harbour', siteConfigKeys.station('HB-1')));
    expect(entry).toMatchObject({ identity: 'HB-1', securityProfile: 1, enabled: true });
    expect(entry.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verify(entry.passwordHash!, stationPassword)).toBe(true);
    expect(await verify(entry.passwordHash!, 'not-the-password')).toBe(false);

    const settings = await call('viewer@acme.test', 'GET', `/api/stations/${stationId}/settings`);
    expect(settings.status).toBe(200);
    expect(JSON.stringify(settings.body)).not.toContain(stationPassword);

    const dup = await call('admin@acme.test', 'POST', '/api/stations', {
      siteId,
      identity: 'HB-1',
      name: 'Again',
    });
    expect(dup.status).toBe(409);
    expect(fieldsOf(dup.body)).toEqual(['identity']);
  });

  it('rotates the station password: the old one stops verifying at the edge', async () => {
    const rotated = await call('operator@acme.test', 'POST', `/api/stations/${stationId}/password`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.password).not.toBe(stationPassword);
    const entry = StationEntry.parse(await kvEntry('acme-harbour', siteConfigKeys.station('HB-1')));
    expect(await verify(entry.passwordHash!, rotated.body.password)).toBe(true);
    expect(await verify(entry.passwordHash!, stationPassword)).toBe(false);
    const { rows } = await cloud.db.query(
      "SELECT detail FROM audit_log WHERE action = 'station.password_rotated'",
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(rotated.body.password);
  });

  it('replaces connectors, disables a station and approves an auto-registered one', async () => {
    const put = await call('operator@acme.test', 'PUT', `/api/stations/${stationId}/connectors`, {
      connectors: [
        { evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 },
        { evseId: 2, connectorId: 1, type: 'CHAdeMO', maxPowerW: 50_000 },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.connectors.map((c: { type: string }) => c.type)).toEqual(['CCS2', 'CHAdeMO']);

    const disabled = await call('operator@acme.test', 'PATCH', `/api/stations/${stationId}`, {
      enabled: false,
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.password).toBeNull();
    expect(await kvEntry('acme-harbour', siteConfigKeys.station('HB-1'))).toMatchObject({ enabled: false });

    // A station the edge parked as pending: registered by the ingest, unplaced and not approved.
    const { rows } = await cloud.db.query<{ id: string }>(
      `INSERT INTO stations (tenant_id, site_id, identity, name, unplaced) VALUES ($1, $2, 'STRAY-7', 'STRAY-7', true)
       RETURNING id`,
      [tenants['Acme'], siteId],
    );
    const strayId = rows[0]!.id;
    expect(await kvEntry('acme-harbour', siteConfigKeys.station('STRAY-7'))).toBeNull();
    const approved = await call('operator@acme.test', 'PATCH', `/api/stations/${strayId}`, {
      approved: true,
      lat: 53.5,
      lon: 9.9,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.station).toMatchObject({ approved: true, unplaced: false, securityProfile: 1 });
    const entry = StationEntry.parse(await kvEntry('acme-harbour', siteConfigKeys.station('STRAY-7')));
    expect(await verify(entry.passwordHash!, approved.body.password)).toBe(true);

    const deleted = await call('admin@acme.test', 'DELETE', `/api/stations/${strayId}`);
    expect(deleted.status).toBe(204);
    expect(await kvEntry('acme-harbour', siteConfigKeys.station('STRAY-7'))).toBeNull();
  });

  it('manages holders, groups and tokens; blocking a token updates the local auth list at once', async () => {
    const holder = await call('operator@acme.test', 'POST', '/api/token-holders', {
      name: 'Erika Mustermann',
      phone: '+49 40 123456',
      email: 'erika@example.com',
      company: 'Fleet GmbH',
    });
    expect(holder.status).toBe(201);
    const badHolder = await call('operator@acme.test', 'POST', '/api/token-holders', {
      name: 'X',
      email: 'not-an-email',
    });
    expect(fieldsOf(badHolder.body)).toEqual(['email']);
    const group = await call('operator@acme.test', 'POST', '/api/token-groups', {
      name: 'Fleet GmbH',
      kind: 'corporate',
    });
    expect(group.status).toBe(201);

    const token = await call('operator@acme.test', 'POST', '/api/tokens', {
      uid: '04AABBCCDD',
      holderId: holder.body.id,
      groupId: group.body.id,
      siteId,
      expiresAt: '2030-01-01T00:00:00Z',
    });
    expect(token.status).toBe(201);
    expect(token.body).toMatchObject({
      uid: '04AABBCCDD',
      status: 'accepted',
      holderName: 'Erika Mustermann',
      groupName: 'Fleet GmbH',
      siteName: 'Harbour',
    });
    const key = siteConfigKeys.token('04AABBCCDD');
    expect(TokenEntry.parse(await kvEntry('acme-harbour', key)).status).toBe('accepted');

    const dup = await call('operator@acme.test', 'POST', '/api/tokens', { uid: '04AABBCCDD', siteId });
    expect(dup.status).toBe(409);
    expect(fieldsOf(dup.body)).toEqual(['uid']);

    const blocked = await call('operator@acme.test', 'PATCH', `/api/tokens/${token.body.id}`, {
      status: 'blocked',
    });
    expect(blocked.status).toBe(200);
    // A PATCH changes only what it names.
    expect(blocked.body).toMatchObject({
      holderName: 'Erika Mustermann',
      siteName: 'Harbour',
      type: 'ISO14443',
    });
    expect(TokenEntry.parse(await kvEntry('acme-harbour', key)).status).toBe('blocked');

    const list = await call('operator@acme.test', 'GET', '/api/tokens?status=blocked&q=erika');
    expect(list.body).toMatchObject({ total: 1, items: [{ uid: '04AABBCCDD' }] });
    const holders = await call('operator@acme.test', 'GET', '/api/token-holders?q=fleet');
    expect(holders.body.items).toEqual([
      expect.objectContaining({ name: 'Erika Mustermann', tokenCount: 1 }),
    ]);
    const groups = await call('operator@acme.test', 'GET', '/api/token-groups?kind=corporate');
    expect(groups.body.items).toEqual([expect.objectContaining({ name: 'Fleet GmbH', tokenCount: 1 })]);

    // A tenant-wide token reaches every site of the tenant.
    const everywhere = await call('admin@acme.test', 'POST', '/api/tokens', { uid: 'ALL-SITES-1' });
    expect(everywhere.status).toBe(201);
    for (const site of ['acme-res', 'acme-harbour'])
      expect(await kvEntry(site, siteConfigKeys.token('ALL-SITES-1'))).toMatchObject({ status: 'accepted' });

    const removed = await call('operator@acme.test', 'DELETE', `/api/tokens/${token.body.id}`);
    expect(removed.status).toBe(204);
    expect(await kvEntry('acme-harbour', key)).toBeNull();
  });

  it("another tenant's objects are 404, and a viewer may not write", async () => {
    for (const [method, path, body] of [
      ['GET', `/api/sites/${siteId}`, undefined],
      ['PATCH', `/api/sites/${siteId}`, { name: 'taken' }],
      ['PATCH', `/api/cities/${cityId}`, { name: 'taken' }],
      ['GET', `/api/stations/${stationId}/settings`, undefined],
      ['PATCH', `/api/stations/${stationId}`, { name: 'taken' }],
      ['POST', `/api/stations/${stationId}/password`, undefined],
      ['PUT', `/api/stations/${stationId}/connectors`, { connectors: [] }],
      ['DELETE', `/api/stations/${stationId}`, undefined],
      ['POST', `/api/sites/${siteId}/credentials`, undefined],
    ] as const) {
      const who =
        path.includes('/sites/') || path.includes('/cities/') ? 'admin@globex.test' : 'operator@globex.test';
      const res = await call(who, method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    // A foreign site cannot be used as the home of a new station or token either.
    const foreign = await call('operator@globex.test', 'POST', '/api/stations', {
      siteId,
      identity: 'X',
      name: 'X',
    });
    expect(foreign.status).toBe(404);
    const foreignToken = await call('operator@globex.test', 'POST', '/api/tokens', { uid: 'X1', siteId });
    expect(foreignToken.status).toBe(404);
    const globexTokens = await call('operator@globex.test', 'GET', '/api/tokens');
    expect(globexTokens.body.items.map((t: { uid: string }) => t.uid)).not.toContain('ALL-SITES-1');

    for (const [method, path, body] of [
      ['POST', '/api/cities', { name: 'V', countryCode: 'DE' }],
      ['POST', '/api/sites', { code: 'v-site', name: 'V' }],
      ['PATCH', `/api/stations/${stationId}`, { name: 'V' }],
      ['POST', `/api/stations/${stationId}/password`, undefined],
      ['POST', '/api/tokens', { uid: 'V1' }],
      ['GET', '/api/tokens', undefined],
    ] as const) {
      const res = await call('viewer@acme.test', method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    // Operators manage stations and tokens, not the hierarchy.
    expect(
      (await call('operator@acme.test', 'POST', '/api/sites', { code: 'op-site', name: 'O' })).status,
    ).toBe(403);
  });

  it('a grant limited to one site manages only that site', async () => {
    await addUser('harbour-op@acme.test', 'Acme', 'operator', siteId);
    await addUser('harbour-admin@acme.test', 'Acme', 'admin', siteId);
    const { rows } = await cloud.db.query<{ id: string }>("SELECT id FROM sites WHERE code = 'acme-res'");
    const otherSite = rows[0]!.id;
    const op = 'harbour-op@acme.test';

    // Stations: its own site yes, the other site of the same tenant is invisible.
    const own = await call(op, 'POST', '/api/stations', {
      siteId,
      identity: 'HB-OP',
      name: 'By the site operator',
    });
    expect(own.status).toBe(201);
    expect(
      (await call(op, 'POST', '/api/stations', { siteId: otherSite, identity: 'X', name: 'X' })).status,
    ).toBe(404);
    const acme1 = (await cloud.db.query<{ id: string }>("SELECT id FROM stations WHERE identity = 'ACME-1'"))
      .rows[0]!.id;
    expect((await call(op, 'PATCH', `/api/stations/${acme1}`, { name: 'no' })).status).toBe(404);
    expect(
      (await call(op, 'PATCH', `/api/stations/${own.body.station.id}`, { siteId: otherSite })).status,
    ).toBe(404);

    // Tokens: it reads the tenant-wide ones, may add its own site's, not tenant-wide ones.
    const listed = await call(op, 'GET', '/api/tokens');
    expect(listed.body.items.map((t: { uid: string }) => t.uid)).toContain('ALL-SITES-1');
    expect((await call(op, 'POST', '/api/tokens', { uid: 'OP-1' })).status).toBe(403);
    expect((await call(op, 'POST', '/api/tokens', { uid: 'OP-1', siteId })).status).toBe(201);
    const everywhere = listed.body.items.find((t: { uid: string }) => t.uid === 'ALL-SITES-1');
    expect((await call(op, 'PATCH', `/api/tokens/${everywhere.id}`, { status: 'blocked' })).status).toBe(403);
    expect((await call(op, 'POST', '/api/token-groups', { name: 'G', kind: 'personal' })).status).toBe(403);

    // A site-scoped admin edits its site but creates no sites or cities.
    const admin = 'harbour-admin@acme.test';
    expect(
      (await call(admin, 'PATCH', `/api/sites/${siteId}`, { gridCapacityKw: 300 })).body.gridCapacityKw,
    ).toBe(300);
    expect((await call(admin, 'PATCH', `/api/sites/${otherSite}`, { name: 'no' })).status).toBe(404);
    expect((await call(admin, 'POST', '/api/sites', { code: 'x-site', name: 'X' })).status).toBe(403);
    expect((await call(admin, 'POST', '/api/cities', { name: 'X', countryCode: 'DE' })).status).toBe(403);
    expect((await call(admin, 'GET', '/api/sites/nats-authorization')).status).toBe(403);

    // Another tenant's tokens, holders and groups do not exist for Globex.
    const token = (await call('admin@acme.test', 'GET', '/api/tokens?q=OP-1')).body.items[0];
    expect(
      (await call('operator@globex.test', 'PATCH', `/api/tokens/${token.id}`, { status: 'blocked' })).status,
    ).toBe(404);
    expect((await call('operator@globex.test', 'DELETE', `/api/tokens/${token.id}`)).status).toBe(404);
    const holder = (await call('admin@acme.test', 'GET', '/api/token-holders')).body.items[0];
    expect((await call('admin@globex.test', 'GET', `/api/token-holders/${holder.id}`)).status).toBe(404);
    expect((await call('admin@globex.test', 'DELETE', `/api/token-holders/${holder.id}`)).status).toBe(404);
    expect((await call('admin@globex.test', 'GET', '/api/token-holders')).body.total).toBe(0);
    // Nor can Globex attach Acme's holder to its own token.
    const attach = await call('operator@globex.test', 'POST', '/api/tokens', {
      uid: 'GLX-9',
      holderId: holder.id,
    });
    expect(attach.status).toBe(404);
    expect(fieldsOf(attach.body)).toEqual(['holderId']);

    await call('admin@acme.test', 'DELETE', `/api/stations/${own.body.station.id}`);
  });

  it('rotates edge credentials and refuses to delete what is still in use', async () => {
    const rotated = await call('admin@acme.test', 'POST', `/api/sites/${siteId}/credentials`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.natsPassword).not.toBe(edgePassword);
    expect((await call('admin@acme.test', 'DELETE', `/api/sites/${siteId}`)).status).toBe(409);
    expect((await call('admin@acme.test', 'DELETE', `/api/cities/${cityId}`)).status).toBe(409);
    expect((await call('admin@acme.test', 'DELETE', `/api/stations/${stationId}`)).status).toBe(204);
    expect((await call('admin@acme.test', 'DELETE', `/api/sites/${siteId}`)).status).toBe(204);
    expect((await call('admin@acme.test', 'DELETE', `/api/cities/${cityId}`)).status).toBe(204);
  });
});
