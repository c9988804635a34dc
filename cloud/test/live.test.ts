import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { envelope, ev, fleet, PASSWORD, publish, seedFleet } from './support.js';

describe('live updates over Socket.IO', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let testDb: TestDatabase;
  let cloud: Cloud;
  const sockets: Socket[] = [];

  const loginCookie = async (email: string) => {
    const res = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };

  const socket = (cookie: string | null) => {
    const s = ioClient(cloud.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      ...(cookie ? { extraHeaders: { cookie } } : {}),
    });
    sockets.push(s);
    return s;
  };

  const connected = (s: Socket) =>
    new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_live');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }));
    await seedFleet(cloud.db, fleet('Acme', 'acme-live', ['A-1']));
    await seedFleet(cloud.db, fleet('Globex', 'globex-live', ['G-1']));
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await cloud?.stop();
    await nc?.close();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('refuses a connection without a valid session', async () => {
    await expect(connected(socket(null))).rejects.toThrow('auth.required');
    await expect(connected(socket('vm_session=forged'))).rejects.toThrow('auth.required');
  });

  it('sends station:update, activity and kpis to the tenant, and nothing to other tenants', async () => {
    // Log in first: a socket starts connecting when created, so its listeners must follow at once.
    const [cookieA, cookieB] = [await loginCookie('admin@acme.test'), await loginCookie('admin@globex.test')];
    const a = socket(cookieA);
    const b = socket(cookieB);
    await Promise.all([connected(a), connected(b)]);
    const seenByB: unknown[] = [];
    b.on('station:update', (s) => seenByB.push(s));
    b.on('activity', (x) => seenByB.push(x));

    const update = new Promise<{ identity: string; online: boolean; status: string }>((resolve) =>
      a.on('station:update', (s: { identity: string; online: boolean; status: string }) => {
        if (s.status === 'available') resolve(s);
      }),
    );
    const activity = new Promise<{ kind: string; identity: string }>((resolve) =>
      a.once('activity', (x: { kind: string; identity: string }) => resolve(x)),
    );
    const kpis = new Promise<{ stationsOnline: number }>((resolve) =>
      a.on('kpis', (k: { stationsOnline: number }) => {
        if (k.stationsOnline === 1) resolve(k);
      }),
    );

    await publish(nc, [
      envelope('acme-live', 'A-1', ev.connected(), { atS: 0, seq: 1 }),
      envelope('acme-live', 'A-1', ev.status('available'), { atS: 1, seq: 2 }),
    ]);
    expect(await update).toMatchObject({ identity: 'A-1', online: true, status: 'available' });
    expect(await activity).toMatchObject({ kind: 'connected', identity: 'A-1', siteName: 'Acme Depot' });
    expect(await kpis).toMatchObject({ stationsOnline: 1, stationsOffline: 0 });

    // B sees its own station and never A's.
    const own = new Promise<{ identity: string }>((resolve) => b.once('station:update', resolve));
    await publish(nc, [envelope('globex-live', 'G-1', ev.connected(), { atS: 2, seq: 1 })]);
    expect(await own).toMatchObject({ identity: 'G-1' });
    expect(seenByB.every((x) => (x as { identity: string }).identity === 'G-1')).toBe(true);
  });

  it('closes the sockets of a session when it logs out', async () => {
    const login = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@acme.test', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const other = socket(await loginCookie('admin@acme.test'));
    const mine = socket(cookie);
    await Promise.all([connected(mine), connected(other)]);
    const closed = new Promise<string>((resolve) => mine.once('disconnect', resolve));
    const out = await fetch(`${cloud.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    // Another session of the same user stays connected.
    expect(other.connected).toBe(true);
  });

  it('accepts an API token (handshake auth or Bearer header) with its scope; a revoked token is cut off', async () => {
    const login = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@acme.test', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await fetch(`${cloud.url}/api/api-tokens`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'live feed' }),
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };

    const machine = (options: { auth?: { token: string }; extraHeaders?: Record<string, string> }) => {
      const s = ioClient(cloud.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        ...options,
      });
      sockets.push(s);
      return s;
    };
    await expect(connected(machine({ auth: { token: 'vmt_forged' } }))).rejects.toThrow('auth.required');
    const byAuth = machine({ auth: { token } });
    const byHeader = machine({ extraHeaders: { authorization: `Bearer ${token}` } });
    await Promise.all([connected(byAuth), connected(byHeader)]);

    // Same identity and scope as on the REST API: Acme's stations only.
    const seen: string[] = [];
    byAuth.on('station:update', (u: { identity: string }) => seen.push(u.identity));
    const own = new Promise<{ identity: string }>((resolve) => byHeader.once('station:update', resolve));
    await publish(nc, [envelope('globex-live', 'G-1', ev.status('available'), { atS: 20, seq: 10 })]);
    await publish(nc, [envelope('acme-live', 'A-1', ev.status('occupied'), { atS: 21, seq: 10 })]);
    expect(await own).toMatchObject({ identity: 'A-1' });
    expect(seen).not.toContain('G-1');

    const closed = new Promise<string>((resolve) => byAuth.once('disconnect', resolve));
    const revoked = await fetch(`${cloud.url}/api/api-tokens/${id}`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(revoked.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    await expect(connected(machine({ auth: { token } }))).rejects.toThrow('auth.required');
  });

  it("streams one station's event log to sockets that subscribed to it, within their tenant only", async () => {
    const a = socket(await loginCookie('admin@acme.test'));
    await connected(a);
    const { rows } = await cloud.db.query<{ id: string; identity: string }>(
      "SELECT id, identity FROM stations WHERE identity IN ('A-1', 'G-1')",
    );
    const idOf = (identity: string) => rows.find((r) => r.identity === identity)!.id;
    const subscribe = (id: unknown) =>
      new Promise<{ ok: boolean; code?: string }>((resolve) => a.emit('station:subscribe', id, resolve));
    expect(await subscribe(idOf('G-1'))).toEqual({ ok: false, code: 'station.not_found' });
    expect(await subscribe(42)).toEqual({ ok: false, code: 'request.invalid' });
    expect(await subscribe(idOf('A-1'))).toEqual({ ok: true });

    const logged = new Promise<{ stationId: string; type: string; summary: string }>((resolve) =>
      a.on('station:event', (e: { stationId: string; type: string; summary: string }) => {
        if (e.type === 'connector.status') resolve(e);
      }),
    );
    await publish(nc, [envelope('acme-live', 'A-1', ev.status('faulted'), { atS: 10, seq: 3 })]);
    expect(await logged).toMatchObject({
      stationId: idOf('A-1'),
      type: 'connector.status',
      summary: 'EVSE 1/1 faulted (Faulted) error GroundFailure',
    });
  });

  it("sends a station's meter values only to sockets subscribed to it, until they unsubscribe", async () => {
    const [cookieA, cookieB] = [await loginCookie('admin@acme.test'), await loginCookie('admin@acme.test')];
    const a = socket(cookieA);
    const b = socket(cookieB);
    await Promise.all([connected(a), connected(b)]);
    const { rows } = await cloud.db.query<{ id: string }>("SELECT id FROM stations WHERE identity = 'A-1'");
    const stationId = rows[0]!.id;
    // An acknowledged call: the server has handled everything the socket sent before it.
    const roundTrip = (s: Socket) =>
      new Promise<unknown>((resolve) => s.emit('station:subscribe', 42, resolve));
    const subscribe = (s: Socket) =>
      new Promise<{ ok: boolean }>((resolve) => s.emit('station:subscribe', stationId, resolve));
    const powers = (s: Socket) => {
      const seen: number[] = [];
      s.on('meter:update', (m: { stationId: string; powerW: number }) => {
        if (m.stationId === stationId) seen.push(m.powerW);
      });
      return seen;
    };
    const nextPower = (s: Socket, powerW: number) =>
      new Promise<{ stationId: string; evseId: number; powerW: number }>((resolve) =>
        s.on('meter:update', (m: { stationId: string; evseId: number; powerW: number }) => {
          if (m.powerW === powerW) resolve(m);
        }),
      );
    const seenByA = powers(a);
    const seenByB = powers(b);

    expect(await subscribe(a)).toEqual({ ok: true });
    const toA = nextPower(a, 7000);
    await publish(nc, [envelope('acme-live', 'A-1', ev.meter(null, 20, 1000, 7000), { atS: 20, seq: 4 })]);
    expect(await toA).toMatchObject({ stationId, evseId: 1, powerW: 7000 });
    await roundTrip(b);
    expect(seenByB).toEqual([]);

    a.emit('station:unsubscribe', stationId);
    await roundTrip(a);
    expect(await subscribe(b)).toEqual({ ok: true });
    const toB = nextPower(b, 8000);
    await publish(nc, [envelope('acme-live', 'A-1', ev.meter(null, 22, 1005, 8000), { atS: 22, seq: 5 })]);
    expect(await toB).toMatchObject({ stationId, powerW: 8000 });
    await roundTrip(a);
    expect(seenByA).toEqual([7000]);
  });
});
