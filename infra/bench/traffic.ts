/**
 * Traffic shapes a StationPool can drive: `paced` (each station on its own realistic timetable, the
 * timetables spread evenly so the offered load is flat) and `flatOut` (every station sends its next
 * CALL as soon as the previous one is answered: the saturation load OCPP allows).
 */
import { meterValues } from './ocpp-frames.js';
import { CallFailedError, type StationPool } from './station-pool.js';

export interface TrafficResult {
  latenciesMs: Record<string, number[]>;
  completed: number;
  failures: Record<string, number>;
  elapsedMs: number;
}

export interface PacedOptions {
  durationMs: number;
  /** Each station's MeterValues interval, spread evenly over [min, max]. */
  meterIntervalMs: readonly [number, number];
  heartbeatIntervalMs: number;
  instantsPerFrame: number;
}

/** Fractional parts of multiples of these irrationals spread values evenly and uncorrelated. */
const SPREAD_A = 0.6180339887;
const SPREAD_B = 0.7548776662;
const spread = (i: number, k: number) => (i * k) % 1;

export function paced(pool: StationPool, o: PacedOptions): Promise<TrafficResult> {
  const recorder = new Recorder();
  const deadline = Date.now() + o.durationMs;
  const timers = new Set<NodeJS.Timeout>();
  const calls: Promise<void>[] = [];
  const every = (index: number, intervalMs: number, firstMs: number, send: () => [string, unknown]) => {
    let timer: NodeJS.Timeout;
    const fire = () => {
      timers.delete(timer);
      if (Date.now() >= deadline) return;
      const [action, payload] = send();
      calls.push(recorder.track(action, pool.call(index, action, payload)));
      timer = setTimeout(fire, intervalMs);
      timers.add(timer);
    };
    timer = setTimeout(fire, firstMs);
    timers.add(timer);
  };
  const [minMs, maxMs] = o.meterIntervalMs;
  for (let i = 0; i < pool.size; i++) {
    const meterMs = minMs + (maxMs - minMs) * spread(i, SPREAD_A);
    let clockMs = Date.now();
    every(i, meterMs, meterMs * spread(i, SPREAD_B), () => {
      clockMs += o.instantsPerFrame * 1000;
      return ['MeterValues', meterValues(1, clockMs, o.instantsPerFrame, 1000)];
    });
    every(i, o.heartbeatIntervalMs, o.heartbeatIntervalMs * spread(i, SPREAD_A * SPREAD_B), () => [
      'Heartbeat',
      {},
    ]);
  }
  return new Promise<TrafficResult>((resolve) => {
    setTimeout(() => {
      for (const t of timers) clearTimeout(t);
      void Promise.all(calls).then(() => resolve(recorder.result()));
    }, o.durationMs);
  });
}

export interface FlatOutOptions {
  /** Checked before each CALL; the run ends when it returns true (and the in-flight calls finish). */
  done: () => boolean;
  /** The next CALL of station `index`. */
  next: (index: number) => [string, unknown];
  /** Each answered CALL, with the round trip. */
  onReply?: (index: number, action: string, rttMs: number) => void;
}

export async function flatOut(pool: StationPool, o: FlatOutOptions): Promise<TrafficResult> {
  const recorder = new Recorder();
  await Promise.all(
    Array.from({ length: pool.size }, async (_, index) => {
      // A station whose socket is gone stops; the failure is counted.
      for (let failures = 0; !o.done() && failures < 3;) {
        const [action, payload] = o.next(index);
        try {
          const rttMs = await pool.call(index, action, payload);
          recorder.add(action, rttMs);
          o.onReply?.(index, action, rttMs);
        } catch (error) {
          recorder.fail(error);
          failures++;
        }
      }
    }),
  );
  return recorder.result();
}

/** A `done` for a flat-out run of fixed length. */
export const until = (durationMs: number) => {
  const deadline = Date.now() + durationMs;
  return () => Date.now() >= deadline;
};

class Recorder {
  private readonly started = Date.now();
  private readonly latenciesMs: Record<string, number[]> = {};
  private readonly failures: Record<string, number> = {};
  private completed = 0;

  add(action: string, rttMs: number): void {
    (this.latenciesMs[action] ??= []).push(rttMs);
    this.completed++;
  }

  fail(error: unknown): void {
    const code = error instanceof CallFailedError ? error.code : String(error).slice(0, 60);
    this.failures[code] = (this.failures[code] ?? 0) + 1;
  }

  track(action: string, call: Promise<number>): Promise<void> {
    return call.then(
      (rttMs) => this.add(action, rttMs),
      (error: unknown) => this.fail(error),
    );
  }

  result(): TrafficResult {
    return {
      latenciesMs: this.latenciesMs,
      completed: this.completed,
      failures: this.failures,
      elapsedMs: Date.now() - this.started,
    };
  }
}
