/** Prometheus metrics of one edge agent, in its own registry (no global state). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSources {
  connectedStations: () => number;
  outbox: () => { depth: number; bytes: number; oldestAgeS: number; thinnedTotal: number };
  natsConnected: () => boolean;
  forwardedTotal: () => number;
}

export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vm_edge_process_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('vm_edge_connected_stations', 'Stations with an open OCPP WebSocket', sources.connectedStations);
  gauge(
    'vm_edge_outbox_depth',
    'Events committed but not yet acknowledged by JetStream',
    () => sources.outbox().depth,
  );
  gauge('vm_edge_outbox_bytes', 'Bytes of envelopes in the outbox', () => sources.outbox().bytes);
  gauge(
    'vm_edge_outbox_oldest_age_seconds',
    'Age of the oldest unforwarded event',
    () => sources.outbox().oldestAgeS,
  );
  gauge(
    'vm_edge_outbox_thinned_total',
    'Meter-sample events dropped to stay within the disk budget',
    () => sources.outbox().thinnedTotal,
  );
  gauge('vm_edge_nats_connected', '1 while the NATS uplink is connected', () =>
    sources.natsConnected() ? 1 : 0,
  );
  gauge(
    'vm_edge_events_forwarded_total',
    'Events acknowledged by JetStream since start',
    sources.forwardedTotal,
  );
  const ocppCalls = new Counter({
    name: 'vm_edge_ocpp_calls_total',
    help: 'Charger CALLs handled, by version, action and outcome',
    labelNames: ['version', 'action', 'outcome'] as const,
    registers: [registry],
  });
  const refusedUpgrades = new Counter({
    name: 'vm_edge_refused_connections_total',
    help: 'WebSocket handshakes refused, by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const badFrames = new Counter({
    name: 'vm_edge_bad_frames_total',
    help: 'Frames that were not a readable OCPP-J message',
    registers: [registry],
  });
  const commands = new Counter({
    name: 'vm_edge_commands_total',
    help: 'Cloud commands handled, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return { registry, ocppCalls, refusedUpgrades, badFrames, commands };
}

export type EdgeMetrics = ReturnType<typeof createMetrics>;
