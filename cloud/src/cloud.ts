/**
 * The composition root of one cloud process: builds every collaborator from the config, starts the
 * ingest, the HTTP API with Socket.IO on the same server and the edge watchdog, and stops them in
 * reverse order. `main.ts` runs it; integration tests start it the same way.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createSystemSettingsStore } from './accounts/system-settings.js';
import { createUserStore } from './accounts/user-store.js';
import { createApp, type App } from './api/app.js';
import { createAuditLog } from './audit/audit-log.js';
import { startLiveCost } from './billing/live-cost.js';
import { createSessionQueries } from './billing/session-queries.js';
import { createTariffStore } from './billing/tariff-store.js';
import { createApiTokenStore } from './auth/api-tokens.js';
import { createIpThrottle } from './auth/ip-throttle.js';
import { createLogin, LOGIN_POLICY } from './auth/login.js';
import { createSessionStore } from './auth/sessions.js';
import { createCommandRunner } from './commands/command-service.js';
import { createCommandStore } from './commands/command-store.js';
import { createForceStop } from './commands/force-stop.js';
import {
  createCommandSender,
  DEFAULT_COMMAND_TIMEOUTS,
  type CommandTransportOptions,
} from './commands/nats-commands.js';
import type { Config } from './config.js';
import { migrateUp, MigrationError, pendingMigrations } from './db/migrate.js';
import { ensurePartitions } from './db/partitions.js';
import { createPool, withTransaction, type Db } from './db/pool.js';
import { createEventLogQueries } from './event-log/queries.js';
import { createHistoryQueries } from './history/queries.js';
import { createLedgerStore } from './ledger/ledger-store.js';
import { createReportQueries } from './reports/queries.js';
import { startRollupJob, type RollupJob } from './history/rollup-job.js';
import { startIngest, type Ingest } from './ingest/consumer.js';
import { startEdgeWatchdog } from './ingest/edge-watchdog.js';
import { SESSION_ENDED_SUBJECT } from './live/messages.js';
import { createLivePublisher } from './live/publisher.js';
import { startLiveServer } from './live/socket-server.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { trackNatsLiveness } from './observability/nats-liveness.js';
import { createHierarchyStore } from './resources/hierarchy-store.js';
import { createSiteConfigPush } from './resources/site-config-push.js';
import { createStationStore } from './resources/station-store.js';
import { createTokenStore } from './resources/token-store.js';
import { startSiteConfigPublisher } from './site-config/sync.js';
import { createStationQueries, hasTrigram } from './stations/queries.js';
import { applyTimescale, detectStorageEngine } from './timescale/apply.js';
import { startLateRefreshJob, type LateRefreshJob } from './timescale/late-refresh.js';
import { startSessionWatchdog } from './watchdog/session-watchdog.js';
import { createAlerts, type Alerts, type AlertsOptions } from './alerts/service.js';
import { createRuleStore } from './alerts/rule-store.js';
import { createOncallStore } from './alerts/oncall-store.js';
import { createRecipientStore } from './alerts/recipient-store.js';
import { createWebhookStore } from './alerts/webhook-store.js';
import type { BatchEffects } from './ingest/effects.js';

export interface CloudOptions {
  /** Run the JetStream ingest in this process (default true). */
  ingest?: boolean;
  /** Seconds without edge.status before a site's stations are marked offline (default 150). */
  edgeSilenceS?: number;
  watchdogIntervalMs?: number;
  /** How often site configuration is reconciled into the edges' KV buckets (default 30 s). */
  siteConfigIntervalMs?: number;
  defaultMetrics?: boolean;
  /** Station and NATS timeouts of remote commands (default 15 s + 3 s). */
  commandTimeouts?: CommandTransportOptions;
  /**
   * How often the plain-PostgreSQL rollups catch up with ingested samples (default 10 s); on
   * TimescaleDB, how often samples older than the refresh windows are materialized (default 60 s).
   */
  rollupIntervalMs?: number;
  /** How often the session watchdog looks for sessions without activity (default 5 min). */
  sessionWatchdogIntervalMs?: number;
  /** Alerts: clock, evaluation and dispatch intervals, a fake Twilio client (tests). */
  alerts?: Pick<
    AlertsOptions,
    'now' | 'evaluationIntervalMs' | 'dispatchIntervalMs' | 'loops' | 'twilioHttpClient'
  >;
}

