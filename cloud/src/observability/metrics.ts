/** Prometheus metrics of one cloud process, on its own registry (tests create several processes). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly ingestBatchSize: Histogram;
  readonly ingestRows: Counter<'table'>;
  readonly ingestLagS: Gauge;
  readonly ingestPending: Gauge;
  readonly ingestFailures: Counter<'kind'>;
  readonly deadLetters: Counter<'code'>;
  readonly liveEmits: Counter<'event'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    ingestBatchSize: new Histogram({
      name: 'voltmesh_ingest_batch_size',
      help: 'Messages per ingest batch',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500],
      registers: [registry],
    }),
    ingestRows: new Counter({
      name: 'voltmesh_ingest_rows_total',
      help: 'Rows inserted by the ingest (rate() gives rows/s)',
      labelNames: ['table'],
      registers: [registry],
    }),
    ingestLagS: new Gauge({
      name: 'voltmesh_ingest_lag_seconds',
      help: 'Seconds between the edge receiving the newest event of the last batch and its commit',
      registers: [registry],
    }),
    ingestPending: new Gauge({
      name: 'voltmesh_ingest_pending_messages',
      help: 'Messages waiting in the consumer at the last fetch',
      registers: [registry],
    }),
    ingestFailures: new Counter({
      name: 'voltmesh_ingest_failures_total',
      help: 'Batches that failed and were nak-ed',
      labelNames: ['kind'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'voltmesh_ingest_dead_letters_total',
      help: 'Messages moved to dead_letters',
      labelNames: ['code'],
      registers: [registry],
    }),
    liveEmits: new Counter({
      name: 'voltmesh_live_emits_total',
      help: 'Socket.IO events emitted',
      labelNames: ['event'],
      registers: [registry],
    }),
  };
}
