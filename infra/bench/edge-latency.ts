/**
 * OCPP reply latency of one edge agent under a realistic load, and its message rate at saturation.
 *
 * Realistic: each charger sends MeterValues (one instant of 10 sampled values) every 10–60 s and a
 * Heartbeat every 300 s, its own interval and phase spread evenly across the fleet; the timetable is
 * compressed ×5 so a 60 s run carries 5 minutes of traffic. Saturation: every charger sends its next
 * MeterValues as soon as the previous one is answered (one outstanding CALL per connection, as OCPP
 * allows), through schema validation and the durable outbox. Latency is measured at the charger from
 * writing the frame to reading the reply.
 */
import { REPO_ROOT, sleep } from './children.js';
import { startEdgeAgent, startEdgeUplink, type EdgeAgent } from './edge-process.js';
import { benchIdentity } from './bench-fleet.js';
import { mergeTraffic, split, startLoadWorkers, type LoadWorkers } from './load-workers.js';
import { rawWs } from './raw-ws.js';
import { latencyFigures, rawFigure, rawLimitOf, type Benchmark, type Figure } from './stats.js';
import type { TrafficResult } from './traffic.js';

const LEVELS = [500, 5_000];
const WORKERS = 2;
const COMPRESSION = 5;
const PACED_MS = 60_000;
const SATURATION_MS = 20_000;
const WARM_UP_MS = 3_000;
const METER_INTERVAL_MS = [10_000 / COMPRESSION, 60_000 / COMPRESSION] as const;
const HEARTBEAT_INTERVAL_MS = 300_000 / COMPRESSION;

export const edgeLatency: Benchmark = {
  name: 'edge-latency',
  description:
    `One edge agent (child process). Reply latency at ${LEVELS.map((l) => l.toLocaleString('en')).join(' and ')} chargers, ` +
    `each sending MeterValues every 10–60 s and Heartbeat every 300 s (timetable compressed ×${COMPRESSION}, ${PACED_MS / 1000} s run), ` +
    `measured at the charger after a warm-up; then every charger sending MeterValues back to back for ${SATURATION_MS / 1000} s ` +
    '(schema validation + durable SQLite outbox + forwarding to JetStream). Raw limit: ws echo rate of raw-ws',
  async run(progress, earlier) {
    const raw = await rawFigure(rawWs, 'request/response rate', earlier, progress);
    const uplink = await startEdgeUplink();
    const edge = await startEdgeAgent({ natsUrl: uplink.natsUrl, siteId: 'bench-latency' }).catch(
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
      const figures: Figure[] = [];
      let held = 0;
      for (const level of LEVELS) {
        const identities = Array.from({ length: level - held }, (_, i) => benchIdentity('LAT', held + i));
        progress(`connecting chargers up to ${level.toLocaleString('en')}`);
        const connected = await workers.all((w) => ({
          type: 'connect',
          ocppUrl: edge.ocppUrl,
          identities: split(identities, WORKERS, w),
          concurrency: 50,
        }));
        held = connected.reduce((n, r) => n + (r.type === 'connected' ? r.held : 0), 0);
        if (level === LEVELS[0]) await warmUp(edge, workers, progress);
        progress(`${held} connected; paced traffic for ${PACED_MS / 1000} s`);
        const edgeBefore = await edge.metrics();
        const paced = mergeTraffic(
          await workers.all(() => ({
            type: 'paced',
            options: {
              durationMs: PACED_MS,
              meterIntervalMs: METER_INTERVAL_MS,
              heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
              instantsPerFrame: 1,
            },
          })),
        );
        const edgeAfter = await edge.metrics();
        progress(summary(paced));
        const gcMs = (edgeAfter.gcAllS - edgeBefore.gcAllS) * 1000;
        const majorMs = (edgeAfter.gcMajorS - edgeBefore.gcMajorS) * 1000;
        progress(
          `edge during the run: event-loop delay p99 ${edgeAfter.loopDelayP99Ms.toFixed(1)} ms, ` +
            `max ${edgeAfter.loopDelayMaxMs.toFixed(0)} ms; GC ${gcMs.toFixed(0)} ms (major ${majorMs.toFixed(0)} ms)`,
        );
        const offered = `${(paced.completed / (paced.elapsedMs / 1000)).toFixed(0)} msg/s offered`;
        for (const action of ['Heartbeat', 'MeterValues']) {
          for (const f of latencyFigures(`${action} at ${held}`, paced.latenciesMs[action] ?? [])) {
            figures.push({ ...f, note: offered });
          }
        }
        figures.push({
          metric: `edge event-loop delay max during the run at ${held}`,
          value: edgeAfter.loopDelayMaxMs,
          unit: 'ms',
          note: `edge GC in the run: ${gcMs.toFixed(0)} ms, major ${majorMs.toFixed(0)} ms`,
        });
      }

      progress(`all ${held} chargers sending MeterValues back to back for ${SATURATION_MS / 1000} s`);
      const saturated = mergeTraffic(
        await workers.all(() => ({ type: 'flat-out', durationMs: SATURATION_MS, instantsPerFrame: 1 })),
      );
      progress(summary(saturated));
      const health = await edge.health();
      progress(`edge outbox depth after saturation: ${health.outbox.depth}`);
      figures.push(
        {
          metric: `messages handled at saturation (${held} chargers)`,
          value: saturated.completed / (saturated.elapsedMs / 1000),
          unit: 'msg/s',
          rawLimit: rawLimitOf(rawWs, raw),
        },
        ...latencyFigures(`MeterValues at saturation`, saturated.latenciesMs['MeterValues'] ?? []),
      );
      return figures;
    } finally {
      progress('closing chargers and stopping the edge');
      await workers.all(() => ({ type: 'close' })).catch(() => undefined);
      await workers.stop();
      await edge.stop();
      await uplink.dispose();
    }
  },
};

function summary(r: TrafficResult): string {
  const failures = Object.keys(r.failures).length ? `, failures ${JSON.stringify(r.failures)}` : '';
  return `${r.completed} replies in ${(r.elapsedMs / 1000).toFixed(1)} s${failures}`;
}

/** A few seconds flat out so the edge's JIT and caches are warm, then until its outbox has drained. */
async function warmUp(edge: EdgeAgent, workers: LoadWorkers, progress: (m: string) => void): Promise<void> {
  progress(`warming up: ${WARM_UP_MS / 1000} s flat out, then until the edge's outbox drains`);
  await workers.all(() => ({ type: 'flat-out', durationMs: WARM_UP_MS, instantsPerFrame: 1 }));
  for (let i = 0; i < 60 && (await edge.health()).outbox.depth > 100; i++) await sleep(500);
}
