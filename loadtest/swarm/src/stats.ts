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

/** Counters the stations bump; live gauges (connected, active sessions) are read from the stations. */
export class SwarmStats {
  sessionsCompleted = 0;
  messagesSent = 0;
  errors = 0;
  schemaErrors = 0;
  readonly latency = new LatencyHistogram();

  snapshot(gauges: {
    stations: number;
    connected: number;
    sessionsActive: number;
    queued: number;
  }): SwarmStatsSnapshot {
    const { stations, connected, sessionsActive, queued } = gauges;
    return {
      stations,
      connected,
      sessionsActive,
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
