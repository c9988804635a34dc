/**
 * Charger frame → dashboard event: 100 Socket.IO clients, each logged in as the seeded admin through
 * POST /api/auth/login, receive `station:update`. A charger sends a StatusNotification that flips
 * its connector from Available to Preparing; the latency is from writing that frame to each
 * client receiving the update showing the new status (chargers and clients live in this process, so
 * one clock measures both ends). Meanwhile all 500 chargers send MeterValues every 10–60 s.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { BENCH_ADMIN } from './bench-fleet.js';
import { sleep } from './children.js';
import { startCloudStack } from './cloud-stack.js';
import { statusNotification, type ConnectorStatus16 } from './ocpp-frames.js';
import { StationPool } from './station-pool.js';
import { latencyFigures, type Benchmark, type Figure } from './stats.js';
import { paced } from './traffic.js';

const STATIONS = 500;
const CLIENTS = 100;
const PROBES = 150;
const PROBE_INTERVAL_MS = 200;
const STRAGGLER_WAIT_MS = 10_000;

interface StationUpdate {
  identity: string;
  connectors: { rawStatus: string }[];
}

interface Probe {
  status: ConnectorStatus16;
  sentAt: number;
  received: Set<number>;
}

export const live: Benchmark = {
  name: 'live',
  description:
    `${CLIENTS} Socket.IO clients logged in as the admin; ${PROBES} StatusNotifications (one every ${PROBE_INTERVAL_MS} ms, ` +
    `each from a different one of ${STATIONS} chargers, Available → Preparing) → \`station:update\` at every client, through edge, JetStream, ` +
    'ingest commit, NATS live subject and Socket.IO; background MeterValues every 10–60 s per charger',
  async run(progress) {
    const stack = await startCloudStack(STATIONS, progress);
    const pool = new StationPool(stack.edge.ocppUrl);
    const sockets: Socket[] = [];
    try {
      const outcome = await pool.connect(stack.identities, 50);
      if (outcome.connected < STATIONS) {
        throw new Error(`only ${outcome.connected} chargers connected: ${JSON.stringify(outcome.failures)}`);
      }
      progress(`logging in ${CLIENTS} dashboard clients`);
      const probes = new Map<string, Probe>();
      const latencies: number[] = [];
      for (let c = 0; c < CLIENTS; c++) {
        const socket = io(stack.cloudUrl, {
          path: '/socket.io',
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { cookie: `vm_session=${await login(stack.cloudUrl)}` },
        });
        sockets.push(socket);
        socket.on('station:update', (update: StationUpdate) => {
          const probe = probes.get(update.identity);
          if (!probe || probe.received.has(c)) return;
          if (!update.connectors.some((k) => k.rawStatus === probe.status)) return;
          probe.received.add(c);
          latencies.push(performance.now() - probe.sentAt);
        });
      }
      await Promise.all(sockets.map((s) => connected(s)));
      // Let the boot-time updates of 500 chargers pass before probing.
      await sleep(5_000);

      progress(
        `${CLIENTS} clients connected; ${PROBES} probes over ${(PROBES * PROBE_INTERVAL_MS) / 1000} s`,
      );
      const background = paced(pool, {
        durationMs: PROBES * PROBE_INTERVAL_MS,
        meterIntervalMs: [10_000, 60_000],
        heartbeatIntervalMs: 300_000,
        instantsPerFrame: 1,
      });
      const calls: Promise<unknown>[] = [];
      for (let p = 0; p < PROBES; p++) {
        const station = (p * 7) % STATIONS; // 7 and 500 are coprime: PROBES distinct chargers
        const identity = pool.identity(station);
        // Each probe is a different charger whose connector was Available: a real change to show.
        const status: ConnectorStatus16 = 'Preparing';
        probes.set(identity, { status, sentAt: performance.now(), received: new Set() });
        calls.push(
          pool.call(station, 'StatusNotification', statusNotification(1, status, new Date())).catch(() => 0),
        );
        await sleep(PROBE_INTERVAL_MS);
      }
      await Promise.all([...calls, background]);
      const expected = PROBES * CLIENTS;
      for (let waited = 0; latencies.length < expected && waited < STRAGGLER_WAIT_MS; waited += 250) {
        await sleep(250);
      }
      const missing = expected - latencies.length;
      progress(`${latencies.length} of ${expected} deliveries received`);
      const figures: Figure[] = latencyFigures('StatusNotification → station:update', latencies).map((f) => ({
        ...f,
        note: `${CLIENTS} clients × ${PROBES} probes`,
      }));
      figures.push({ metric: 'deliveries missing', value: missing, unit: `of ${expected}` });
      return figures;
    } catch (error) {
      progress(`failed; last service output:\n${stack.logs.toString()}`);
      throw error;
    } finally {
      progress('closing clients, chargers and services');
      for (const s of sockets) s.disconnect();
      await pool.close();
      await stack.stop();
    }
  },
};

/** The vm_session cookie of a fresh admin session. */
async function login(cloudUrl: string): Promise<string> {
  const response = await fetch(`${cloudUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
  const token = /(?:^|[;,]\s*)vm_session=([^;]+)/.exec(response.headers.getSetCookie().join('; '))?.[1];
  if (!token) throw new Error('login answered without a vm_session cookie');
  return token;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('Socket.IO connection timed out')), 30_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
