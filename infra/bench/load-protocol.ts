/** Messages between the benchmark runner and its load-generator child processes (load-worker.ts). */
import type { ConnectOutcome } from './station-pool.js';
import type { PacedOptions, TrafficResult } from './traffic.js';

export type WorkerRequest =
  | { type: 'connect'; ocppUrl: string; identities: string[]; concurrency: number }
  | { type: 'paced'; options: PacedOptions }
  | { type: 'flat-out'; durationMs: number; instantsPerFrame: number }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'connected'; outcome: ConnectOutcome; held: number; dropped: number }
  | { type: 'traffic'; result: TrafficResult; held: number; dropped: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
