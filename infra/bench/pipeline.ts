/**
 * Meter samples from charger frames to committed PostgreSQL rows, through the real path: edge agent
 * (validation, outbox) → JetStream → cloud ingest → `meter_samples`.
 *
 * Throughput: 500 chargers send MeterValues of 20 instants × 10 sampled values back to back until
 * 1,000,000 samples are sent; the rate is samples over the time from the first frame until
 * `SELECT count(*) FROM meter_samples`, polled every second, reaches them all.
 * Latency: then a paced load at half that rate, every frame's first row looked up by its key
 * (station, timestamp) every 50 ms from a separate connection; latency = frame written → row visible
 * to that query (so committed), with up to ~50 ms of poll granularity included.
 */
import { performance } from 'node:perf_hooks';
import { sleep } from './children.js';
import { startCloudStack, type CloudStack } from './cloud-stack.js';
import { meterValues, SAMPLES_PER_INSTANT } from './ocpp-frames.js';
import { rawCopy } from './raw-copy.js';
import { rawJetStream } from './raw-jetstream.js';
import { StationPool } from './station-pool.js';
import { flatOut } from './traffic.js';
import { elapsedMs, latencyFigures, rawFigure, rawLimitOf, type Benchmark } from './stats.js';

const STATIONS = 500;
const INSTANTS_PER_FRAME = 20;
const SAMPLES_PER_FRAME = INSTANTS_PER_FRAME * SAMPLES_PER_INSTANT;
const TARGET_SAMPLES = 1_000_000;
const COMMIT_TIMEOUT_MS = 300_000;
const LATENCY_RUN_MS = 20_000;
const POLL_MS = 50;

export const pipeline: Benchmark = {
  name: 'pipeline',
  description:
    `${STATIONS} chargers → edge agent → JetStream → cloud ingest → PostgreSQL (fsync on), all child processes; ` +
    `MeterValues of ${SAMPLES_PER_FRAME} samples (${INSTANTS_PER_FRAME} instants × ${SAMPLES_PER_INSTANT} values) sent back to back ` +
    `until ${TARGET_SAMPLES.toLocaleString('en')} samples, rate = samples / (first frame → count(*) of meter_samples reaches them); ` +
    `latency = frame written → its row visible to a polling query (${POLL_MS} ms polls) at half that rate`,
  async run(progress, earlier) {
    const copy = await rawFigure(rawCopy, 'COPY rate', earlier, progress);
    const js = await rawFigure(rawJetStream, 'publish rate, 1000 in flight', earlier, progress);
    const stack = await startCloudStack(STATIONS, progress);
    const pool = new StationPool(stack.edge.ocppUrl);
    try {
      const outcome = await pool.connect(stack.identities, 50);
      if (outcome.connected < STATIONS) {
        throw new Error(`only ${outcome.connected} chargers connected: ${JSON.stringify(outcome.failures)}`);
      }
      // Each charger's meter clock starts two hours back and moves one second per instant, so every
      // sample is a distinct row; the latency phase continues on the same clocks.
      const clocks = new Array<number>(STATIONS).fill(Date.now() - 2 * 3600_000);
      const nextFrame = (i: number) => {
        const startMs = clocks[i]!;
        clocks[i] = startMs + INSTANTS_PER_FRAME * 1000;
        return { startMs, payload: meterValues(1, startMs, INSTANTS_PER_FRAME, 1000) };
      };
      const before = await countSamples(stack);

      progress(`sending ${TARGET_SAMPLES.toLocaleString('en')} samples`);
      const started = process.hrtime.bigint();
      let framesLeft = TARGET_SAMPLES / SAMPLES_PER_FRAME;
      const sent = await flatOut(pool, {
        done: () => framesLeft <= 0,
        next: (i) => {
          framesLeft--;
          return ['MeterValues', nextFrame(i).payload];
        },
      });
      const answeredS = elapsedMs(started) / 1000;
      progress(
        `${sent.completed} frames answered by the edge in ${answeredS.toFixed(1)} s; waiting for commits`,
      );
      const target = before + sent.completed * SAMPLES_PER_FRAME;
      const deadline = Date.now() + COMMIT_TIMEOUT_MS;
      let committed = before;
      while (committed < target && Date.now() < deadline) {
        await sleep(1_000);
        const now = await countSamples(stack);
        if (now !== committed) progress(`${(now - before).toLocaleString('en')} samples committed`);
        committed = now;
      }
      const seconds = elapsedMs(started) / 1000;
      const samplesPerS = (committed - before) / seconds;
      const stopNote = committed < target ? `only ${committed - before} of ${target - before} committed` : '';

      progress(`paced at ${(samplesPerS / 2).toFixed(0)} samples/s for ${LATENCY_RUN_MS / 1000} s`);
      const latencies = await commitLatencies(stack, pool, nextFrame, samplesPerS / 2 / SAMPLES_PER_FRAME);
      return [
        {
          metric: 'meter samples committed per second',
          value: samplesPerS,
          unit: 'rows/s',
          rawLimit: rawLimitOf(rawCopy, copy),
          ...(stopNote ? { note: stopNote } : {}),
        },
        {
          metric: 'meter samples answered by the edge per second',
          value: (sent.completed * SAMPLES_PER_FRAME) / answeredS,
          unit: 'samples/s',
          note: 'in the edge outbox, not yet committed in PostgreSQL',
        },
        {
          metric: `meter.samples events committed per second (${SAMPLES_PER_FRAME} samples each)`,
          value: samplesPerS / SAMPLES_PER_FRAME,
          unit: 'msg/s',
          rawLimit: rawLimitOf(rawJetStream, js),
          note: 'raw messages are 400 B, these ~30 KB',
        },
        ...latencyFigures('frame → committed row', latencies).map((f) => ({
          ...f,
          note: `${latencies.length} frames at ${(samplesPerS / 2).toFixed(0)} samples/s`,
        })),
      ];
    } catch (error) {
      progress(`failed; last service output:\n${stack.logs.toString()}`);
      throw error;
    } finally {
      progress('stopping chargers and services');
      await pool.close();
      await stack.stop();
    }
  },
};

