/**
 * The station event log end to end: events published to JetStream like the edge does, stored by the
 * ingest of a running cloud, a remote command sent through the API, then read back through
 * /api/events, /api/events/counts and /api/events.csv — newest first, filtered, paged, exported
 * with non-Latin names intact, and nothing of another tenant or another site.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { StationEvent } from '@voltmesh/contract';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { categoryOf, LOGGED_EVENT_TYPES } from '../src/event-log/entries.js';
import { envelope, ev, fleet, PASSWORD, publish, seedFleet, waitFor, type Json } from './support.js';

const MINUTE_MS = 60_000;
const STATION_NAME = 'Зарядная станция №1';
const SITE_NAME = '北京 充电站';

describe('station event log', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let testDb: TestDatabase;
  let cloud: Cloud;
  /** Event times are set relative to the test's start so the default range (last 7 days) holds them. */
  const t0 = Date.now() - 2 * 60 * MINUTE_MS;
  const iso = (minutes: number) => new Date(t0 + minutes * MINUTE_MS).toISOString();
  const ids: Record<string, string> = {};
  const cookies: Record<string, { cookie: string; csrf: string }> = {};
  let seq = 0;
  /** The alert engine's clock runs this far ahead, to reach a rule's next evaluation. */
  let alertClockSkewMs = 0;

  const at = (site: string, station: string | null, event: StationEvent, minutes: number) => ({
    ...envelope(site, station, event, { atS: 0, seq: ++seq }),
    occurredAt: iso(minutes),
    receivedAt: iso(minutes),
  });

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
  const raw = (who: string, path: string, init: RequestInit = {}) =>
    fetch(`${cloud.url}${path}`, {
      ...init,
      headers: {
        cookie: cookies[who]!.cookie,
        'x-csrf-token': cookies[who]!.csrf,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  const get = async (who: string, path: string) => {
    const res = await raw(who, path);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
  };
  // Ends two hours after the test starts: the command sent during the test falls inside.
  const range = `from=${encodeURIComponent(iso(-10))}&to=${encodeURIComponent(iso(240))}`;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_eventlog');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000,
      rollupIntervalMs: 3_600_000,
      // The alert scheduler runs only when a test ticks it, so incidents appear where the test says.
      alerts: { loops: false, now: () => new Date(Date.now() + alertClockSkewMs) },
    });
    await seedFleet(cloud.db, fleet('Acme', 'acme-log', ['LOG-1', 'LOG-2']));
    await seedFleet(cloud.db, fleet('Globex', 'globex-log', ['GLX-1']));
    const one = async (sql: string, params: unknown[]) =>
      (await cloud.db.query<{ id: string }>(sql, params)).rows[0]!.id;
    ids['log1'] = await one(`UPDATE stations SET name = $1 WHERE identity = 'LOG-1' RETURNING id`, [
      STATION_NAME,
    ]);
    ids['log2'] = await one(`SELECT id FROM stations WHERE identity = 'LOG-2'`, []);
    ids['glx'] = await one(`SELECT id FROM stations WHERE identity = 'GLX-1'`, []);
    ids['site'] = await one(`UPDATE sites SET name = $1 WHERE code = 'acme-log' RETURNING id`, [SITE_NAME]);
    ids['acme'] = await one(`SELECT id FROM tenants WHERE name = 'Acme'`, []);
    // A second Acme site with its own station, and a technician whose grant covers only that site.
    ids['site2'] = await one(
      `INSERT INTO sites (tenant_id, code, name) VALUES ($1, 'acme-log-2', 'Second depot') RETURNING id`,
      [ids['acme']],
    );
    await cloud.db.query(
      `INSERT INTO stations (tenant_id, site_id, identity, name) VALUES ($1, $2, 'LOG-3', 'Third') RETURNING id`,
      [ids['acme'], ids['site2']],
    );
    const tech = await one(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id`,
      ['tech@acme.test', await hashPassword(PASSWORD)],
    );
    await cloud.db.query(
      `INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, 'technician', $3)`,
      [tech, ids['acme'], ids['site2']],
    );

    const faulted: StationEvent = {
      type: 'connector.status',
      evseId: 1,
      connectorId: 1,
      status: 'faulted',
      rawStatus: 'Faulted',
      errorCode: 'GroundFailure',
      vendorErrorCode: 'E-4711',
      info: 'RCD tripped',
    };
    const envelopes = [
      at('acme-log', 'LOG-1', ev.connected(), 0),
      at('acme-log', 'LOG-1', ev.booted(), 1),
      at('acme-log', 'LOG-1', ev.status('available'), 2),
      at('acme-log', 'LOG-1', ev.heartbeat(), 3),
      at('acme-log', 'LOG-1', ev.meter(null, 0, 1000, 0), 4),
      at('acme-log', 'LOG-1', faulted, 5),
      at(
        'acme-log',
        'LOG-1',
        { type: 'security.event', eventType: 'InvalidCentralSystemCertificate', techInfo: null },
        6,
      ),
      at('acme-log', 'LOG-1', { type: 'firmware.status', status: 'InstallationFailed', requestId: 7 }, 7),
      at('acme-log', 'LOG-1', ev.disconnected(), 8),
      at('acme-log', null, ev.edgeStatus(), 9),
      at('acme-log', 'LOG-2', ev.status('occupied'), 10),
      at('globex-log', 'GLX-1', ev.status('faulted'), 5),
      at('globex-log', 'GLX-1', ev.booted(), 6),
    ];
    await publish(nc, envelopes);
    await waitFor(
      async () => (await cloud.db.query('SELECT count(*)::int AS n FROM station_events')).rows[0].n as number,
      (n) => n >= envelopes.length,
      30_000,
    );
    for (const email of ['admin@acme.test', 'admin@globex.test', 'tech@acme.test'])
      cookies[email] = await login(email);
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    await nc?.close();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('merges station events and commands, newest first, with categories and translatable summaries', async () => {
    // A command to a station whose edge agent is not running: recorded with its outcome.
    const sent = await raw('admin@acme.test', `/api/stations/${ids['log2']}/commands`, {
      method: 'POST',
      body: JSON.stringify({ type: 'reset', kind: 'soft' }),
    });
    expect(sent.status).toBe(200);
    const outcome = ((await sent.json()) as Json).outcome as string;

    const { status, body } = await get('admin@acme.test', `/api/events?${range}`);
    expect(status).toBe(200);
    const items = body.items as Json[];
    // Heartbeats, meter samples and edge status are state, not log lines; Globex is not here.
    expect(items.map((e) => [e.stationIdentity, e.type])).toEqual([
      ['LOG-2', 'command.sent'],
      ['LOG-2', 'connector.status'],
      ['LOG-1', 'station.disconnected'],
      ['LOG-1', 'firmware.status'],
      ['LOG-1', 'security.event'],
      ['LOG-1', 'connector.status'],
      ['LOG-1', 'connector.status'],
      ['LOG-1', 'station.booted'],
      ['LOG-1', 'station.connected'],
    ]);
    expect(body.total).toBe(9);
    expect(items.map((e) => e.category)).toEqual([
      'command',
      'status',
      'connection',
      'firmware',
      'security',
      'error',
      'status',
      'boot',
      'connection',
    ]);
    const command = items[0];
    expect(command).toMatchObject({
      source: 'command',
      siteName: SITE_NAME,
      summary: { code: 'command', params: { command: 'reset', outcome, user: 'admin@Acme.test' } },
      details: { outcome, userEmail: 'admin@Acme.test', command: { type: 'reset', kind: 'soft' } },
    });
    const fault = items[5];
    expect(fault).toMatchObject({
      stationId: ids['log1'],
      stationName: STATION_NAME,
      siteId: ids['site'],
      summary: {
        code: 'fault',
        params: { evseId: 1, status: 'faulted', errorCode: 'GroundFailure', vendorErrorCode: 'E-4711' },
      },
      text: 'EVSE 1/1 faulted (Faulted) error GroundFailure',
    });
    // The SQL category and the TypeScript one agree for every station event.
    for (const e of items.filter((i) => i.source === 'station'))
      expect(categoryOf(e.details)).toBe(e.category);
  });

  it('filters by station, category, type, text and time, and pages', async () => {
    const ids1 = async (query: string) =>
      ((await get('admin@acme.test', `/api/events?${range}&${query}`)).body.items as Json[]).map(
        (e) => `${e.stationIdentity} ${e.type}`,
      );
    expect(await ids1(`stationId=${ids['log2']}`)).toEqual(['LOG-2 command.sent', 'LOG-2 connector.status']);
    expect(await ids1('category=command')).toEqual(['LOG-2 command.sent']);
    expect(await ids1('category=error,security')).toEqual(['LOG-1 security.event', 'LOG-1 connector.status']);
    expect(await ids1('type=station.booted')).toEqual(['LOG-1 station.booted']);
    expect(await ids1(`q=${encodeURIComponent('e-4711')}`)).toEqual(['LOG-1 connector.status']);
    expect(await ids1(`q=${encodeURIComponent('станция')}&category=connection`)).toEqual([
      'LOG-1 station.disconnected',
      'LOG-1 station.connected',
    ]);
    expect(await ids1(`siteId=${ids['site2']}`)).toEqual([]);
    const window = `from=${encodeURIComponent(iso(4))}&to=${encodeURIComponent(iso(7))}`;
    expect(
      ((await get('admin@acme.test', `/api/events?${window}`)).body.items as Json[]).map((e) => e.type),
    ).toEqual(['security.event', 'connector.status']);

    const page = await get(
      'admin@acme.test',
      `/api/events?${range}&stationId=${ids['log1']}&limit=3&offset=3`,
    );
    expect(page.body).toMatchObject({ total: 7, limit: 3, offset: 3 });
    expect((page.body.items as Json[]).map((e) => e.type)).toEqual([
      'connector.status',
      'connector.status',
      'station.booted',
    ]);
  });

  it('counts entries per hour and category over the range', async () => {
    const { body } = await get('admin@acme.test', `/api/events/counts?${range}&stationId=${ids['log1']}`);
    expect(body.bucket).toBe('hour');
    const byCategory: Record<string, number> = {};
    for (const p of body.points as Json[]) byCategory[p.category] = (byCategory[p.category] ?? 0) + p.count;
    expect(byCategory).toEqual({ boot: 1, connection: 2, status: 1, error: 1, security: 1, firmware: 1 });
  });

  it('exports the filtered log as UTF-8 CSV with a BOM, a header and the names intact', async () => {
    const res = await raw('admin@acme.test', `/api/events.csv?${range}&stationId=${ids['log1']}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="voltmesh-events-.+\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('at,station_identity,station_name,site,category,type,summary,details');
    expect(lines).toHaveLength(1 + 7);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${iso(8).replace(/[.]/g, '\\.')},LOG-1,${STATION_NAME},${SITE_NAME},connection,station\\.disconnected,`,
      ),
    );
    const faultLine = lines.find((l) => l.includes('E-4711'))!;
    expect(faultLine).toContain(',error,connector.status,EVSE 1/1 faulted (Faulted) error GroundFailure,"{');
    expect(faultLine).toContain('""vendorErrorCode"":""E-4711""');
  });

  it('refuses a backwards range, a range over 93 days and unknown categories with a clear problem', async () => {
    const long = await get(
      'admin@acme.test',
      `/api/events?from=${encodeURIComponent(iso(-94 * 24 * 60))}&to=${encodeURIComponent(iso(0))}`,
    );
    expect(long.status).toBe(400);
    expect(long.type).toBe('application/problem+json');
    expect(long.body).toMatchObject({
      code: 'request.invalid',
      errors: [{ path: 'from', message: expect.stringContaining('at most 93 days') }],
    });
    const csvLong = await raw(
      'admin@acme.test',
      `/api/events.csv?from=${encodeURIComponent(iso(-94 * 24 * 60))}&to=${encodeURIComponent(iso(0))}`,
    );
    expect(csvLong.status).toBe(400);
    const backwards = await get(
      'admin@acme.test',
      `/api/events?from=${encodeURIComponent(iso(5))}&to=${encodeURIComponent(iso(1))}`,
    );
    expect(backwards.body).toMatchObject({ code: 'request.invalid', errors: [{ path: 'from' }] });
    const unknown = await get('admin@acme.test', '/api/events?category=error,weather');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'category', message: expect.stringContaining('weather') }]);
  });

  it('shows the timeline of an incident about a station as alert entries', async () => {
    // The alerts engine of this cloud, ticked by hand: LOG-1 has been offline since minute 8 (its
    // faulted connector and failed firmware update open incidents of their own; `q` picks the
    // offline one).
    await cloud.alerts.scheduler.tick();
    const offline = `${range}&category=alert&stationId=${ids['log1']}&q=station_offline`;
    const opened = await get('admin@acme.test', `/api/events?${offline}`);
    expect(opened.body.items).toMatchObject([
      {
        source: 'incident',
        type: 'incident.opened',
        category: 'alert',
        stationIdentity: 'LOG-1',
        summary: { code: 'incidentOpened', params: { kind: 'station_offline', title: 'LOG-1 offline' } },
      },
    ]);
    const incidentId = opened.body.items[0].details.incidentId as string;

    // Acknowledged through the API, then the charger is back (its event through the ingest).
    const ack = await raw('admin@acme.test', `/api/incidents/${incidentId}/acknowledge`, {
      method: 'POST',
      body: JSON.stringify({ comment: 'on my way' }),
    });
    expect(ack.status).toBe(200);
    await publish(nc, [
      {
        ...at('acme-log', 'LOG-1', ev.connected(), 0),
        occurredAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      },
    ]);
    await waitFor(
      async () =>
        (await cloud.db.query('SELECT online FROM stations WHERE id = $1', [ids['log1']])).rows[0]
          .online as boolean,
      (online) => online,
    );
    // Each rule is evaluated once per interval (30 s): the next tick happens a minute later.
    alertClockSkewMs += 60_000;
    await cloud.alerts.scheduler.tick();

    const { body } = await get('admin@acme.test', `/api/events?${offline}`);
    expect((body.items as Json[]).map((e) => e.type)).toEqual([
      'incident.resolved',
      'incident.acknowledged',
      'incident.opened',
    ]);
    expect(body.items[0]).toMatchObject({
      summary: { code: 'incidentResolved', params: { automatic: 'true', title: 'LOG-1 offline' } },
      text: 'incident resolved (condition cleared): LOG-1 offline',
    });
    expect(body.items[1]).toMatchObject({
      summary: { code: 'incidentAcknowledged', params: { user: 'Acme admin', comment: 'on my way' } },
    });
    // The station's log shows them among its events, newest first.
    const station = await get('admin@acme.test', `/api/events?${range}&stationId=${ids['log1']}`);
    const kinds = (station.body.items as Json[]).map((e) => `${e.type} ${e.details.kind ?? ''}`.trim());
    expect(kinds.slice(0, 2)).toEqual(['incident.resolved station_offline', 'station.connected']);
    expect(kinds).toContain('incident.opened connector_faulted');
    expect(kinds.at(-1)).toBe('station.connected');
    // Another tenant's incidents are its own.
    const globex = await get('admin@globex.test', `/api/events?${range}&category=alert`);
    expect(JSON.stringify(globex.body)).not.toContain('LOG-1');
  });

  it('has a partial index whose event types are the ones the log reads', async () => {
    const { rows } = await cloud.db.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'station_events_log_idx'`,
    );
    const listed = [...rows[0]!.def.matchAll(/'([a-z_.]+)'::text/g)].map((m) => m[1]).sort();
    expect(listed).toEqual([...LOGGED_EVENT_TYPES].sort());
  });

  it('shows another tenant and a user limited to another site nothing', async () => {
    const globex = await get('admin@globex.test', `/api/events?${range}&category=boot,status,error`);
    expect((globex.body.items as Json[]).map((e) => e.stationIdentity)).toEqual(['GLX-1', 'GLX-1']);
    const text = JSON.stringify(globex.body);
    for (const marker of ['LOG-1', 'LOG-2', STATION_NAME, SITE_NAME]) expect(text).not.toContain(marker);
    const named = await get('admin@globex.test', `/api/events?${range}&stationId=${ids['log1']}`);
    expect(named.body).toMatchObject({ total: 0, items: [] });
    const csv = await (
      await raw('admin@globex.test', `/api/events.csv?${range}&stationId=${ids['log1']}`)
    ).text();
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(1);
    const acme = await get('admin@acme.test', `/api/events?${range}&stationId=${ids['glx']}`);
    expect(acme.body.total).toBe(0);

    const tech = await get('tech@acme.test', `/api/events?${range}`);
    expect(tech.body).toMatchObject({ total: 0, items: [] });
    const counts = await get('tech@acme.test', `/api/events/counts?${range}`);
    expect(counts.body.points).toEqual([]);
  });
});
