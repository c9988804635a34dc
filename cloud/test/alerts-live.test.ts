/**
 * Alerts as people and systems receive them: Socket.IO events for the crew's browser (and none for
 * another tenant), a signed webhook retried after a failure, flap suppression reopening the same
 * incident, and quiet hours holding a warning SMS until the morning. Real ingest, PostgreSQL, NATS,
 * the `twilio` library against a local fake, nodemailer against a local SMTP server, injected clock.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import type { StationEvent } from '@voltmesh/contract';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { startFakeSmtp, type FakeSmtp } from './fakes/smtp.js';
import { FakeTwilioClient, startFakeTwilio, type FakeTwilio } from './fakes/twilio.js';
import {
  at,
  envelope,
  ev,
  fleet,
  PASSWORD,
  publish,
  seedFleet,
  signedIn,
  waitFor,
  type Json,
} from './support.js';

const PUBLIC_URL = 'http://alerts.voltmesh.test';
const TECH_PHONE = '+4915100000011';
const MIN = 60;

interface Hook {
  headers: Record<string, string>;
  body: string;
  answered: number;
}

describe('alerts on the wire', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let twilioFake: FakeTwilio;
  let smtp: FakeSmtp;
  let cloud: Cloud;
  let hookServer: Server;
  let hookUrl = '';
  const hooks: Hook[] = [];
  /** Status codes the webhook receiver answers, in turn (then 200). */
  const hookAnswers: number[] = [];
  let clockMs = Date.parse(at(0));
  const now = () => new Date(clockMs);
  const clock = (s: number) => {
    clockMs = Date.parse(at(s));
  };
  let seq = 0;
  const ids: Record<string, string> = {};
  const sockets: Socket[] = [];

  const { sessions, login, call: api } = signedIn(() => cloud.app);
  const send = async (identity: string, atS: number, events: StationEvent[]) => {
    await publish(
      cloud.nc,
      events.map((e) => envelope('wire-1', identity, e, { atS, seq: ++seq })),
    );
  };
  const online = async (identity: string) =>
    (await cloud.db.query<{ online: boolean }>('SELECT online FROM stations WHERE identity = $1', [identity]))
      .rows[0]!.online;
  const settle = async () => {
    await cloud.alerts.scheduler.tick();
    while ((await cloud.alerts.dispatcher.runOnce()) > 0);
  };
  const socketOf = async (email: string) => {
    const s = ioClient(cloud.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: sessions.get(email)!.cookie },
    });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  };
  const incidentsOf = async (identity: string) =>
    (
      await cloud.db.query<{ id: string; status: string; flap_count: number }>(
        `SELECT i.id, i.status, i.flap_count FROM incidents i JOIN stations st ON st.id = i.station_id
          WHERE st.identity = $1 AND i.kind = 'station_offline' ORDER BY i.opened_at`,
        [identity],
      )
    ).rows;
  const smsAbout = (identity: string) =>
    twilioFake.messages.filter((m) => m.body.includes(`${identity} offline`));

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_alerts_live');
    twilioFake = await startFakeTwilio();
    smtp = await startFakeSmtp();
    hookServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answered = hookAnswers.shift() ?? 200;
        hooks.push({
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/voltmesh`;
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID: twilioFake.accountSid,
      TWILIO_AUTH_TOKEN: twilioFake.authToken,
      TWILIO_FROM: '+15005550006',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'alerts@voltmesh.test',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000,
      rollupIntervalMs: 3_600_000,
      edgeSilenceS: 86_400 * 365,
      alerts: { now, loops: false, twilioHttpClient: new FakeTwilioClient(twilioFake.url) },
    });
    const acme = await seedFleet(
      cloud.db,
      fleet('Wire', 'wire-1', ['CP-1', 'CP-2', 'CP-3', 'CP-4', 'CP-5', 'CP-6']),
    );
    await seedFleet(cloud.db, fleet('Other', 'other-1', ['OT-1']));
    const site = (await cloud.db.query<{ id: string }>(`SELECT id FROM sites WHERE code = 'wire-1'`)).rows[0]!
      .id;
    const { rows } = await cloud.db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, phone) VALUES ('tech@wire.test', 'tech', $1, $2) RETURNING id`,
      [await hashPassword(PASSWORD), TECH_PHONE],
    );
    ids['tech'] = rows[0]!.id;
    await cloud.db.query(
      `INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, 'technician', $3)`,
      [ids['tech'], acme.tenantId, site],
    );
    for (const email of ['admin@Wire.test', 'tech@wire.test', 'admin@Other.test']) await login(email);
    const group = await api('admin@Wire.test', 'POST', '/api/oncall-groups', {
      name: 'Wire crew',
      siteId: site,
      members: [{ userId: ids['tech'], level: 1 }],
    });
    expect(group.status).toBe(201);
    await send('CP-1', 0, [ev.connected()]);
    await send('CP-2', 0, [ev.connected()]);
    await send('CP-3', 0, [ev.connected()]);
    await send('CP-4', 0, [ev.connected()]);
    await send('CP-5', 0, [ev.connected()]);
    await send('CP-6', 0, [ev.connected()]);
    await waitFor(
      () => online('CP-6'),
      (v) => v,
    );
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await cloud?.stop();
    await new Promise<void>((resolve) => (hookServer ? hookServer.close(() => resolve()) : resolve()));
    await twilioFake?.close();
    await smtp?.close();
    await testDb?.drop();
    await nats?.dispose();
  });

  it("pushes incident:update and notification:new to the crew's browser and nothing to another tenant", async () => {
    const tech = await socketOf('tech@wire.test');
    const stranger = await socketOf('admin@Other.test');
    const techIncidents: Json[] = [];
    const techInbox: Json[] = [];
    const strangerEvents: unknown[] = [];
    tech.on('incident:update', (i: Json) => techIncidents.push(i));
    tech.on('notification:new', (n: Json) => techInbox.push(n));
    stranger.on('incident:update', (i: unknown) => strangerEvents.push(i));
    stranger.on('notification:new', (n: unknown) => strangerEvents.push(n));

    await send('CP-1', 60, [ev.disconnected()]);
    await waitFor(
      () => online('CP-1'),
      (v) => !v,
    );
    clock(60 + 11 * MIN);
    await settle();
    await waitFor(
      () => Promise.resolve(techInbox.length),
      (n) => n === 1,
    );
    expect(techIncidents.find((i) => i.title === 'CP-1 offline')).toMatchObject({
      status: 'open',
      kind: 'station_offline',
      target: { stationIdentity: 'CP-1', siteName: 'Wire Depot' },
    });
    expect(techInbox[0]).toMatchObject({
      subject: '[WARNING] CP-1 offline at Wire Depot',
      readAt: null,
    });
    expect(techInbox[0].link).toMatch(new RegExp(`^${PUBLIC_URL}/stations/`));

    const [incident] = await incidentsOf('CP-1');
    await api('tech@wire.test', 'POST', `/api/incidents/${incident!.id}/acknowledge`, {});
    await waitFor(
      () => Promise.resolve(techIncidents.filter((i) => i.status === 'acknowledged').length),
      (n) => n === 1,
    );
    expect(strangerEvents).toEqual([]);
  });

  it('posts a signed webhook and retries it after a failure, delivering the same message once', async () => {
    const created = await api('admin@Wire.test', 'POST', '/api/alerts/webhooks', {
      name: 'Ops',
      url: hookUrl,
    });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(
      (await api('admin@Wire.test', 'GET', `/api/alerts/webhooks/${created.json.id}`)).json.secret,
    ).toBeUndefined();
    const rule = (await api('admin@Wire.test', 'GET', '/api/alerts/rules?kind=station_offline')).json
      .items[0];
    const patched = await api('admin@Wire.test', 'PATCH', `/api/alerts/rules/${rule.id}`, {
      channels: ['sms', 'email', 'in_app', 'webhook'],
    });
    expect(patched.json.channels).toContain('webhook');

    hookAnswers.push(503);
    await send('CP-2', 20 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-2'),
      (v) => !v,
    );
    clock(31 * MIN);
    await settle();
    expect(hooks.map((h) => h.answered)).toEqual([503]);
    clock(31 * MIN + 31);
    await settle();
    expect(hooks.map((h) => h.answered)).toEqual([503, 200]);
    clock(40 * MIN);
    await settle();
    expect(hooks).toHaveLength(2);

    const [first, second] = hooks;
    expect(second!.headers['x-voltmesh-delivery']).toBe(first!.headers['x-voltmesh-delivery']);
    for (const h of hooks) {
      const expected = createHmac('sha256', secret)
        .update(`${h.headers['x-voltmesh-timestamp']}.${h.body}`)
        .digest('hex');
      expect(h.headers['x-voltmesh-signature']).toBe(`sha256=${expected}`);
    }
    expect(JSON.parse(second!.body)).toMatchObject({
      event: 'incident.opened',
      kind: 'station_offline',
      title: 'CP-2 offline',
      siteName: 'Wire Depot',
    });
    const history = await api('tech@wire.test', 'GET', '/api/notifications?channel=webhook');
    expect(history.json.items).toMatchObject([{ status: 'delivered', attempts: 2, providerId: 'HTTP 200' }]);
  });

  it('reopens the same incident when a charger flaps within the cooldown', async () => {
    await send('CP-3', 40 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-3'),
      (v) => !v,
    );
    clock(51 * MIN);
    await settle();
    await send('CP-3', 52 * MIN, [ev.connected()]);
    await waitFor(
      () => online('CP-3'),
      (v) => v,
    );
    clock(53 * MIN);
    await settle();
    expect((await incidentsOf('CP-3')).map((i) => i.status)).toEqual(['resolved']);

    await send('CP-3', 54 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-3'),
      (v) => !v,
    );
    clock(65 * MIN);
    await settle();
    const incidents = await incidentsOf('CP-3');
    expect(incidents).toMatchObject([{ status: 'open', flap_count: 1 }]);
    const detail = await api('tech@wire.test', 'GET', `/api/incidents/${incidents[0]!.id}`);
    expect(detail.json.events.map((e: Json) => e.type)).toEqual(['opened', 'auto_resolved', 'reopened']);
    // Opened, recovered, opened again: the crew is never left believing it is fine.
    expect(smsAbout('CP-3').map((m) => m.body.slice(0, m.body.indexOf(']') + 1))).toEqual([
      '[WARNING]',
      '[RESOLVED]',
      '[WARNING]',
    ]);
  });

  it('holds a warning SMS during quiet hours and sends it when they end (not at all when it resolved meanwhile); in-app is not held', async () => {
    const put = await api('admin@Wire.test', 'PUT', `/api/alerts/recipients/${ids['tech']}`, {
      phone: TECH_PHONE,
      channels: ['sms', 'in_app'],
      quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' },
    });
    expect(put.json.quietHours).toEqual({ start: '22:00', end: '07:00', timeZone: 'UTC' });
    // 23:00 UTC the same day: CP-4 and CP-6 go offline.
    await send('CP-4', 13 * 3600, [ev.disconnected()]);
    await send('CP-6', 13 * 3600, [ev.disconnected()]);
    await waitFor(
      () => online('CP-6'),
      (v) => !v,
    );
    clock(13 * 3600 + 11 * MIN);
    await settle();
    expect(smsAbout('CP-4')).toEqual([]);
    const inbox = await api('tech@wire.test', 'GET', '/api/notifications/inbox?unread=true');
    expect(inbox.json.items.map((i: Json) => i.subject)).toContain('[WARNING] CP-4 offline at Wire Depot');
    const queued = await api('tech@wire.test', 'GET', '/api/notifications?channel=sms&status=queued');
    expect(queued.json.items.map((n: Json) => n.nextAttemptAt)).toEqual([
      '2026-11-23T07:00:00.000Z',
      '2026-11-23T07:00:00.000Z',
    ]);
    // The user chose SMS and in-app only: no e-mail about CP-4.
    expect(smtp.mails.filter((m) => m.subject.includes('CP-4'))).toEqual([]);

    // CP-6 is back at 23:20: its held SMS is dropped, and the recovery goes where the crew was told.
    await send('CP-6', 13 * 3600 + 20 * MIN, [ev.connected()]);
    await waitFor(
      () => online('CP-6'),
      (v) => v,
    );
    clock(13 * 3600 + 21 * MIN);
    await settle();
    const after = await api('tech@wire.test', 'GET', '/api/notifications/inbox');
    expect(after.json.items.map((i: Json) => i.subject)).toContain('[RESOLVED] CP-6 offline at Wire Depot');

    clock(21 * 3600 + 1 * MIN); // 07:01 the next morning
    await settle();
    expect(smsAbout('CP-4')).toHaveLength(1);
    expect(smsAbout('CP-6')).toEqual([]);
    const dropped = await api('tech@wire.test', 'GET', '/api/notifications?channel=sms&status=failed');
    expect(dropped.json.items.map((n: Json) => [n.subject, n.lastError])).toEqual([
      [
        '[WARNING] CP-6 offline at Wire Depot',
        'superseded: the incident resolved before the quiet hours ended',
      ],
    ]);
  });

  it('retries an e-mail the relay refuses for now and delivers it once', async () => {
    await api('admin@Wire.test', 'PUT', `/api/alerts/recipients/${ids['tech']}`, {
      phone: TECH_PHONE,
      channels: ['email'],
      quietHours: null,
    });
    smtp.failNext = 1;
    await send('CP-5', 21 * 3600 + 2 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-5'),
      (v) => !v,
    );
    clock(21 * 3600 + 13 * MIN);
    await settle();
    expect(smtp.mails.filter((m) => m.subject.includes('CP-5'))).toEqual([]);
    const queued = await api('tech@wire.test', 'GET', '/api/notifications?channel=email&status=queued');
    expect(queued.json.items).toHaveLength(1);
    expect(queued.json.items[0].lastError).toContain('451');
    clock(21 * 3600 + 14 * MIN);
    await settle();
    const mails = smtp.mails.filter((m) => m.subject.includes('CP-5'));
    expect(mails.map((m) => m.to)).toEqual([['tech@wire.test']]);
    const sent = await api('tech@wire.test', 'GET', '/api/notifications?channel=email&status=sent');
    expect(sent.json.items.find((n: Json) => n.subject.includes('CP-5'))).toMatchObject({ attempts: 2 });
  });
});
