/**
 * How many chargers one edge agent holds, and what each costs in memory. The edge runs as a child
 * process (with a throwaway nats-server and the events stream, so it forwards as in production); two
 * load-generator processes connect chargers in steps, each doing BootNotification and
 * StatusNotification. Memory per station is the growth of the edge's VmRSS (and of its V8 heap, from
 * its /metrics) since the idle baseline, divided by the stations held.
 */
import { freemem } from 'node:os';
import { freePort } from '../services/index.js';
import { spawnManaged, waitForHttp } from '../stack/processes.js';
import { LogTail, REPO_ROOT, rssBytes, sleep, tsxProcess } from './children.js';
import { startEdgeAgent, startEdgeUplink } from './edge-process.js';
import { benchIdentity } from './bench-fleet.js';
import { startLoadWorkers, split, type LoadWorkers } from './load-workers.js';
import type { Benchmark, Figure } from './stats.js';

const STEPS = [500, 2_000, 5_000, 10_000];
const WORKERS = 2;
/** Stop stepping when less than this is free, rather than let the machine swap. */
const MIN_FREE_BYTES = 2 * 2 ** 30;
const SETTLE_MS = 5_000;
const RAW_CONNECTIONS = 5_000;

export const edgeCapacity: Benchmark = {
  name: 'edge-capacity',
  description:
    `One edge agent (child process), OCPP 1.6 chargers on raw ws connected in steps of ${STEPS.map((s) => s.toLocaleString('en')).join(', ')} ` +
    `by ${WORKERS} load-generator processes, each doing BootNotification + StatusNotification; memory = edge VmRSS ` +
    `(and V8 heap used) growth over the idle edge, divided by stations held, ${SETTLE_MS / 1000} s after each step; raw limit: the same measure for a bare ws server ` +
    `holding ${RAW_CONNECTIONS.toLocaleString('en')} connections`,
  async run(progress) {
    const uplink = await startEdgeUplink();
    const edge = await startEdgeAgent({ natsUrl: uplink.natsUrl, siteId: 'bench-capacity' }).catch(
      async (error: unknown) => {
        await uplink.dispose();
        throw error;
      },
    );
    const workers = await startLoadWorkers(WORKERS, REPO_ROOT).catch(async (error: unknown) => {
      await edge.stop();
      await uplink.dispose();
      throw error;
    });
    try {
      const raw = await rawWsMemory(workers, progress);
      const rawLimit = { name: `bare ws server RSS per connection at ${RAW_CONNECTIONS}`, value: raw };
      await sleep(SETTLE_MS);
      const rss0 = await edge.rssBytes();
      const heap0 = (await edge.metrics()).heapUsedBytes;
      progress(`idle edge: RSS ${mib(rss0)} MiB, heap ${mib(heap0)} MiB`);
      const figures: Figure[] = [];
      let held = 0;
      let previous = { held: 0, rss: rss0 };
      let stoppedBecause = `all steps up to ${STEPS.at(-1)!.toLocaleString('en')} completed`;
      for (const step of STEPS) {
        const identities = Array.from({ length: step - held }, (_, i) => benchIdentity('CAP', held + i));
        progress(`connecting ${identities.length} more chargers (to ${step.toLocaleString('en')})`);
        const started = Date.now();
        const replies = await workers.all((w) => ({
          type: 'connect',
          ocppUrl: edge.ocppUrl,
          identities: split(identities, WORKERS, w),
          concurrency: 50,
        }));
        const failures: Record<string, number> = {};
        held = 0;
        for (const r of replies) {
          if (r.type !== 'connected') continue;
          held += r.held;
          for (const [k, n] of Object.entries(r.outcome.failures)) failures[k] = (failures[k] ?? 0) + n;
        }
        await sleep(SETTLE_MS);
        const health = await edge.health();
        const rss = await edge.rssBytes();
        const heap = (await edge.metrics()).heapUsedBytes;
        const perStationKb = (rss - rss0) / held / 1024;
        const heapPerStationKb = (heap - heap0) / held / 1024;
        progress(
          `${held} held (edge sees ${health.connectedStations}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
            `RSS ${mib(rss)} MiB (${perStationKb.toFixed(1)} KB/station), heap ${mib(heap)} MiB ` +
            `(${heapPerStationKb.toFixed(1)} KB/station), outbox depth ${health.outbox.depth}` +
            (Object.keys(failures).length ? `; failures ${JSON.stringify(failures)}` : ''),
        );
        figures.push(
          {
            metric: `edge RSS per station at ${held}`,
            value: perStationKb,
            unit: 'KB',
            note: 'target ≤ 8',
            rawLimit,
          },
          { metric: `edge V8 heap per station at ${held}`, value: heapPerStationKb, unit: 'KB' },
        );
        if (previous.held > 0) {
          figures.push({
            metric: `edge RSS per added station, ${previous.held} → ${held}`,
            value: (rss - previous.rss) / (held - previous.held) / 1024,
            unit: 'KB',
            note: 'marginal: fixed costs excluded',
            rawLimit,
          });
        }
        previous = { held, rss };
        if (edge.process.child.exitCode !== null) {
          stoppedBecause = `the edge exited at step ${step}:\n${edge.logs.toString()}`;
          break;
        }
        if (held < step) {
          stoppedBecause = `only ${held} of ${step} connected: ${JSON.stringify(failures)}`;
          break;
        }
        if (freemem() < MIN_FREE_BYTES) {
          stoppedBecause = `less than ${mib(MIN_FREE_BYTES)} MiB free after ${step}`;
          break;
        }
      }
      progress(stoppedBecause);
      return [
        { metric: 'stations held concurrently', value: held, unit: 'stations', note: stoppedBecause },
        ...figures,
      ];
    } finally {
      progress('closing chargers and stopping the edge');
      await workers.all(() => ({ type: 'close' })).catch(() => undefined);
      await workers.stop();
      await edge.stop();
      await uplink.dispose();
    }
  },
};

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/**
 * The raw limit: VmRSS growth per connection of a bare `ws` server (ws-echo-server.ts) holding
 * RAW_CONNECTIONS chargers from the same load generators, measured the same way as the edge.
 */
async function rawWsMemory(workers: LoadWorkers, progress: (m: string) => void): Promise<number> {
  const port = await freePort();
  const logs = new LogTail();
  const server = spawnManaged(
    tsxProcess('ws-echo', 'infra/bench/ws-echo-server.ts', [], { WS_ECHO_PORT: String(port) }, logs),
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, server, 30_000);
    await sleep(SETTLE_MS);
    const pid = server.child.pid!;
    const rss0 = await rssBytes(pid);
    const identities = Array.from({ length: RAW_CONNECTIONS }, (_, i) => benchIdentity('RAW', i));
    const replies = await workers.all((w) => ({
      type: 'connect',
      ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
      identities: split(identities, WORKERS, w),
      concurrency: 50,
    }));
    const held = replies.reduce((n, r) => n + (r.type === 'connected' ? r.held : 0), 0);
    await sleep(SETTLE_MS);
    const perConnectionKb = ((await rssBytes(pid)) - rss0) / held / 1024;
    progress(`raw limit: bare ws server, ${held} connections, ${perConnectionKb.toFixed(1)} KB RSS each`);
    await workers.all(() => ({ type: 'close' }));
    return perConnectionKb;
  } finally {
    await server.stop();
  }
}
