/**
 * Alerts end to end: events through NATS and the real ingest, the scheduler driven with an injected
 * clock, SMS through the real `twilio` library to a local fake Twilio, e-mail through nodemailer to
 * a local SMTP server, and the REST API as a crew member and an admin use it.
 */
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import type { StationEvent } from '@voltmesh/contract';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsSender } from '../src/alerts/channels/sms.js';
import { createDispatcher } from '../src/alerts/dispatcher.js';
import { createScheduler } from '../src/alerts/scheduler.js';
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
const TECH_PHONE = '+4915100000001';
const LEAD_PHONE = '+4915100000002';
const MIN = 60;

describe('alerts', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let twilioFake: FakeTwilio;
  let smtp: FakeSmtp;
  let cloud: Cloud;
  let clockMs = Date.parse(at(0));
  const now = () => new Date(clockMs);
  /** Sets the injected clock to `s` seconds after the test's base instant. */
  const clock = (s: number) => {
    clockMs = Date.parse(at(s));
  };
  let seq = 0;
  const ids: Record<string, string> = {};

  const { login, call: api } = signedIn(() => cloud.app);
  /** Publishes station events like the edge; `twice` also redelivers them without JetStream dedupe. */
  const send = async (identity: string, atS: number, events: StationEvent[], twice = false) => {
    const envs = events.map((e) => envelope('acme-1', identity, e, { atS, seq: ++seq }));
    await publish(cloud.nc, envs);
    if (twice) await publish(cloud.nc, envs, { dedupe: false });
  };
  const online = async (identity: string) =>
    (await cloud.db.query<{ online: boolean }>('SELECT online FROM stations WHERE identity = $1', [identity]))
      .rows[0]!.online;
  const incidentsOf = async (identity: string) =>
    (
      await cloud.db.query<{ id: string; status: string; escalation_level: number }>(
        `SELECT i.id, i.status, i.escalation_level FROM incidents i JOIN stations st ON st.id = i.station_id
          WHERE st.identity = $1 AND i.kind = 'station_offline' ORDER BY i.opened_at`,
        [identity],
      )
    ).rows;
  /** Runs the scheduler and the outbox like the loops would, at the injected instant. */
  const settle = async () => {
    const tick = await cloud.alerts.scheduler.tick();
    while ((await cloud.alerts.dispatcher.runOnce()) > 0);
    return tick;
  };
  const smsTo = (phone: string, text: string) =>
    twilioFake.messages.filter((m) => m.to === phone && m.body.includes(text));

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_alerts');
    twilioFake = await startFakeTwilio();
    smtp = await startFakeSmtp();
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
      MAIL_FROM: 'Voltmesh alerts <alerts@voltmesh.test>',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000,
      rollupIntervalMs: 3_600_000,
      edgeSilenceS: 86_400 * 365,
      alerts: { now, loops: false, twilioHttpClient: new FakeTwilioClient(twilioFake.url) },
    });
    const acme = await seedFleet(cloud.db, fleet('Acme', 'acme-1', ['CP-1', 'CP-2', 'CP-3', 'CP-4']));
    const globex = await seedFleet(cloud.db, fleet('Globex', 'globex-1', ['GX-1']));
    ids['acme'] = acme.tenantId;
    ids['globex'] = globex.tenantId;
    ids['site'] = (
      await cloud.db.query<{ id: string }>(`SELECT id FROM sites WHERE code = 'acme-1'`)
    ).rows[0]!.id;
    const hash = await hashPassword(PASSWORD);
    for (const [email, role] of [
      ['tech@acme.test', 'technician'],
      ['lead@acme.test', 'operator'],
    ] as const) {
      const { rows } = await cloud.db.query<{ id: string }>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
        [email, email.split('@')[0], hash],
      );
      ids[email] = rows[0]!.id;
      await cloud.db.query(`INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, $3, $4)`, [
        rows[0]!.id,
        acme.tenantId,
        role,
        role === 'technician' ? ids['site'] : null,
      ]);
    }
    for (const email of ['admin@Acme.test', 'tech@acme.test', 'lead@acme.test', 'admin@Globex.test'])
      await login(email);
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    await twilioFake?.close();
    await smtp?.close();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('seeds the default rules for every tenant', async () => {
    const rules = await api('admin@Acme.test', 'GET', '/api/alerts/rules?limit=100');
    expect(rules.status).toBe(200);
    expect(rules.json.items.map((r: Json) => r.kind).sort()).toEqual([
      'charging_error',
      'connector_faulted',
      'diagnostics_failed',
      'fault_burst',
      'firmware_failed',
      'heartbeat_missed',
      'maintenance_due',
      'security_event',
      'session_stuck',
      'site_unreachable',
      'station_offline',
    ]);
    const offline = rules.json.items.find((r: Json) => r.kind === 'station_offline');
    expect(offline).toMatchObject({
      params: { durationMinutes: 10 },
      notifyOnRecovery: true,
      isDefault: true,
    });
  });

  it('sets up the site crew and their phones through the API', async () => {
    const group = await api('admin@Acme.test', 'POST', '/api/oncall-groups', {
      name: 'Acme Depot crew',
      siteId: ids['site'],
      members: [
        { userId: ids['tech@acme.test'], level: 1 },
        { userId: ids['lead@acme.test'], level: 2 },
      ],
    });
    expect(group.status).toBe(201);
    expect(group.json.members.map((m: Json) => [m.name, m.level])).toEqual([
      ['tech', 1],
      ['lead', 2],
    ]);
    for (const [email, phone] of [
      ['tech@acme.test', TECH_PHONE],
      ['lead@acme.test', LEAD_PHONE],
    ] as const) {
      const put = await api('admin@Acme.test', 'PUT', `/api/alerts/recipients/${ids[email]}`, {
        phone,
        channels: ['sms', 'email', 'in_app'],
        quietHours: null,
      });
      expect(put.status).toBe(200);
      expect(put.json).toMatchObject({ phone, groups: [{ name: 'Acme Depot crew' }] });
    }
  });

  it('sends exactly one SMS and one e-mail to the crew for a charger offline past the threshold, even when its events arrive twice', async () => {
    await send('CP-1', 0, [ev.connected()], true);
    await send('CP-2', 0, [ev.connected()]);
    await send('CP-3', 0, [ev.connected()]);
    await send('CP-4', 0, [ev.connected()]);
    await waitFor(
      () => online('CP-4'),
      (v) => v,
    );
    await send('CP-1', 60, [ev.disconnected()], true);
    await waitFor(
      () => online('CP-1'),
      (v) => !v,
    );

    clock(60 + 5 * MIN);
    await settle();
    expect(await incidentsOf('CP-1')).toEqual([]);

    clock(60 + 11 * MIN);
    await settle();
    // Redelivery and re-evaluation: the same events again, the rules due again.
    await send('CP-1', 60, [ev.disconnected()], true);
    await cloud.alerts.scheduler.kick([ids['acme']!]);
    // Nothing changed: no incident is touched (or pushed to browsers) again.
    expect((await settle()).changed).toEqual([]);
    clock(60 + 12 * MIN);
    expect((await settle()).changed).toEqual([]);

    expect((await incidentsOf('CP-1')).map((i) => i.status)).toEqual(['open']);
    const sms = smsTo(TECH_PHONE, 'CP-1');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain('CP-1 offline at Acme Depot');
    expect(sms[0]!.body).toContain('since 10:01 UTC');
    const stationId = (
      await cloud.db.query<{ id: string }>(`SELECT id FROM stations WHERE identity = 'CP-1'`)
    ).rows[0]!.id;
    expect(sms[0]!.body).toContain(`${PUBLIC_URL}/stations/${stationId}`);
    expect(sms[0]!.statusCallback).toBe(`${PUBLIC_URL}/api/alerts/twilio/status`);
    const mails = smtp.mails.filter((m) => m.subject.includes('CP-1'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['tech@acme.test']);
    expect(mails[0]!.subject).toBe('[WARNING] CP-1 offline at Acme Depot');
    expect(mails[0]!.text).toContain('text/html');
    expect(mails[0]!.text).toContain(`${PUBLIC_URL}/stations/${stationId}`);
    // Nobody outside the first level heard of it.
    expect(twilioFake.messages.filter((m) => m.to !== TECH_PHONE)).toEqual([]);

    const inbox = await api('tech@acme.test', 'GET', '/api/notifications/inbox');
    expect(inbox.json.unread).toBe(1);
    expect(inbox.json.items[0]).toMatchObject({
      subject: '[WARNING] CP-1 offline at Acme Depot',
      readAt: null,
    });
    const read = await api('tech@acme.test', 'POST', '/api/notifications/inbox/read', { all: true });
    expect(read.json).toEqual({ marked: 1, unread: 0 });
  });

  it('resolves the incident when the charger reconnects and sends the recovery message the rule asks for', async () => {
    await send('CP-1', 60 + 13 * MIN, [ev.connected()], true);
    await waitFor(
      () => online('CP-1'),
      (v) => v,
    );
    clock(60 + 14 * MIN);
    await settle();
    const [incident] = await incidentsOf('CP-1');
    expect(incident!.status).toBe('resolved');
    const detail = await api('tech@acme.test', 'GET', `/api/incidents/${incident!.id}`);
    expect(detail.json).toMatchObject({ status: 'resolved', autoResolved: true });
    expect(detail.json.events.map((e: Json) => e.type)).toEqual(['opened', 'auto_resolved']);
    const recovery = smsTo(TECH_PHONE, '[RESOLVED] CP-1 offline at Acme Depot');
    expect(recovery).toHaveLength(1);
    expect(recovery[0]!.body).toContain('after 14 min');
    expect(smtp.mails.filter((m) => m.subject === '[RESOLVED] CP-1 offline at Acme Depot')).toHaveLength(1);
  });

  it('escalates to the next level when nobody acknowledges, and not after an acknowledgement', async () => {
    await send('CP-2', 20 * MIN, [ev.disconnected()]);
    await send('CP-3', 20 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-3'),
      (v) => !v,
    );
    clock(31 * MIN);
    await settle();
    expect(smsTo(TECH_PHONE, 'CP-2')).toHaveLength(1);
    expect(smsTo(TECH_PHONE, 'CP-3')).toHaveLength(1);

    clock(40 * MIN);
    const [cp3] = await incidentsOf('CP-3');
    const ack = await api('tech@acme.test', 'POST', `/api/incidents/${cp3!.id}/acknowledge`, {
      comment: 'on my way',
    });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: { name: 'tech' } });
    await settle();

    // The default rule escalates after 30 minutes without acknowledgement.
    clock(60 + 60 * MIN);
    await settle();
    expect(smsTo(LEAD_PHONE, 'CP-2')).toHaveLength(1);
    expect(smsTo(LEAD_PHONE, 'CP-2')[0]!.body).toContain('[ESCALATED L2 WARNING]');
    expect(smsTo(LEAD_PHONE, 'CP-3')).toEqual([]);
    expect((await incidentsOf('CP-2'))[0]!.escalation_level).toBe(1);
    expect((await incidentsOf('CP-3'))[0]!.escalation_level).toBe(0);

    // Much later: the chain has no further level, nobody is messaged again.
    const before = twilioFake.messages.length;
    clock(60 + 120 * MIN);
    await settle();
    expect(twilioFake.messages.length).toBe(before);
  });

  it('retries SMS through a Twilio outage and delivers each message once after it recovers', async () => {
    await send('CP-4', 130 * MIN, [ev.disconnected()]);
    await waitFor(
      () => online('CP-4'),
      (v) => !v,
    );
    twilioFake.mode = 'error500';
    clock(141 * MIN);
    await settle();
    const row = async () =>
      (
        await cloud.db.query<{
          status: string;
          attempts: number;
          last_error: string | null;
          provider_id: string | null;
        }>(
          `SELECT n.status, n.attempts, n.last_error, n.provider_id FROM notifications n JOIN incidents i ON i.id = n.incident_id
            JOIN stations st ON st.id = i.station_id WHERE st.identity = 'CP-4' AND n.channel = 'sms'`,
        )
      ).rows;
    expect(await row()).toMatchObject([{ status: 'queued', attempts: 1 }]);
    expect((await row())[0]!.last_error).toContain('500');
    // The e-mail did not wait for the SMS provider.
    expect(smtp.mails.filter((m) => m.subject.includes('CP-4'))).toHaveLength(1);

    twilioFake.mode = 'refuse';
    clock(141 * MIN + 31);
    await settle();
    expect(await row()).toMatchObject([{ status: 'queued', attempts: 2 }]);

    twilioFake.mode = 'ok';
    clock(141 * MIN + 40);
    await settle();
    expect(smsTo(TECH_PHONE, 'CP-4')).toEqual([]); // the backoff is not over yet
    // Twilio is back; two cloud processes dispatch at the same moment.
    const second = createDispatcher({
      db: cloud.db,
      now,
      senders: {
        sms: createSmsSender({
          accountSid: twilioFake.accountSid,
          authToken: twilioFake.authToken,
          from: '+15005550006',
          statusCallbackUrl: `${PUBLIC_URL}/api/alerts/twilio/status`,
          httpClient: new FakeTwilioClient(twilioFake.url),
        }),
      },
    });
    clock(141 * MIN + 100);
    await Promise.all([cloud.alerts.dispatcher.runOnce(), second.runOnce()]);
    await settle();
    clock(141 * MIN + 400);
    await settle();
    expect(smsTo(TECH_PHONE, 'CP-4')).toHaveLength(1);
    const [delivered] = await row();
    expect(delivered).toMatchObject({ status: 'sent', attempts: 3 });

    // Twilio's signed status callback marks it delivered; a forged one is refused.
    const sid = delivered!.provider_id!;
    expect(await twilioFake.callback(sid, 'delivered', { deliverTo: cloud.url, badSignature: true })).toBe(
      403,
    );
    expect((await row())[0]!.status).toBe('sent');
    expect(await twilioFake.callback(sid, 'delivered', { deliverTo: cloud.url })).toBe(204);
    expect((await row())[0]!.status).toBe('delivered');

    const history = await api('lead@acme.test', 'GET', '/api/notifications?channel=sms&status=delivered');
    expect(history.json.items.map((n: Json) => n.providerId)).toContain(sid);
  });

  it('evaluates each rule once per tick when two processes run the scheduler at once', async () => {
    const make = () =>
      createScheduler({
        db: cloud.db,
        now,
        publicUrl: PUBLIC_URL,
        intervalMs: 30_000,
        onChanged: async () => {},
        onError: (error) => {
          throw error;
        },
      });
    const enabled = async () =>
      (
        await cloud.db.query<{ id: string; evaluations: number }>(
          'SELECT id, evaluations FROM alert_rules WHERE enabled ORDER BY id',
        )
      ).rows;
    clock(200 * MIN);
    const before = await enabled();
    const [a, b] = await Promise.all([make().tick(), make().tick()]);
    const evaluated = [...a.evaluated, ...b.evaluated].sort();
    expect(evaluated).toEqual(before.map((r) => r.id));
    const after = await enabled();
    expect(after.map((r) => r.evaluations)).toEqual(before.map((r) => r.evaluations + 1));
    // Same instant again: nothing is due.
    const again = await Promise.all([make().tick(), make().tick()]);
    expect(again.flatMap((t) => t.evaluated)).toEqual([]);
  });

  it('answers a bad rule body with problem+json naming the fields', async () => {
    const bad = await api('admin@Acme.test', 'POST', '/api/alerts/rules', {
      name: 'Too eager',
      kind: 'station_offline',
      severity: 'loud',
      params: { durationMinutes: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.json.code).toBe('request.invalid');
    expect(bad.json.errors.map((e: Json) => e.path).sort()).toEqual(['params.durationMinutes', 'severity']);

    const wrongKind = await api('admin@Acme.test', 'POST', '/api/alerts/rules', {
      name: 'Burst',
      kind: 'fault_burst',
      severity: 'warning',
      params: { durationMinutes: 5 },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.errors.map((e: Json) => e.path)).toContain('params.threshold');

    const good = await api('admin@Acme.test', 'POST', '/api/alerts/rules', {
      name: 'Burst',
      kind: 'fault_burst',
      severity: 'warning',
      params: { threshold: 3, windowMinutes: 10 },
      channels: ['email', 'in_app'],
    });
    expect(good.status).toBe(201);
    const patch = await api('admin@Acme.test', 'PATCH', `/api/alerts/rules/${good.json.id}`, {
      params: { hours: 3 },
    });
    expect(patch.status).toBe(400);
    expect(patch.json.errors.map((e: Json) => e.path)).toContain('params.threshold');
  });

  it('keeps incidents and rules of one tenant away from another', async () => {
    const [incident] = await incidentsOf('CP-2');
    const globexList = await api('admin@Globex.test', 'GET', '/api/incidents?limit=500');
    expect(globexList.status).toBe(200);
    expect(JSON.stringify(globexList.json)).not.toContain('CP-');
    for (const [method, path, body] of [
      ['GET', `/api/incidents/${incident!.id}`, undefined],
      ['POST', `/api/incidents/${incident!.id}/acknowledge`, {}],
      ['POST', `/api/incidents/${incident!.id}/resolve`, { comment: 'not mine' }],
    ] as const) {
      const answer = await api('admin@Globex.test', method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.code).toBe('incident.not_found');
    }
    const acmeRule = (await api('admin@Acme.test', 'GET', '/api/alerts/rules?kind=station_offline')).json
      .items[0];
    expect((await api('admin@Globex.test', 'GET', `/api/alerts/rules/${acmeRule.id}`)).status).toBe(404);
    expect(
      (await api('admin@Globex.test', 'PATCH', `/api/alerts/rules/${acmeRule.id}`, { enabled: false }))
        .status,
    ).toBe(404);
    expect((await api('admin@Acme.test', 'GET', `/api/alerts/rules/${acmeRule.id}`)).json.enabled).toBe(true);
    expect((await api('admin@Acme.test', 'GET', `/api/incidents/${incident!.id}`)).json.status).toBe('open');
  });
});