export interface Cloud {
  readonly app: App;
  readonly db: Db;
  readonly nc: NatsConnection;
  readonly httpServer: HttpServer;
  /** The alert engine: its scheduler, outbox and stores (tests drive them with an injected clock). */
  readonly alerts: Alerts;
  /** http://host:port the server listens on. */
  readonly url: string;
  stop(): Promise<void>;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export async function startCloud(config: Config, log: Logger, options: CloudOptions = {}): Promise<Cloud> {
  await prepareDatabase(config, log);
  const db = createPool(config.databaseUrl);
  // TimescaleDB when the server has it (applied once, before partitions are looked after).
  const timescale = await withTransaction(db, (tx) => applyTimescale(tx, config.timescale));
  if (timescale === 'applied')
    log.info('TimescaleDB storage path applied (hypertables, aggregates, policies)');
  const storageEngine = await detectStorageEngine(db);
  await ensurePartitions(db);
  const trigram = await hasTrigram(db);
  if (!trigram) log.warn('pg_trgm is not installed: station search uses ILIKE only');

  const nc = await connect({ servers: config.natsUrl, name: 'voltmesh-cloud', maxReconnectAttempts: -1 });
  const natsLiveness = trackNatsLiveness(nc);
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  const sessions = createSessionStore(db, config.sessionSecret);
  const ipThrottle = createIpThrottle({
    maxFailures: LOGIN_POLICY.maxFailuresPerIp,
    windowMs: LOGIN_POLICY.ipWindowMs,
  });
  const stations = createStationQueries(db, { trigram });
  const audit = createAuditLog(db);
  const commandStore = createCommandStore(db);
  const runCommand = createCommandRunner({
    store: commandStore,
    send: createCommandSender(nc, options.commandTimeouts ?? DEFAULT_COMMAND_TIMEOUTS),
    audit,
  });

  const sessionEnded = (sessionId: string) => nc.publish(SESSION_ENDED_SUBJECT, sessionId);
  const apiTokens = createApiTokenStore(db);
  const systemSettings = createSystemSettingsStore(db);
  const alerts = createAlerts({
    db,
    nc,
    log,
    settings: config.alerts,
    publicUrl: config.publicUrl,
    ...options.alerts,
  });
  const app = createApp({
    log,
    auth: {
      login: createLogin({ db, sessions, ipThrottle }),
      sessions,
      secureCookies: config.secureCookies,
      sessionEnded,
      audit,
      apiTokens,
      accounts: { users: createUserStore(db), settings: systemSettings, sessions, sessionEnded, audit },
    },
    stations,
    commands: {
      store: commandStore,
      run: runCommand,
      forceStop: createForceStop({ db, run: runCommand, audit }),
    },
    audit,
    history: createHistoryQueries(db, { engine: storageEngine }),
    ledger: { db, ledger: createLedgerStore(db), audit },
    reports: { reports: createReportQueries(db, { engine: storageEngine }) },
    eventLog: createEventLogQueries(db),
    ops: {
      health: {
        database: async () => void (await db.query('SELECT 1')),
        nats: () => natsLiveness.connected(),
      },
      registry: metrics.registry,
    },
    settings: {
      mapStyleUrl: config.mapStyleUrl,
      mode: config.mode,
      system: { store: systemSettings, audit },
    },
    resources: {
      hierarchy: createHierarchyStore(db),
      stations: createStationStore(db),
      tokens: createTokenStore(db),
      audit,
      push: createSiteConfigPush({
        nc,
        db,
        onError: (error, site) =>
          log.warn({ err: error, site }, 'publishing site configuration failed; the periodic pass retries'),
      }),
    },
    billing: { tariffs: createTariffStore(db), sessions: createSessionQueries(db), audit },
    alerts: {
      db,
      alerts,
      rules: createRuleStore(db),
      oncall: createOncallStore(db),
      recipients: createRecipientStore(db),
      webhooks: createWebhookStore(db),
      audit,
    },
    webDistDir: config.webDistDir,
  });

  const httpServer = createAdaptorServer({ fetch: app.fetch }) as HttpServer;
  const live = startLiveServer({ httpServer, nc, sessions, apiTokens, stations, log, metrics });
  alerts.attachLive(live.io);
  const liveCost = startLiveCost({ io: live.io, nc, db, log });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.httpPort, config.httpHost, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${config.httpHost}:${address.port}`;

  const livePublish = createLivePublisher({ nc, db });
  // After the live fan-out, the touched tenants' alert rules are evaluated again (a reconnect resolves).
  const publish = async (fx: BatchEffects) => {
    await livePublish(fx);
    await alerts.onEffects(fx);
  };
  let ingest: Ingest | null = null;
  if (options.ingest ?? true) {
    ingest = await startIngest({
      nc,
      db,
      log: log.child({ component: 'ingest' }),
      metrics,
      onCommitted: publish,
    });
  }
  const watchdog = startEdgeWatchdog({
    db,
    silenceS: options.edgeSilenceS ?? 150,
    intervalMs: options.watchdogIntervalMs ?? 10_000,
    onChange: publish,
    onError: (error) => log.warn({ err: error }, 'edge watchdog check failed'),
  });
  const siteConfig = startSiteConfigPublisher({
    nc,
    db,
    intervalMs: options.siteConfigIntervalMs ?? 30_000,
    onSynced: (results) => {
      const changed = results.filter((r) => r.put + r.deleted > 0);
      if (changed.length > 0) log.info({ sites: changed }, 'site configuration published to edges');
    },
    onError: (error) => log.warn({ err: error }, 'publishing site configuration failed; will retry'),
  });
  const rollup: RollupJob | null =
    storageEngine === 'postgres'
      ? startRollupJob({
          db,
          intervalMs: options.rollupIntervalMs ?? 10_000,
          onError: (error) => log.warn({ err: error }, 'meter rollup pass failed; will retry'),
        })
      : null;
  const lateRefresh: LateRefreshJob | null =
    storageEngine === 'timescaledb'
      ? startLateRefreshJob({
          db,
          intervalMs: options.rollupIntervalMs ?? 60_000,
          onRefreshed: (days) => log.info({ days }, 'late meter samples materialized into the aggregates'),
          onError: (error) =>
            log.warn({ err: error }, 'refreshing aggregates for late samples failed; will retry'),
        })
      : null;
  const sessionWatchdog = startSessionWatchdog({
    db,
    inactiveMs: config.sessionWatchdogHours * HOUR_MS,
    intervalMs: options.sessionWatchdogIntervalMs ?? 5 * 60_000,
    onClosed: (closed) => log.warn({ sessions: closed }, 'sessions without a stop closed by the watchdog'),
    onError: (error) => log.warn({ err: error }, 'session watchdog pass failed; will retry'),
  });
  const partitionTimer = setInterval(() => {
    ensurePartitions(db).catch((error: unknown) => log.error({ err: error }, 'creating partitions failed'));
  }, DAY_MS);
  const sessionPurgeTimer = setInterval(() => {
    sessions
      .purgeExpired()
      .catch((error: unknown) => log.warn({ err: error }, 'purging expired sessions failed'));
  }, HOUR_MS);
  log.info({ url, mode: config.mode, ingest: ingest !== null, storageEngine }, 'cloud started');

  return {
    app,
    db,
    nc,
    httpServer,
    alerts,
    url,
    async stop() {
      clearInterval(partitionTimer);
      clearInterval(sessionPurgeTimer);
      watchdog.stop();
      await rollup?.stop();
      await lateRefresh?.stop();
      await sessionWatchdog.stop();
      await siteConfig.stop();
      await ingest?.stop();
      await liveCost.stop();
      await alerts.stop();
      await live.close();
      await nc.drain();
      await natsLiveness.done;
      await db.end();
      log.info('cloud stopped');
    },
  };
}

/** Production refuses to start on an old schema; demo mode migrates itself. */
async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const pending = await pendingMigrations(config.databaseUrl);
  if (pending.length === 0) return;
  if (config.mode === 'production') {
    throw new MigrationError(
      `${pending.length} migration(s) pending (${pending.join(', ')}): run \`pnpm --filter @voltmesh/cloud migrate\` first`,
    );
  }
  const applied = await migrateUp(config.databaseUrl, {
    info: (msg) => log.debug(msg),
    warn: (msg) => log.warn(msg),
    error: (msg) => log.error(msg),
  });
  log.info({ applied }, 'migrations applied (demo mode)');
}
