/**
 * Tariff assignment and versions against a real PostgreSQL: the documented precedence (card > token
 * group > station > site), a scheduled version that running sessions do not pick up, validation as
 * problem+json with field paths, and a tariff that priced sessions cannot be deleted. Sessions go
 * through the ingest's batch writer (the projection assigns and settles them).
 */
import type { StationEvent } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/api/app.js';
import { createAuditLog } from '../src/audit/audit-log.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin } from '../src/auth/login.js';
import { createSessionStore } from '../src/auth/sessions.js';
import { HAND_EXAMPLE } from '../src/billing/example.js';
import { createSessionQueries } from '../src/billing/session-queries.js';
import { createTariffStore } from '../src/billing/tariff-store.js';
import type { TariffSpec } from '../src/billing/tariff.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createStationQueries } from '../src/stations/queries.js';
import { meterEvent, sample, writeAt } from './history-support.js';
import { fleet, migratedDatabase, PASSWORD, seedFleet, type Json, type MigratedDb } from './support.js';

const flat = (energyPerKwh: string): TariffSpec => ({
  currency: 'EUR',
  timeZone: 'UTC',
  energyPerKwh,
  chargingPerMinute: '0',
  idlePerMinute: '0',
  idleGraceMinutes: 0,
  sessionFee: '0',
  minimum: null,
  maximum: null,
  taxRatePercent: '0',
  periods: [],
});

