/** One edge agent (edge-agent/src/main.ts) as a child process, with its memory and health readable. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { freePort, startNats } from '../services/index.js';
import { spawnManaged, waitForHttp, type ManagedProcess } from '../stack/processes.js';
import { LogTail, promSample, rssBytes, tsxProcess } from './children.js';

export interface EdgeHealth {
  connectedStations: number;
  outbox: { depth: number; oldestAgeS: number };
  nats: { connected: boolean };
  forwardRatePerS: number;
}

export interface EdgeProcessMetrics {
  heapUsedBytes: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Cumulative time in major (mark-compact) GC since start. */
  gcMajorS: number;
  /** Cumulative time in any GC since start. */
  gcAllS: number;
}

export interface EdgeAgent {
  readonly pid: number;
  readonly ocppUrl: string;
  readonly logs: LogTail;
  readonly process: ManagedProcess;
  health(): Promise<EdgeHealth>;
  rssBytes(): Promise<number>;
  /**
   * Process figures from the edge's own /metrics (prom-client default metrics). Reading them resets
   * the event-loop delay histogram, so the delays cover the time since the previous read.
   */
  metrics(): Promise<EdgeProcessMetrics>;
  stop(): Promise<void>;
}

export interface EdgeOptions {
  natsUrl: string;
  siteId: string;
  /** Outbox directory; a temp dir removed on stop when absent. */
  dataDir?: string;
}

export async function startEdgeAgent(o: EdgeOptions): Promise<EdgeAgent> {
  const port = await freePort();
  const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'voltmesh-bench-edge-')));
  const logs = new LogTail();
  const proc = spawnManaged(
    tsxProcess(
      `edge:${o.siteId}`,
      'edge-agent/src/main.ts',
      [],
      {
        NATS_URL: o.natsUrl,
        SITE_ID: o.siteId,
        OCPP_HOST: '127.0.0.1',
        OCPP_PORT: String(port),
        EDGE_DATA_DIR: dataDir,
        EDGE_ACCEPT_UNKNOWN_STATIONS: 'true',
      },
      logs,
    ),
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop(15_000);
    if (o.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${base}/health`, proc, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`edge agent did not start:\n${logs.toString()}`, { cause: error });
  }
  const pid = proc.child.pid!;
  return {
    pid,
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    logs,
    process: proc,
    health: async () => (await (await fetch(`${base}/health`)).json()) as EdgeHealth,
    rssBytes: () => rssBytes(pid),
    metrics: async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const read = (name: string) => promSample(text, `vm_edge_process_${name}`) ?? Number.NaN;
      const gcS = (kind: string) =>
        promSample(text, `vm_edge_process_nodejs_gc_duration_seconds_sum{kind="${kind}"}`) ?? 0;
      return {
        heapUsedBytes: read('nodejs_heap_size_used_bytes'),
        loopDelayP99Ms: read('nodejs_eventloop_lag_p99_seconds') * 1000,
        loopDelayMaxMs: read('nodejs_eventloop_lag_max_seconds') * 1000,
        gcMajorS: gcS('major'),
        gcAllS: gcS('major') + gcS('minor') + gcS('incremental') + gcS('weakcb'),
      };
    },
    stop,
  };
}

/**
 * A throwaway nats-server with the events stream an edge publishes into, for benchmarks without a
 * cloud (the cloud creates the same stream at start, with these limits: cloud/src/ingest/stream.ts).
 */
export async function startEdgeUplink(): Promise<{ natsUrl: string; dispose(): Promise<void> }> {
  const nats = await startNats();
  try {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({
        name: 'VM_EVENTS',
        subjects: ['vm.events.>'],
        storage: StorageType.File,
        max_msg_size: 1024 * 1024,
        duplicate_window: nanos(120_000),
      });
    } finally {
      await nc.close();
    }
  } catch (error) {
    await nats.dispose();
    throw error;
  }
  return { natsUrl: nats.url, dispose: () => nats.dispose() };
}
