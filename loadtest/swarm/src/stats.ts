/** Counters the swarm keeps for its summary line and for benchmarks. */
import { LatencyHistogram } from './histogram.js';

export interface SwarmStatsSnapshot {
  stations: number;
  connected: number;
  sessionsActive: number;
  sessionsCompleted: number;
  messagesSent: number;
  /** Failed calls of any kind: CALLERROR answers, timeouts, connection failures. */
  errors: number;
  /** Frames that failed strict OCPP schema validation (ours or the server's). */
  schemaErrors: number;
  queuedTransactionMessages: number;
  replyLatencyMs: { p50: number | undefined; p99: number | undefined; samples: number };
}

export class SwarmStats {
  connected = 0;
  sessionsActive = 0;
  sessionsCompleted = 0;
  messagesSent = 0;
  errors = 0;
  schemaErrors = 0;
  readonly latency = new LatencyHistogram();

  snapshot(stations: number, queued: number): SwarmStatsSnapshot {
    return {
      stations,
      connected: this.connected,
      sessionsActive: this.sessionsActive,
      sessionsCompleted: this.sessionsCompleted,
      messagesSent: this.messagesSent,
      errors: this.errors,
      schemaErrors: this.schemaErrors,
      queuedTransactionMessages: queued,
      replyLatencyMs: {
        p50: this.latency.quantileMs(0.5),
        p99: this.latency.quantileMs(0.99),
        samples: this.latency.count,
      },
    };
  }
}
