/**
 * Builds one edge agent from its configuration: SQLite (outbox, station state, site config),
 * the OCPP server, the NATS uplink with forwarder, site-config sync and command service. It does
 * no logging: everything worth logging reaches the `observer`, which main.ts backs with pino.
 */
import type { EdgeConfig } from './config.js';
import { CommandService, type CommandObserver } from './commands/command-service.js';
import { Forwarder, type ForwarderObserver } from './forwarder/forwarder.js';
import type { Clock } from './handler-types.js';
import { createHttpRoutes, type HealthSnapshot } from './http-routes.js';
import { createMetrics } from './metrics.js';
import { NatsLink, type NatsLinkObserver } from './nats/nats-link.js';
import { openEdgeDatabase } from './outbox/database.js';
import { Outbox } from './outbox/outbox.js';
import type { ProtocolBindings } from './protocols.js';
import { SiteConfigSync, type KvSyncObserver } from './site-config/kv-sync.js';
import { SiteConfigStore } from './site-config/site-config-store.js';
import { StationStateStore } from './state/sqlite-station-state.js';
import { OcppServer, type TransportObserver } from './transport/ocpp-server.js';

export const AGENT_VERSION = '0.1.0';

export type EdgeObserver = TransportObserver &
  ForwarderObserver &
  KvSyncObserver &
  CommandObserver &
  NatsLinkObserver;

export interface EdgeAgentDeps {
  config: EdgeConfig;
  protocols: ProtocolBindings;
  observer?: EdgeObserver;
  clock?: Clock;
  /** Tuning, mostly for tests. */
  tuning?: {
    edgeStatusIntervalMs?: number;
    pingIntervalMs?: number;
    callTimeoutMs?: number;
    maxPayloadBytes?: number;
    natsRetryMs?: number;
  };
}

export interface EdgeAgent {
  readonly port: number;
  readonly siteConfig: SiteConfigStore;
  readonly outbox: Outbox;
  health(): HealthSnapshot;
  stop(): Promise<void>;
}

export async function startEdgeAgent(deps: EdgeAgentDeps): Promise<EdgeAgent> {
  const { config, protocols } = deps;
  const observer: EdgeObserver = deps.observer ?? {};
  const clock = deps.clock ?? { now: () => new Date() };
  const tuning = deps.tuning ?? {};

  const db = openEdgeDatabase(config.dataDir);
  const outbox = new Outbox(db, {
    siteId: config.siteId,
    budgetBytes: config.outboxBudgetBytes,
    now: () => clock.now(),
  });
  const siteConfig = new SiteConfigStore(db);
  const state = new StationStateStore(db, siteConfig, clock);
  const link = new NatsLink(
    {
      url: config.natsUrl,
      auth: config.natsAuth,
      name: `voltmesh-edge-${config.siteId}`,
      retryDelayMs: tuning.natsRetryMs ?? 1000,
    },
    observer,
  );
  const forwarder = new Forwarder(outbox, link, { siteId: config.siteId }, observer);

  const health = (): HealthSnapshot => {
    const s = outbox.stats();
    return {
      status: 'ok',
      siteId: config.siteId,
      connectedStations: server.connectedStations() ?? 0,
      outbox: { depth: s.depth, oldestAgeS: Math.round(s.oldestAgeS * 10) / 10 },
      nats: { connected: link.connected },
      forwardRatePerS: Math.round(forwarder.ratePerS() * 10) / 10,
    };
  };
  const metrics = createMetrics({
    connectedStations: () => server.connectedStations() ?? 0,
    outbox: () => outbox.stats(),
    natsConnected: () => link.connected,
    forwardedTotal: () => forwarder.forwarded,
  });
  const counted: EdgeObserver = {
    ...observer,
    onCall: (r) => {
      metrics.ocppCalls.inc({ version: r.version, action: r.action, outcome: r.outcome });
      observer.onCall?.(r);
    },
    onRefused: (r) => {
      metrics.refusedUpgrades.inc({ status: String(r.status) });
      observer.onRefused?.(r);
    },
    onBadMessage: (r) => {
      metrics.badFrames.inc();
      observer.onBadMessage?.(r);
    },
    onCommand: (r) => {
      metrics.commands.inc({ outcome: r.outcome });
      observer.onCommand?.(r);
    },
    onStationChanged: (stationId) => {
      // An operator approving a station parked as Pending: have it boot again now.
      server.retriggerBoot(stationId).catch((error: unknown) => observer.onBackgroundError?.(error));
      observer.onStationChanged?.(stationId);
    },
  };

  const server: OcppServer = new OcppServer({
    options: {
      siteId: config.siteId,
      host: config.ocppHost,
      port: config.ocppPort,
      tls: config.tls,
      acceptUnknownStations: config.acceptUnknownStations,
      ...(tuning.pingIntervalMs !== undefined ? { pingIntervalMs: tuning.pingIntervalMs } : {}),
      ...(tuning.callTimeoutMs !== undefined ? { callTimeoutMs: tuning.callTimeoutMs } : {}),
      ...(tuning.maxPayloadBytes !== undefined ? { maxPayloadBytes: tuning.maxPayloadBytes } : {}),
    },
    protocols,
    outbox,
    state,
    siteConfig,
    clock,
    observer: counted,
    httpHandler: createHttpRoutes(() => health(), metrics.registry),
  });
  const kvSync = new SiteConfigSync(config.siteId, link, siteConfig, counted);
  const commands = new CommandService(
    config.siteId,
    link,
    { station: (id) => server.station(id), protocols },
    counted,
  );

  const port = await server.listen();
  forwarder.start();
  kvSync.start();
  const commandsStarted = commands.start();

  const reportStatus = () => {
    const s = outbox.stats();
    outbox
      .append([
        {
          stationId: null,
          occurredAt: clock.now().toISOString(),
          source: { kind: 'edge' },
          event: {
            type: 'edge.status',
            agentVersion: AGENT_VERSION,
            connectedStations: server.connectedStations() ?? 0,
            outboxDepth: s.depth,
            outboxOldestAgeS: s.oldestAgeS,
          },
        },
      ])
      .catch((error: unknown) => observer.onBackgroundError?.(error));
  };
  reportStatus();
  const statusTimer = setInterval(reportStatus, tuning.edgeStatusIntervalMs ?? 60_000);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(statusTimer);
      await server.close();
      outbox.flush();
      await commands.stop();
      await commandsStarted.catch(() => undefined);
      await forwarder.stop();
      await kvSync.stop();
      await link.close();
      outbox.close();
      db.close();
    })());

  return { port, siteConfig, outbox, health, stop };
}
