/**
 * Session cost end to end through the real ingest (JetStream → PostgreSQL): a tariff created and
 * assigned over the API, a session published like an edge would, the running cost while it charges
 * (HTTP and Socket.IO), the final report with the hand-computed cost of docs/tariffs.md, the CSV,
 * redelivery without a second charge, disputes and tenant isolation.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Envelope, StationEvent } from '@voltmesh/contract';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND_EXAMPLE } from '../src/billing/example.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { runSessionWatchdog } from '../src/watchdog/session-watchdog.js';
import { loadConfig } from '../src/config.js';
import { sample, meterEvent } from './history-support.js';
import { fleet, PASSWORD, publish, seedFleet, waitFor, type Json } from './support.js';

const T0 = HAND_EXAMPLE.startMs;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const METER_START_WH = 120_000;

let seq = 0;
const envelopeAt = (atMs: number, event: StationEvent, id = uuidv7()): Envelope => ({
  schemaVersion: 1,
  id,
  siteId: 'bill-site',
  stationId: 'BILL-1',
  seq: ++seq,
  occurredAt: iso(atMs),
  receivedAt: iso(atMs),
  source: { kind: 'edge' },
  event,
});
const register = (tx: string, atMs: number, wh: number, powerW: number) =>
  envelopeAt(
    atMs,
    meterEvent(tx, [
      sample(iso(atMs), 'Energy.Active.Import.Register', wh, 'Wh'),
      sample(iso(atMs), 'Power.Active.Import', powerW, 'W'),
      sample(iso(atMs), 'Voltage', 230, 'V'),
      sample(iso(atMs), 'Current.Import', powerW / 690, 'A'),
    ]),
  );

describe('session cost through the real ingest', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let testDb: TestDatabase;
  let cloud: Cloud;
  let admin: { cookie: string; csrf: string };
  let other: { cookie: string; csrf: string };
  const sockets: Socket[] = [];
  let sessionId: string;
  let ended: Envelope;

  const login = async (email: string) => {
    const res = await cloud.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };
  const call = async (
    who: { cookie: string; csrf: string },
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; text: string; type: string | null }> => {
    const res = await cloud.app.request(path, {
      method,
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, type: res.headers.get('content-type') };
  };
  const sessionRow = () =>
    cloud.db
      .query<{ id: string; status: string; energy_wh: number | null; report_at: Date | null }>(
        `SELECT id, status, energy_wh, report_at FROM sessions WHERE transaction_id = 'bill-tx-1'`,
      )
      .then((r) => r.rows[0]);

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_billing');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000,
      rollupIntervalMs: 3_600_000,
    });
    await seedFleet(cloud.db, fleet('Billing', 'bill-site', ['BILL-1']));
    await seedFleet(cloud.db, fleet('Elsewhere', 'else-site', ['ELSE-1']));
    // The card of the session: a holder and a corporate group with Cyrillic and Chinese names.
    await cloud.db.query(
      `WITH t AS (SELECT id FROM tenants WHERE name = 'Billing'),
            h AS (INSERT INTO token_holders (tenant_id, name) SELECT id, 'Иван Петров' FROM t RETURNING id),
            g AS (INSERT INTO token_groups (tenant_id, name, kind) SELECT id, '企业车队', 'corporate' FROM t RETURNING id)
       INSERT INTO id_tokens (tenant_id, id_token, type, status, holder_id, token_group_id)
       SELECT t.id, 'TAG1', 'ISO14443', 'accepted', h.id, g.id FROM t, h, g`,
    );
    admin = await login('admin@Billing.test');
    other = await login('admin@Elsewhere.test');
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await cloud?.stop();
    await nc?.drain();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('prices a session with the tariff assigned to its site: live while it charges, final at the stop', async () => {
    const created = await call(admin, 'POST', '/api/tariffs', {
      name: 'Депо — 高峰',
      spec: HAND_EXAMPLE.tariff,
      validFrom: '2020-01-01T00:00:00Z',
    });
    expect(created.status, created.text).toBe(201);
    const site = await cloud.db.query<{ id: string }>(`SELECT id FROM sites WHERE code = 'bill-site'`);
    const assigned = await call(admin, 'PUT', '/api/tariff-assignments', {
      targetType: 'site',
      targetId: site.rows[0]!.id,
      tariffId: created.json.id,
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json).toMatchObject({ targetType: 'site', tariffName: 'Депо — 高峰' });

    // The hand-computed session: 11 kW for an hour across the start of the peak, then 20 min idle.
    const tx = 'bill-tx-1';
    const started: StationEvent = {
      type: 'session.started',
      transactionId: tx,
      evseId: 1,
      connectorId: 1,
      idToken: { id: 'TAG1', type: 'ISO14443' },
      meterStartWh: METER_START_WH,
      reservationId: null,
    };
    await publish(nc, [
      envelopeAt(T0, started),
      register(tx, T0 + 30 * MIN, METER_START_WH + 5_500, 11_000),
      register(tx, T0 + 60 * MIN, METER_START_WH + 11_000, 11_000),
    ]);
    const running = await waitFor(sessionRow, (r) => r?.energy_wh === 11_000);
    sessionId = running!.id;

    // Live: the running cost pushed to a socket watching the session, and in the session's detail.
    const socket = ioClient(cloud.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: admin.cookie },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(await socket.emitWithAck('session:subscribe', sessionId)).toEqual({ ok: true });
    const pushed = new Promise<Json>((resolve) => socket.once('session:cost', resolve));
    await publish(nc, [register(tx, T0 + 80 * MIN, METER_START_WH + 11_000, 0)]);
    const live = await pushed;
    expect(live).toMatchObject({
      sessionId,
      energyWh: 11_000,
      powerW: 0,
      voltageV: 230,
      idleSeconds: 1200,
      cost: { net: '8.33', tax: '1.58', total: '9.91', currency: 'EUR' },
    });
    const detail = await call(admin, 'GET', `/api/sessions/${sessionId}`);
    expect(detail.json.status).toBe('active');
    expect(detail.json.running.cost).toEqual({ net: '8.33', tax: '1.58', total: '9.91', currency: 'EUR' });

    ended = envelopeAt(T0 + 80 * MIN, {
      type: 'session.ended',
      transactionId: tx,
      meterStopWh: METER_START_WH + 11_000,
      reason: 'local',
      rawReason: 'Local',
      idToken: null,
    });
    await publish(nc, [ended]);
    await waitFor(sessionRow, (r) => r?.report_at != null);

    const report = await call(admin, 'GET', `/api/sessions/${sessionId}`);
    expect(report.status).toBe(200);
    const s = report.json;
    // kWh of the report = the meter delta; the cost = the hand computation (and the live estimate).
    expect(s.energyWh).toBe(s.meterStopWh - s.meterStartWh);
    expect(s.energyWh).toBe(11_000);
    expect(s.cost).toEqual({ net: '8.33', tax: '1.58', total: '9.91', currency: 'EUR' });
    expect([s.status, s.chargingSeconds, s.idleSeconds, s.peakPowerW]).toEqual([
      'completed',
      3600,
      1200,
      11_000,
    ]);
    expect([s.holderName, s.groupName, s.tariff.name]).toEqual(['Иван Петров', '企业车队', 'Депо — 高峰']);
    expect(s.breakdown.lines.map((l: Json) => [l.component, l.period, l.amount])).toEqual([
      ['energy', null, '1.65'],
      ['charging_time', null, '0.6'],
      ['energy', 'Peak', '2.475'],
      ['charging_time', 'Peak', '0.6'],
      ['idle_time', 'Peak', '2'],
      ['session_fee', null, '1'],
    ]);
    const ledger = await cloud.db.query<{ amount: string; currency: string }>(
      `SELECT amount::text, currency FROM ledger_entries WHERE session_id = $1`,
      [sessionId],
    );
    expect(ledger.rows).toEqual([{ amount: '9.9100', currency: 'EUR' }]);

    const list = await call(admin, 'GET', `/api/sessions?status=completed&holderId=${s.holderId}&q=BILL`);
    expect(list.json.items.map((i: Json) => [i.id, i.cost.total])).toEqual([[sessionId, '9.91']]);
  });

  it('writes the report as UTF-8 CSV with a BOM, names intact', async () => {
    const res = await cloud.app.request(`/api/sessions/${sessionId}/report.csv`, {
      headers: { cookie: admin.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toContain('Holder,Иван Петров\r\n');
    expect(text).toContain('Group,企业车队\r\n');
    expect(text).toContain('Energy (kWh),11.000\r\n');
    expect(text).toContain('Total,,,,9.91\r\n');
  });

  it('does not charge twice when the stop is redelivered or replayed with a new id', async () => {
    const before = await cloud.db.query(`SELECT report_at FROM sessions WHERE id = $1`, [sessionId]);
    await publish(nc, [ended], { dedupe: false });
    const replay = { ...ended, id: uuidv7(), seq: ++seq };
    await publish(nc, [replay]);
    await waitFor(
      () =>
        cloud.db
          .query<{ n: number }>(`SELECT count(*)::int AS n FROM station_events WHERE id = $1`, [replay.id])
          .then((r) => r.rows[0]!.n),
      (n) => n === 1,
    );
    const ledger = await cloud.db.query(`SELECT amount::text FROM ledger_entries WHERE session_id = $1`, [
      sessionId,
    ]);
    expect(ledger.rows).toEqual([{ amount: '9.9100' }]);
    const after = await call(admin, 'GET', `/api/sessions/${sessionId}`);
    expect(after.json.cost.total).toBe('9.91');
    const again = await cloud.db.query(`SELECT report_at FROM sessions WHERE id = $1`, [sessionId]);
    expect(again.rows).toEqual(before.rows);
  });

  /** An hour at 11 kW from `startMs` (no stop): returns the session id once its energy is in. */
  async function openSession(tx: string, startMs: number): Promise<string> {
    await publish(nc, [
      envelopeAt(startMs, {
        type: 'session.started',
        transactionId: tx,
        evseId: 1,
        connectorId: 1,
        idToken: { id: 'TAG1', type: 'ISO14443' },
        meterStartWh: METER_START_WH,
        reservationId: null,
      }),
      register(tx, startMs + 30 * MIN, METER_START_WH + 5_500, 11_000),
      register(tx, startMs + 60 * MIN, METER_START_WH + 11_000, 11_000),
    ]);
    const row = await waitFor(
      () =>
        cloud.db
          .query<{ id: string; energy_wh: number | null }>(
            'SELECT id, energy_wh FROM sessions WHERE transaction_id = $1',
            [tx],
          )
          .then((r) => r.rows[0]),
      (r) => r?.energy_wh === 11_000,
    );
    return row!.id;
  }
  const reportOf = async (id: string) => {
    const s = (await call(admin, 'GET', `/api/sessions/${id}`)).json;
    const ledger = await cloud.db.query<{ amount: string }>(
      'SELECT amount::text FROM ledger_entries WHERE session_id = $1',
      [id],
    );
    return [
      s.status,
      s.energyWh,
      s.cost?.total ?? null,
      s.reportAt !== null,
      ledger.rows.map((r) => r.amount),
    ];
  };

  it('writes the final report of a session the watchdog closes, and of one force-stopped in the cloud', async () => {
    // The worked example's times a week later, closed at its last reading (no idle time):
    // 1.65 + 0.60 + 2.475 + 0.60 + 1.00 = 6.325 → 6.33 net, 1.20 tax, 7.53 total.
    const week = 7 * 24 * 60 * MIN;
    const watched = await openSession('bill-tx-watchdog', T0 + week);
    const closed = await runSessionWatchdog(cloud.db, {
      now: new Date(T0 + week + 30 * 60 * MIN),
      inactiveMs: 60 * MIN,
    });
    expect(closed?.map((c) => c.id)).toEqual([watched]);
    expect(await reportOf(watched)).toEqual(['closed_by_watchdog', 11_000, '7.53', true, ['7.5300']]);

    // Started 30 hours ago and force-stopped now: the 29 hours since the last reading are idle, at
    // 0.10 €/min or more far beyond the 100.00 maximum: 100.00 net, 19.00 tax.
    const stuck = await openSession('bill-tx-force', Date.now() - 30 * 60 * MIN);
    const res = await call(admin, 'POST', `/api/sessions/${stuck}/force-stop`, { reason: 'cable stuck' });
    expect([res.status, res.json.action]).toEqual([200, 'closed_in_cloud']);
    expect(await reportOf(stuck)).toEqual(['stopped_by_operator', 11_000, '119.00', true, ['119.0000']]);
  });

  it('shows another tenant nothing of the session or the tariff', async () => {
    const list = await call(other, 'GET', '/api/sessions?limit=500');
    expect(list.json.total).toBe(0);
    expect((await call(other, 'GET', `/api/sessions/${sessionId}`)).status).toBe(404);
    expect((await call(other, 'GET', `/api/sessions/${sessionId}/report.csv`)).status).toBe(404);
    const dispute = await call(other, 'POST', `/api/sessions/${sessionId}/dispute`, { reason: 'not mine' });
    expect(dispute.status).toBe(404);
    const tariffs = await call(other, 'GET', '/api/tariffs');
    expect(tariffs.json.total).toBe(0);
    expect(tariffs.text).not.toContain('Депо');
  });

  it('marks an ended session disputed with the reason, keeping its report', async () => {
    const res = await call(admin, 'POST', `/api/sessions/${sessionId}/dispute`, { reason: 'Счёт завышен' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe('disputed');
    expect(res.json.dispute).toMatchObject({ reason: 'Счёт завышен', previousStatus: 'completed' });
    expect(res.json.cost.total).toBe('9.91');
    // A stop replayed later (new event id) does not clear the dispute or charge again.
    const replay = { ...ended, id: uuidv7(), seq: ++seq };
    await publish(nc, [replay]);
    await waitFor(
      () =>
        cloud.db
          .query<{ n: number }>(`SELECT count(*)::int AS n FROM station_events WHERE id = $1`, [replay.id])
          .then((r) => r.rows[0]!.n),
      (n) => n === 1,
    );
    const after = await call(admin, 'GET', `/api/sessions/${sessionId}`);
    expect([after.json.status, after.json.cost.total]).toEqual(['disputed', '9.91']);
    const bad = await call(admin, 'POST', `/api/sessions/${sessionId}/dispute`, { reason: '' });
    expect([bad.status, bad.json.code, bad.json.errors[0].path]).toEqual([400, 'request.invalid', 'reason']);
  });
});
