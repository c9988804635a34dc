/**
 * The edge process (main.ts, as deployed) is killed with SIGKILL while chargers stream messages,
 * then restarted on the same data dir: every message a charger got a reply for reaches JetStream,
 * exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  charger,
  ensureEventsStream,
  eventually,
  natsConnect,
  readSiteEvents,
  tempDir,
  uniqueSiteId,
  type TestCharger,
} from './support/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATIONS = ['K9-A', 'K9-B', 'K9-C'];

interface Health {
  outbox: { depth: number };
  nats: { connected: boolean };
}

describe('edge killed with SIGKILL mid-stream', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let child: ChildProcess | undefined;
  let port: number;
  const siteId = uniqueSiteId('kill9');

  const startEdge = async (): Promise<void> => {
    // node --import tsx (not the tsx CLI, which forks a child a SIGKILL would orphan).
    const proc = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        SITE_ID: siteId,
        OCPP_PORT: String(port),
        NATS_URL: testServices().natsUrl,
        EDGE_DATA_DIR: dir.path,
        EDGE_ACCEPT_UNKNOWN_STATIONS: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = proc;
    const ok = await eventually(
      () =>
        health().then(
          () => true,
          () => proc.exitCode !== null,
        ),
      (v) => v,
      30_000,
    );
    if (!ok || proc.exitCode !== null) throw new Error('edge agent did not come up');
  };
  const health = async (): Promise<Health> => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    if (res.status !== 200) throw new Error(`health ${res.status}`);
    return (await res.json()) as Health;
  };
  const kill9 = async (): Promise<void> => {
    const proc = child!;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    child = undefined;
  };

  beforeAll(async () => {
    dir = await tempDir();
    port = await freePort();
    const nc = await natsConnect(testServices().natsUrl);
    await ensureEventsStream(nc);
    await nc.close();
    await startEdge();
  });
  afterAll(async () => {
    if (child) await kill9();
    await dir?.remove();
  });

  it('loses nothing a charger got a reply for', async () => {
    const acked = new Set<string>();
    const runStation = async (id: string, stopAfter: () => boolean): Promise<void> => {
      const cp: TestCharger = charger(`ws://127.0.0.1:${port}/ocpp`, id, 'ocpp1.6', { callTimeoutMs: 3000 });
      cp.on('callResult', (e: { outbound: boolean; messageId: string }) => {
        if (e.outbound) acked.add(e.messageId);
      });
      try {
        await cp.connect();
        await cp.call('BootNotification', { chargePointVendor: 'Voltmesh', chargePointModel: 'K9' });
        for (let i = 0; !stopAfter(); i++) {
          const status = i % 2 === 0 ? 'Preparing' : 'Available';
          await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status });
        }
      } catch {
        // the edge went away under us; what was acknowledged is in `acked`
      } finally {
        await cp.close({ force: true }).catch(() => undefined);
      }
    };

    const streaming = Promise.all(STATIONS.map((id) => runStation(id, () => false)));
    await eventually(
      () => acked.size,
      (n) => n >= 150,
    );
    await kill9();
    await streaming;
    const beforeKill = acked.size;
    expect(beforeKill).toBeGreaterThanOrEqual(150);

    await startEdge();
    let more = 0;
    await Promise.all(STATIONS.map((id) => runStation(id, () => more++ >= 30)));
    const drained = await eventually(
      () => health(),
      (h) => h.outbox.depth === 0 && h.nats.connected,
      30_000,
    );
    expect(drained.outbox.depth).toBe(0);

    const nc = await natsConnect(testServices().natsUrl);
    const events = await readSiteEvents(nc, siteId);
    await nc.close();
    const byMessage = new Map<string, number>();
    for (const e of events) {
      if (e.source.kind === 'ocpp')
        byMessage.set(e.source.messageId, (byMessage.get(e.source.messageId) ?? 0) + 1);
    }
    const missing = [...acked].filter((id) => !byMessage.has(id));
    expect(missing).toEqual([]);
    expect([...byMessage.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const station of STATIONS) {
      const seqs = events.filter((e) => e.stationId === station).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
  });
});
