import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '@voltmesh/infra/testing';
import { createApp, type App } from '../src/api/app.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin, LOGIN_POLICY } from '../src/auth/login.js';
import { createSessionStore } from '../src/auth/sessions.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createStationQueries } from '../src/stations/queries.js';
import { fleet, migratedDatabase, PASSWORD, seedFleet, type Json, type MigratedDb } from './support.js';

const SECRET = 'test-secret-test-secret-test-secret-123';

describe('HTTP API', () => {
  let m: MigratedDb;
  let app: App;
  const endedSessions: string[] = [];

  const login = (email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
    app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    });

  const session = async (email: string) => {
    const res = await login(email);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const body = (await res.json()) as { csrfToken: string; user: { tenantId: string } };
    return { cookie, csrfToken: body.csrfToken, tenantId: body.user.tenantId };
  };

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(m.db, fleet('Acme', 'acme-1', ['ACME-001', 'ACME-002', 'ACME-FAST-1']));
    await seedFleet(m.db, fleet('Globex', 'globex-1', ['GLX-001']));
    await seedFleet(m.db, fleet('Lockme', 'lock-1', [], 'lock@test.test'));
    await seedFleet(m.db, fleet('Throttle', 'thr-1', [], 'thr@test.test'));
    const sessions = createSessionStore(m.db, SECRET);
    app = createApp({
      log: pino({ level: process.env['TEST_LOG'] ?? 'silent' }),
      auth: {
        login: createLogin({
          db: m.db,
          sessions,
          ipThrottle: createIpThrottle({ maxFailures: 10, windowMs: 60_000 }),
        }),
        sessions,
        secureCookies: false,
        sessionEnded: (id) => void endedSessions.push(id),
      },
      stations: createStationQueries(m.db, { trigram: true }),
      ops: {
        health: { database: async () => void (await m.db.query('SELECT 1')), nats: () => true },
        registry: createMetrics().registry,
      },
      webDistDir: null,
    });
  });

  afterAll(async () => {
    await m?.close();
  });

  describe('login', () => {
    it('returns the user and a CSRF token and sets an HttpOnly SameSite=Lax session cookie', async () => {
      const res = await login('ADMIN@acme.test');
      expect(res.status).toBe(200);
      const body: Json = await res.json();
      expect(body).toMatchObject({
        user: { email: 'admin@Acme.test', name: 'Acme admin', role: 'admin', tenantName: 'Acme' },
        csrfToken: expect.any(String),
      });
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^vm_session=[\w-]+;/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);

      const me = await app.request('/api/auth/me', { headers: { cookie: cookie.split(';')[0]! } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual(body);
    });

    it('refuses a wrong password or unknown user with the same problem', async () => {
      for (const res of [await login('admin@acme.test', 'wrong password'), await login('nobody@acme.test')]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await res.json()).toMatchObject({
          status: 401,
          code: 'auth.invalid_credentials',
          title: expect.any(String),
        });
      }
    });

    it('locks an account after repeated failures, even for the right password', async () => {
      for (let i = 0; i < LOGIN_POLICY.maxFailuresPerAccount; i++) {
        expect((await login('lock@test.test', 'nope', { 'x-test': String(i) })).status).toBe(401);
      }
      const res = await login('lock@test.test');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(await res.json()).toMatchObject({ code: 'auth.throttled' });
    }, 60_000);

    it('throttles one IP that keeps failing', async () => {
      const ipA = {
        incoming: { socket: { remoteAddress: '203.0.113.7', remotePort: 1, remoteFamily: 'IPv4' } },
      };
      const from = (env: unknown, email: string, password: string) =>
        app.request(
          '/api/auth/login',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password }),
          },
          env,
        );
      for (let i = 0; i < 10; i++) expect((await from(ipA, `x${i}@nowhere.test`, 'nope')).status).toBe(401);
      const blocked = await from(ipA, 'thr@test.test', PASSWORD);
      expect(blocked.status).toBe(429);
      const otherIp = {
        incoming: { socket: { remoteAddress: '203.0.113.8', remotePort: 1, remoteFamily: 'IPv4' } },
      };
      expect((await from(otherIp, 'thr@test.test', PASSWORD)).status).toBe(200);
    });

    it('answers problem+json with field errors for a bad body, and for unreadable JSON', async () => {
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a', password: 42 }),
      });
      expect(res.status).toBe(400);
      const body: Json = await res.json();
      expect(body.code).toBe('request.invalid');
      expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'password']);

      const broken = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      });
      expect(broken.status).toBe(400);
      expect(await broken.json()).toMatchObject({ code: 'request.malformed_json' });
    });
  });

  describe('sessions and CSRF', () => {
    it('requires x-csrf-token to log out, then the session is gone', async () => {
      const s = await session('admin@acme.test');
      const without = await app.request('/api/auth/logout', {
        method: 'POST',
        headers: { cookie: s.cookie },
      });
      expect(without.status).toBe(403);
      expect(await without.json()).toMatchObject({ code: 'auth.csrf_failed' });
      const wrong = await app.request('/api/auth/logout', {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrfToken.length) },
      });
      expect(wrong.status).toBe(403);

      const ok = await app.request('/api/auth/logout', {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
      });
      expect(ok.status).toBe(204);
      expect(endedSessions).toHaveLength(1);
      expect(ok.headers.get('set-cookie')).toMatch(/vm_session=;/);
      const after = await app.request('/api/auth/me', { headers: { cookie: s.cookie } });
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ code: 'auth.required' });
    });

    it('refuses forged and expired sessions', async () => {
      const forged = await app.request('/api/stations', {
        headers: { cookie: 'vm_session=forged-token-value' },
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ code: 'auth.required' });

      const s = await session('admin@acme.test');
      await m.db.query("UPDATE auth_sessions SET expires_at = now() - interval '1 second'");
      const expired = await app.request('/api/stations', { headers: { cookie: s.cookie } });
      expect(expired.status).toBe(401);
    });

    it('does not accept a session token under another secret', async () => {
      const s = await session('admin@acme.test');
      const other = createSessionStore(m.db, 'another-secret-another-secret-another');
      expect(await other.find(s.cookie.split('=')[1]!)).toBeNull();
    });
  });

  describe('stations', () => {
    it('lists only the caller tenant stations with the StationSummary shape', async () => {
      const a = await session('admin@acme.test');
      const res = await app.request('/api/stations', { headers: { cookie: a.cookie } });
      expect(res.status).toBe(200);
      const body: Json = await res.json();
      expect(body).toMatchObject({ total: 3, limit: 50, offset: 0 });
      expect(body.items.map((s: { identity: string }) => s.identity).sort()).toEqual([
        'ACME-001',
        'ACME-002',
        'ACME-FAST-1',
      ]);
      expect(body.items[0]).toEqual({
        id: expect.any(String),
        identity: 'ACME-001',
        name: 'Acme charger 1',
        siteId: expect.any(String),
        siteName: 'Acme Depot',
        cityId: expect.any(String),
        cityName: 'Acme City',
        lat: 52.51,
        lon: 13.41,
        online: false,
        status: 'offline',
        lastSeenAt: null,
        ocppVersion: 'ocpp1.6',
        vendor: 'ACME',
        model: 'Volt 22',
        connectors: [
          { evseId: 1, connectorId: 1, status: 'unknown', rawStatus: '', errorCode: null, statusAt: null },
        ],
      });
    });

    it("answers 404 for another tenant's station and finds its own", async () => {
      const a = await session('admin@acme.test');
      const g = await session('admin@globex.test');
      const list: Json = await (await app.request('/api/stations', { headers: { cookie: g.cookie } })).json();
      const globex = list.items[0];
      const res = await app.request(`/api/stations/${globex.id}`, { headers: { cookie: a.cookie } });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'station.not_found' });
      expect((await app.request('/api/stations/not-a-uuid', { headers: { cookie: a.cookie } })).status).toBe(
        404,
      );

      const own = await app.request(`/api/stations/${globex.id}`, { headers: { cookie: g.cookie } });
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ identity: 'GLX-001', siteCode: 'globex-1', recentEvents: [] });
    });

    it('searches fuzzily over identity, name, site and city, within the tenant', async () => {
      const a = await session('admin@acme.test');
      const q = async (query: string) =>
        (await (await app.request(`/api/stations?${query}`, { headers: { cookie: a.cookie } })).json()) as {
          items: { identity: string }[];
          total: number;
        };
      expect((await q('q=fast')).items.map((s) => s.identity)).toEqual(['ACME-FAST-1']);
      // A typo still finds it (trigram similarity).
      expect((await q('q=ACME-FSAT')).items[0]?.identity).toBe('ACME-FAST-1');
      expect((await q('q=acme%20depot')).total).toBe(3);
      expect((await q('q=glx')).total).toBe(0);
      expect((await q('q=100%25')).total).toBe(0);
      expect((await q('limit=1&offset=1&sort=-identity')).items.map((s) => s.identity)).toEqual(['ACME-002']);
      expect((await q('status=offline')).total).toBe(3);
      expect((await q('online=true')).total).toBe(0);
    });

    it('filters by connector type: stations with at least one connector of a listed type', async () => {
      const a = await session('admin@acme.test');
      const q = async (query: string) =>
        (await (await app.request(`/api/stations?${query}`, { headers: { cookie: a.cookie } })).json()) as {
          items: { identity: string }[];
          total: number;
        };
      // The fleet seeds Type2 everywhere; the fast charger gets a CCS2 connector.
      await m.db.query(
        `UPDATE connectors SET type = 'CCS2' FROM stations s
          WHERE s.id = connectors.station_id AND s.identity = 'ACME-FAST-1'`,
      );
      expect((await q('connectorType=CCS2')).items.map((s) => s.identity)).toEqual(['ACME-FAST-1']);
      expect((await q('connectorType=Type2')).total).toBe(2);
      expect((await q('connectorType=CCS2,Type2')).total).toBe(3);
      expect((await q('connectorType=CHAdeMO')).total).toBe(0);
      // Combined with the text search and the other filters (AND).
      expect((await q('connectorType=CCS2&q=depot&status=offline')).total).toBe(1);
      // Globex has a Type2 station, never shown to Acme.
      expect((await q('connectorType=Type2')).items.map((s) => s.identity)).not.toContain('GLX-001');
    });

    it('rejects a bad query with the offending fields', async () => {
      const a = await session('admin@acme.test');
      const res = await app.request('/api/stations?status=broken&limit=0&connectorType=Schuko', {
        headers: { cookie: a.cookie },
      });
      expect(res.status).toBe(400);
      const body: Json = await res.json();
      expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'connectorType',
        'limit',
        'status',
      ]);
      expect(body.errors.find((e: { path: string }) => e.path === 'connectorType').message).toContain(
        'unknown connector type Schuko',
      );
    });

    it('serves sites, cities and the live snapshot of the tenant', async () => {
      const a = await session('admin@acme.test');
      const sites: Json = await (await app.request('/api/sites', { headers: { cookie: a.cookie } })).json();
      expect(sites.items).toEqual([
        expect.objectContaining({
          code: 'acme-1',
          name: 'Acme Depot',
          stationCount: 3,
          cityName: 'Acme City',
        }),
      ]);
      const cities: Json = await (await app.request('/api/cities', { headers: { cookie: a.cookie } })).json();
      expect(cities.items).toEqual([
        expect.objectContaining({ name: 'Acme City', countryCode: 'DE', siteCount: 1, stationCount: 3 }),
      ]);
      const snap: Json = await (
        await app.request('/api/live/snapshot', { headers: { cookie: a.cookie } })
      ).json();
      expect(snap.stations).toHaveLength(3);
      expect(snap.kpis).toEqual({
        stationsOnline: 0,
        stationsOffline: 3,
        stationsCharging: 0,
        stationsFaulted: 0,
        activeSessions: 0,
        powerNowW: 0,
        energyTodayWh: 0,
      });
    });

    it('requires a session for every /api read', async () => {
      for (const path of [
        '/api/stations',
        '/api/sites',
        '/api/cities',
        '/api/live/snapshot',
        '/api/auth/me',
      ]) {
        const res = await app.request(path);
        expect(res.status).toBe(401);
      }
    });
  });

  describe('service endpoints', () => {
    it('serves health, metrics, the OpenAPI document and a problem for unknown routes', async () => {
      expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
      expect(await (await app.request('/metrics')).text()).toMatch(/voltmesh_ingest_batch_size/);
      const doc: Json = await (await app.request('/api/openapi.json')).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/login',
          '/api/stations',
          '/api/stations/{id}',
          '/api/live/snapshot',
        ]),
      );
      expect((await app.request('/api/docs')).status).toBe(200);
      const missing = await app.request('/api/nope');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'route.not_found' });
    });
  });
});
