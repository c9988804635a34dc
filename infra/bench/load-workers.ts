/**
 * The runner's side of the load-generator processes: forks them (`node --import tsx load-worker.ts`),
 * sends each one request at a time and merges their answers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerReply, WorkerRequest } from './load-protocol.js';
import type { TrafficResult } from './traffic.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export class LoadWorkerError extends Error {
  readonly code = 'VM_BENCH_LOAD_WORKER';
}

export interface LoadWorkers {
  readonly count: number;
  /** Sends one request to every worker (`forWorker(i)` builds worker i's) and waits for all replies. */
  all(forWorker: (index: number) => WorkerRequest): Promise<WorkerReply[]>;
  stop(): Promise<void>;
}

export async function startLoadWorkers(count: number, cwd: string): Promise<LoadWorkers> {
  const children: ChildProcess[] = [];
  const request = (child: ChildProcess, message: WorkerRequest | null) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new LoadWorkerError(`load worker ${child.pid} exited (${code ?? 'signal'})`));
      child.once('exit', onExit);
      child.once('message', (reply: WorkerReply) => {
        child.off('exit', onExit);
        if (reply.type === 'failed') reject(new LoadWorkerError(`load worker: ${reply.message}`));
        else resolve(reply);
      });
      if (message) child.send(message);
    });
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    for (let i = 0; i < count; i++) {
      const child = fork(WORKER, [], {
        cwd,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
    }
    await Promise.all(children.map((c) => request(c, null)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    count,
    all: (forWorker) => Promise.all(children.map((c, i) => request(c, forWorker(i)))),
    stop,
  };
}

/** One TrafficResult from the workers' results: latencies concatenated, counts summed, the longest time. */
export function mergeTraffic(replies: readonly WorkerReply[]): TrafficResult {
  const merged: TrafficResult = { latenciesMs: {}, completed: 0, failures: {}, elapsedMs: 0 };
  for (const reply of replies) {
    if (reply.type !== 'traffic') continue;
    const r = reply.result;
    for (const [action, values] of Object.entries(r.latenciesMs)) {
      const into = (merged.latenciesMs[action] ??= []);
      for (const v of values) into.push(v);
    }
    for (const [code, n] of Object.entries(r.failures))
      merged.failures[code] = (merged.failures[code] ?? 0) + n;
    merged.completed += r.completed;
    merged.elapsedMs = Math.max(merged.elapsedMs, r.elapsedMs);
  }
  return merged;
}

/** Splits `items` into `parts` interleaved slices. */
export function split<T>(items: readonly T[], parts: number, part: number): T[] {
  return items.filter((_, i) => i % parts === part);
}
