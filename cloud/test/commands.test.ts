/**
 * Remote commands end to end: the cloud API -> NATS request/reply -> a real edge agent (child
 * process, as in production) -> a simulated OCPP 1.6 charger (@voltmesh/swarm), and back; plus
 * permissions, tenant scoping, force-stop and the audit log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { startSwarm, type Swarm, type SwarmEvent } from '@voltmesh/swarm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { fleet, PASSWORD, seedFleet, waitFor, type Json } from './support.js';

const EDGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'edge-agent');
const SITE = 'acme-cmd';

interface Edge {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `node --import tsx edge-agent/src/main.ts`, OCPP on a free port read back from its log. */
async function startEdge(natsUrl: string): Promise<Edge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vm-cmd-edge-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: EDGE_DIR,
    env: {
      ...process.env,
      SITE_ID: SITE,
      NATS_URL: natsUrl,
      OCPP_HOST: '127.0.0.1',
      OCPP_PORT: '0',
      EDGE_DATA_DIR: dataDir,
      EDGE_ACCEPT_UNKNOWN_STATIONS: 'true',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (b: Buffer) => {
      buffer += b.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('edge agent listening')) continue;
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => reject(new Error(`edge agent exited (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`edge agent did not start in 60 s: ${stderr}`)), 60_000).unref();
  });
  return {
    port,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('remote commands and the audit log', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let cloud: Cloud;
  let edge: Edge | undefined;
  let swarm: Swarm | undefined;
  const ids: Record<string, string> = {};

  const login = async (email: string) => {
    const res = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vitest-commands' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };
  type Session = Awaited<ReturnType<typeof login>>;
  const call = async (who: Session, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${cloud.url}${path}`, {
      method,
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrf,
        'user-agent': 'vitest-commands',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
  };
  const remoteStart = { type: 'remote_start', evseId: 1, idToken: { id: 'RFID-CMD', type: 'ISO14443' } };
  const sessions: Record<string, Session> = {};
  const chargerEvents: SwarmEvent[] = [];

  const addUser = async (email: string, role: string, siteId: string | null = null) => {
    const { rows } = await cloud.db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id`,
      [email, await hashPassword(PASSWORD)],
    );
    await cloud.db.query('INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, $3, $4)', [
      rows[0]!.id,
      ids['acme'],
      role,
      siteId,
    ]);
  };

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_cmd');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      commandTimeouts: { stationTimeoutMs: 4000, natsSlackMs: 1500 },
    });
    await seedFleet(cloud.db, fleet('Acme', SITE, ['CMD-1']));
    await seedFleet(cloud.db, fleet('Globex', 'globex-cmd', ['G-1']));
    const q = async (sql: string, params: unknown[]) =>
      (await cloud.db.query<{ id: string }>(sql, params)).rows[0]!.id;
    ids['acme'] = await q('SELECT id FROM tenants WHERE name = $1', ['Acme']);
    ids['cmd1'] = await q('SELECT id FROM stations WHERE identity = $1', ['CMD-1']);
    ids['g1'] = await q('SELECT id FROM stations WHERE identity = $1', ['G-1']);
    // A second site of Acme whose edge agent never runs.
    ids['lonelySite'] = await q(
      `INSERT INTO sites (tenant_id, code, name) VALUES ($1, 'acme-lonely', 'Lonely') RETURNING id`,
      [ids['acme']],
    );
    ids['lonely'] = await q(
      `INSERT INTO stations (tenant_id, site_id, identity, name) VALUES ($1, $2, 'LONE-1', 'Lone') RETURNING id`,
      [ids['acme'], ids['lonelySite']],
    );
    await addUser('operator@acme.test', 'operator');
    await addUser('viewer@acme.test', 'viewer');
    await addUser('analyst@acme.test', 'analyst');
    await addUser('tech-lonely@acme.test', 'technician', ids['lonelySite']);
    for (const email of [
      'admin@acme.test',
      'operator@acme.test',
      'viewer@acme.test',
      'analyst@acme.test',
      'tech-lonely@acme.test',
      'admin@globex.test',
    ]) {
      sessions[email] = await login(email);
    }

    edge = await startEdge(nats.url);
    swarm = await startSwarm({
      fleet: {
        stations: [
          {
            identity: 'CMD-1',
            url: `ws://127.0.0.1:${edge.port}/ocpp`,
            ocppVersion: 'ocpp1.6',
            connectors: 1,
            maxPowerW: 22_000,
          },
        ],
      },
      scenario: { seed: 3, meterIntervalS: 1, tickMs: 100, defaultHeartbeatIntervalS: 5 },
      autonomous: false,
      onEvent: (e) => void chargerEvents.push(e),
    });
    await waitFor(
      () => Promise.resolve(swarm!.station('CMD-1').snapshot().phase),
      (phase) => phase === 'accepted',
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    await swarm?.stop();
    await edge?.stop();
    await cloud?.stop();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('a remote start reaches the charger, its Accepted comes back and is recorded', async () => {
    const admin = sessions['admin@acme.test']!;
    // The edge's command subscription may need a moment after the charger connected.
    const res = await waitFor(
      () => call(admin, 'POST', `/api/stations/${ids['cmd1']}/commands`, remoteStart),
      (r) => r.body.outcome !== 'offline',
      20_000,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'accepted', detail: null, settings: null, data: null });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    // The charger received it and acted on it: it starts (or, if the edge refuses the tag, tries to).
    await waitFor(
      () => Promise.resolve(chargerEvents),
      (events) => events.some((e) => e.type === 'command' && e.action === 'RemoteStartTransaction'),
    );

    const { rows } = await cloud.db.query(
      `SELECT c.type, c.outcome, c.user_email, c.ip, c.duration_ms, c.command FROM commands c WHERE c.id = $1`,
      [res.body.id],
    );
    expect(rows[0]).toMatchObject({
      type: 'remote_start',
      outcome: 'accepted',
      user_email: 'admin@Acme.test',
    });
    expect(rows[0].ip).toBeTruthy();
    expect(rows[0].command).toEqual(remoteStart);

    const history = await call(admin, 'GET', `/api/stations/${ids['cmd1']}/commands?limit=5`);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({
      id: res.body.id,
      type: 'remote_start',
      outcome: 'accepted',
    });
  }, 60_000);

  it('reads the configuration of the charger', async () => {
    const res = await call(sessions['operator@acme.test']!, 'POST', `/api/stations/${ids['cmd1']}/commands`, {
      type: 'get_configuration',
      settings: [],
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('accepted');
    expect(res.body.settings.length).toBeGreaterThan(0);
  });

  it('a disconnected charger gives offline from the edge', async () => {
    await swarm!.station('CMD-1').disconnect();
    const res = await call(sessions['operator@acme.test']!, 'POST', `/api/stations/${ids['cmd1']}/commands`, {
      type: 'reset',
      kind: 'soft',
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('offline');
    expect(res.body.detail).not.toMatch(/edge agent/);
  });

  it('a site without a running edge agent gives offline naming the edge agent', async () => {
    const res = await call(sessions['admin@acme.test']!, 'POST', `/api/stations/${ids['lonely']}/commands`, {
      type: 'clear_cache',
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('offline');
    expect(res.body.detail).toMatch(/edge agent of site acme-lonely is unreachable/);
  });

  it('refuses viewers and analysts (403 auth.forbidden) and validates the body (400)', async () => {
    for (const email of ['viewer@acme.test', 'analyst@acme.test']) {
      const res = await call(sessions[email]!, 'POST', `/api/stations/${ids['cmd1']}/commands`, remoteStart);
      expect(res.status).toBe(403);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.code).toBe('auth.forbidden');
    }
    const bad = await call(sessions['admin@acme.test']!, 'POST', `/api/stations/${ids['cmd1']}/commands`, {
      type: 'reset',
      kind: 'gentle',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request.invalid');
    const noCsrf = await fetch(`${cloud.url}/api/stations/${ids['cmd1']}/commands`, {
      method: 'POST',
      headers: { cookie: sessions['admin@acme.test']!.cookie, 'content-type': 'application/json' },
      body: JSON.stringify(remoteStart),
    });
    expect(noCsrf.status).toBe(403);
  });

  it("404s another tenant's station and a station outside a site-scoped grant", async () => {
    const other = await call(
      sessions['admin@globex.test']!,
      'POST',
      `/api/stations/${ids['cmd1']}/commands`,
      remoteStart,
    );
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('station.not_found');
    const mine = await call(sessions['admin@acme.test']!, 'GET', `/api/stations/${ids['g1']}/commands`);
    expect(mine.status).toBe(404);
    const tech = sessions['tech-lonely@acme.test']!;
    expect((await call(tech, 'POST', `/api/stations/${ids['cmd1']}/commands`, remoteStart)).status).toBe(404);
    const inScope = await call(tech, 'POST', `/api/stations/${ids['lonely']}/commands`, {
      type: 'clear_cache',
    });
    expect(inScope.status).toBe(200);
  });

  it('force-stop closes the session of an unreachable station in the cloud, with the sampled energy', async () => {
    const { rows } = await cloud.db.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, started_at, meter_start_wh, last_register_wh)
       VALUES ($1, $2, 1, 1, 'TX-FS', now() - interval '30 minutes', 1000, 2500) RETURNING id`,
      [ids['acme'], ids['lonely']],
    );
    const sessionId = rows[0]!.id;
    for (const [minutesAgo, wh] of [
      [20, 1500],
      [10, 2500],
    ] as const) {
      await cloud.db.query(
        `INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, value, unit, context, transaction_id, tenant_id, event_id)
         VALUES (now() - make_interval(mins => $1), $2, 1, 1, 'Energy.Active.Import.Register', $3, 'Wh', 'sample.periodic', 'TX-FS', $4, gen_random_uuid())`,
        [minutesAgo, ids['lonely'], wh, ids['acme']],
      );
    }
    const admin = sessions['admin@acme.test']!;
    const active = await call(admin, 'GET', `/api/stations/${ids['lonely']}/active-sessions`);
    expect(active.body.items).toEqual([expect.objectContaining({ sessionId, transactionId: 'TX-FS' })]);

    const noReason = await call(admin, 'POST', `/api/sessions/${sessionId}/force-stop`, {});
    expect(noReason.status).toBe(400);
    const viewer = await call(
      sessions['viewer@acme.test']!,
      'POST',
      `/api/sessions/${sessionId}/force-stop`,
      {
        reason: 'nope',
      },
    );
    expect(viewer.status).toBe(403);

    const res = await call(admin, 'POST', `/api/sessions/${sessionId}/force-stop`, { reason: 'cable stuck' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sessionId,
      action: 'closed_in_cloud',
      command: null,
      session: { status: 'stopped_by_operator', energyWh: 1500 },
    });
    const stored = await cloud.db.query(
      'SELECT status, force_stop_reason, force_stopped_by, ended_at FROM sessions WHERE id = $1',
      [sessionId],
    );
    expect(stored.rows[0]).toMatchObject({ status: 'stopped_by_operator', force_stop_reason: 'cable stuck' });
    expect(stored.rows[0].ended_at).toBeInstanceOf(Date);
    const again = await call(admin, 'POST', `/api/sessions/${sessionId}/force-stop`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('session.not_active');
    const globex = await call(
      sessions['admin@globex.test']!,
      'POST',
      `/api/sessions/${sessionId}/force-stop`,
      {
        reason: 'not mine',
      },
    );
    expect(globex.status).toBe(404);
  });

  it('the audit log lists commands, force-stops and logins for admins only, tenant-scoped', async () => {
    const bad = await fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@acme.test', password: 'wrong password' }),
    });
    expect(bad.status).toBe(401);

    const admin = sessions['admin@acme.test']!;
    const commands = await call(admin, 'GET', '/api/audit?action=command.sent&limit=50');
    expect(commands.status).toBe(200);
    expect(commands.body.total).toBeGreaterThanOrEqual(4);
    const start = commands.body.items.find((i: Json) => i.details.command?.type === 'remote_start');
    expect(start).toMatchObject({
      action: 'command.sent',
      userEmail: 'admin@Acme.test',
      targetType: 'station',
      targetId: ids['cmd1'],
      userAgent: 'vitest-commands',
      details: { outcome: 'accepted', stationIdentity: 'CMD-1' },
    });
    const times = commands.body.items.map((i: Json) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const forced = await call(admin, 'GET', '/api/audit?action=session.force_stopped');
    expect(forced.body.items[0].details).toMatchObject({ reason: 'cable stuck', action: 'closed_in_cloud' });
    const failed = await call(admin, 'GET', '/api/audit?action=auth.login_failed&actor=operator');
    expect(failed.body.items[0]).toMatchObject({ userEmail: 'operator@acme.test', userId: null });
    const logins = await call(admin, 'GET', '/api/audit?action=auth.login&actor=admin');
    expect(logins.body.items[0]).toMatchObject({ action: 'auth.login', userEmail: 'admin@Acme.test' });
    const search = await call(admin, 'GET', '/api/audit?q=LONE-1&limit=1&offset=0');
    expect(search.body.items).toHaveLength(1);
    expect(search.body.total).toBeGreaterThanOrEqual(2);

    const globex = await call(sessions['admin@globex.test']!, 'GET', '/api/audit?action=command.sent');
    expect(globex.body.total).toBe(0);
    const operator = await call(sessions['operator@acme.test']!, 'GET', '/api/audit');
    expect(operator.status).toBe(403);
    expect(operator.body.code).toBe('auth.forbidden');
    const badQuery = await call(admin, 'GET', '/api/audit?action=teleport');
    expect(badQuery.status).toBe(400);
  });
});