async function countSamples(stack: CloudStack): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM meter_samples');
  return Number(rows[0]!.n);
}

/**
 * Sends `framesPerS` frames per second spread over the chargers for LATENCY_RUN_MS and returns, for
 * each frame whose row appeared, the ms from writing the frame to seeing its first row.
 */
async function commitLatencies(
  stack: CloudStack,
  pool: StationPool,
  nextFrame: (i: number) => { startMs: number; payload: unknown },
  framesPerS: number,
): Promise<number[]> {
  const pending = new Map<string, { stationId: string; at: Date; sentAt: number }>();
  const latencies: number[] = [];
  let sending = true;
  const intervalMs = (pool.size / framesPerS) * 1000;
  const senders = Array.from({ length: pool.size }, async (_, i) => {
    await sleep((intervalMs * i) / pool.size);
    while (sending) {
      const frame = nextFrame(i);
      const stationId = stack.stationIds.get(pool.identity(i))!;
      pending.set(`${stationId}@${frame.startMs}`, {
        stationId,
        at: new Date(frame.startMs),
        sentAt: performance.now(),
      });
      await pool.call(i, 'MeterValues', frame.payload).catch(() => undefined);
      await sleep(intervalMs);
    }
  });
  const deadline = Date.now() + LATENCY_RUN_MS;
  const drainUntil = deadline + 30_000;
  while (Date.now() < drainUntil && (Date.now() < deadline || pending.size > 0)) {
    if (Date.now() >= deadline) sending = false;
    const keys = [...pending.values()];
    if (keys.length > 0) {
      const { rows } = await stack.db.query<{ station_id: string; at: Date }>(
        `SELECT DISTINCT m.station_id, m.at FROM meter_samples m
           JOIN unnest($1::uuid[], $2::timestamptz[]) AS k(station_id, at)
             ON m.station_id = k.station_id AND m.at = k.at`,
        [keys.map((k) => k.stationId), keys.map((k) => k.at)],
      );
      const seenAt = performance.now();
      for (const row of rows) {
        const key = `${row.station_id}@${row.at.getTime()}`;
        const frame = pending.get(key);
        if (!frame) continue;
        latencies.push(seenAt - frame.sentAt);
        pending.delete(key);
      }
    }
    await sleep(POLL_MS);
  }
  sending = false;
  await Promise.all(senders);
  return latencies;
}