const T0 = Date.parse('2026-11-30T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe('tariff precedence, versions and validation', () => {
  let m: MigratedDb;
  let app: App;
  let who: { cookie: string; csrf: string };
  const ids: Record<string, string> = {};
  let serial = 0;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const one = async (sql: string, params: unknown[]) =>
    (await m.db.query<{ id: string }>(sql, params)).rows[0]!.id;

  /** A 10 kWh session of `card` at `station`, started at `startMs`, an hour long; returns its id. */
  async function session(station: 'TAR-1' | 'TAR-2', card: string, startMs: number): Promise<string> {
    const tx = `tar-tx-${++serial}`;
    const started: StationEvent = {
      type: 'session.started',
      transactionId: tx,
      evseId: 1,
      connectorId: 1,
      idToken: { id: card, type: 'ISO14443' },
      meterStartWh: 0,
      reservationId: null,
    };
    const ended: StationEvent = {
      type: 'session.ended',
      transactionId: tx,
      meterStopWh: 10_000,
      reason: 'local',
      rawReason: 'Local',
      idToken: null,
    };
    await writeAt(m.db, 'tar-site', station, [
      { at: iso(startMs), event: started },
      {
        at: iso(startMs + HOUR / 2),
        event: meterEvent(tx, [
          sample(iso(startMs + HOUR / 2), 'Energy.Active.Import.Register', 5_000, 'Wh'),
        ]),
      },
      { at: iso(startMs + HOUR), event: ended },
    ]);
    return one('SELECT id FROM sessions WHERE transaction_id = $1', [tx]);
  }
  const priced = async (id: string) => {
    const s = (await call('GET', `/api/sessions/${id}`)).json;
    return [s.tariff?.name ?? null, s.cost?.total ?? null];
  };

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
    await seedFleet(m.db, fleet('Tariffs', 'tar-site', ['TAR-1', 'TAR-2']));
    const sessions = createSessionStore(m.db, 'tariff-test-secret-tariff-test-secret');
    const audit = createAuditLog(m.db);
    app = createApp({
      log: pino({ level: 'silent' }),
      auth: {
        login: createLogin({
          db: m.db,
          sessions,
          ipThrottle: createIpThrottle({ maxFailures: 100, windowMs: 60_000 }),
        }),
        sessions,
        secureCookies: false,
        sessionEnded: () => {},
      },
      stations: createStationQueries(m.db, { trigram: true }),
      billing: { tariffs: createTariffStore(m.db), sessions: createSessionQueries(m.db), audit },
      ops: { health: { database: async () => {}, nats: () => true }, registry: createMetrics().registry },
      webDistDir: null,
    });
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@Tariffs.test', password: PASSWORD }),
    });
    who = {
      cookie: res.headers.get('set-cookie')!.split(';')[0]!,
      csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
    };
    const tenant = await one(`SELECT id FROM tenants WHERE name = 'Tariffs'`, []);
    ids['site'] = await one(`SELECT id FROM sites WHERE code = 'tar-site'`, []);
    ids['station'] = await one(`SELECT id FROM stations WHERE identity = 'TAR-1'`, []);
    ids['group'] = await one(
      `INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, 'Acme fleet', 'corporate') RETURNING id`,
      [tenant],
    );
    const card = (uid: string, group: string | null) =>
      one(
        `INSERT INTO id_tokens (tenant_id, id_token, type, status, token_group_id)
         VALUES ($1, $2, 'ISO14443', 'accepted', $3) RETURNING id`,
        [tenant, uid, group],
      );
    ids['cardA'] = await card('CARD-A', ids['group']);
    await card('CARD-B', ids['group']);
    await card('CARD-C', null);

    for (const [name, price, validFrom] of [
      ['Site default', '0.10', '2026-11-01T00:00:00Z'],
      ['Station override', '0.20', '2026-11-01T00:00:00Z'],
      ['Acme contract', '0.30', '2026-11-01T00:00:00Z'],
      ['Card override', '0.40', '2026-11-01T00:00:00Z'],
    ] as const) {
      const created = await call('POST', '/api/tariffs', { name, spec: flat(price), validFrom });
      expect(created.status).toBe(201);
      ids[name] = created.json.id;
    }
    for (const [targetType, targetId, tariff] of [
      ['site', ids['site'], 'Site default'],
      ['station', ids['station'], 'Station override'],
      ['token_group', ids['group'], 'Acme contract'],
      ['token', ids['cardA'], 'Card override'],
    ] as const) {
      const res = await call('PUT', '/api/tariff-assignments', {
        targetType,
        targetId,
        tariffId: ids[tariff],
      });
      expect(res.status).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    await m?.close();
  });

  it('applies the card’s tariff, else its group’s, else the station’s, else the site’s', async () => {
    expect(await priced(await session('TAR-1', 'CARD-A', T0))).toEqual(['Card override', '4.00']);
    expect(await priced(await session('TAR-1', 'CARD-B', T0))).toEqual(['Acme contract', '3.00']);
    expect(await priced(await session('TAR-1', 'CARD-C', T0))).toEqual(['Station override', '2.00']);
    expect(await priced(await session('TAR-2', 'CARD-C', T0))).toEqual(['Site default', '1.00']);
    // An unknown card is priced like a card without a tariff of its own.
    expect(await priced(await session('TAR-2', 'NOBODY', T0))).toEqual(['Site default', '1.00']);
  });

  it('lets a running session keep the version it started with; later sessions get the new one', async () => {
    const change = T0 + 24 * HOUR;
    const res = await call('POST', `/api/tariffs/${ids['Site default']}/versions`, {
      validFrom: iso(change),
      spec: flat('0.50'),
    });
    expect(res.status).toBe(201);
    expect(res.json.versions.map((v: Json) => v.spec.energyPerKwh)).toEqual(['0.10', '0.50']);
    // Starts 30 minutes before the change and ends after it.
    expect(await priced(await session('TAR-2', 'CARD-C', change - HOUR / 2))).toEqual([
      'Site default',
      '1.00',
    ]);
    expect(await priced(await session('TAR-2', 'CARD-C', change + HOUR))).toEqual(['Site default', '5.00']);
    const again = await call('POST', `/api/tariffs/${ids['Site default']}/versions`, {
      validFrom: iso(change),
      spec: flat('0.60'),
    });
    expect([again.status, again.json.code]).toEqual([409, 'resource.conflict']);
  });

  it('refuses bad prices, periods and bounds with the field paths', async () => {
    const bad = {
      ...HAND_EXAMPLE.tariff,
      currency: 'EURO',
      timeZone: 'Mars/Olympus',
      minimum: '2.001',
      periods: [{ ...HAND_EXAMPLE.tariff.periods[0]!, startMinute: 1200, endMinute: 1020 }],
    };
    const res = await call('POST', '/api/tariffs', { name: 'Bad', spec: bad });
    expect([res.status, res.json.code]).toEqual([400, 'request.invalid']);
    expect(res.json.errors.map((e: Json) => e.path).sort()).toEqual([
      'spec.currency',
      'spec.periods.0.endMinute',
      'spec.timeZone',
    ]);
    const digits = await call('POST', '/api/tariffs', {
      name: 'Bad',
      spec: { ...HAND_EXAMPLE.tariff, minimum: '2.001' },
    });
    expect(digits.json.errors).toEqual([
      { path: 'spec.minimum', message: 'at most 2 fraction digits in EUR' },
    ]);
    const price = await call('POST', '/api/tariffs', {
      name: 'Bad',
      spec: { ...HAND_EXAMPLE.tariff, energyPerKwh: '-1' },
    });
    expect(price.json.errors[0].path).toBe('spec.energyPerKwh');
  });

  it('keeps a tariff that priced sessions; deletes an unused one', async () => {
    const used = await call('DELETE', `/api/tariffs/${ids['Card override']}`);
    expect([used.status, used.json.code]).toEqual([409, 'resource.in_use']);
    const spare = await call('POST', '/api/tariffs', { name: 'Spare', spec: flat('1') });
    expect((await call('DELETE', `/api/tariffs/${spare.json.id}`)).status).toBe(204);
    expect((await call('GET', `/api/tariffs/${spare.json.id}`)).json.code).toBe('tariff.not_found');
  });

  it('lists the assignments with the names of their targets, and removes one', async () => {
    const list = (await call('GET', '/api/tariff-assignments')).json.items;
    expect(list.map((a: Json) => [a.targetType, a.targetName, a.tariffName])).toEqual([
      ['site', 'Tariffs Depot', 'Site default'],
      ['station', 'Tariffs charger 1', 'Station override'],
      ['token', 'CARD-A', 'Card override'],
      ['token_group', 'Acme fleet', 'Acme contract'],
    ]);
    const removed = await call('PUT', '/api/tariff-assignments', {
      targetType: 'token',
      targetId: ids['cardA'],
      tariffId: null,
    });
    expect([removed.status, removed.json]).toEqual([200, null]);
    expect(await priced(await session('TAR-1', 'CARD-A', T0 + 2 * HOUR))).toEqual(['Acme contract', '3.00']);
  });
});
