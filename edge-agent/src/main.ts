/**
 * Composition root: `tsx edge-agent/src/main.ts` runs one edge agent. Reads the environment once,
 * logs JSON lines to stdout with pino, and shuts down in order on SIGINT/SIGTERM (stop accepting,
 * commit the outbox, close NATS).
 */
import { pino, type Logger } from 'pino';
import { startEdgeAgent, type EdgeObserver } from './agent.js';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { PROTOCOLS } from './protocol-bindings.js';

function errorInfo(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { err: { type: error.name, message: error.message, ...(code !== undefined ? { code } : {}) } };
  }
  return { err: { message: String(error) } };
}

function createObserver(log: Logger): EdgeObserver {
  return {
    onCall: (r) => {
      const child = log.child({ stationId: r.stationId, ocppVersion: r.version, messageId: r.messageId });
      if (r.outcome === 'ok') child.debug({ action: r.action }, 'call handled');
      else
        child.warn(
          { action: r.action, outcome: r.outcome, ...errorInfo(r.error) },
          'call not handled normally',
        );
    },
    onConnected: (i) =>
      log
        .child({ stationId: i.stationId, ocppVersion: i.version })
        .info({ securityProfile: i.securityProfile }, 'station connected'),
    onDisconnected: (i) =>
      log
        .child({ stationId: i.stationId, ocppVersion: i.version })
        .info({ code: i.code, reason: i.reason }, 'station disconnected'),
    onRefused: (i) =>
      log.warn(
        { status: i.status, reason: i.message, remoteAddress: i.remoteAddress, url: i.url },
        'connection refused',
      ),
    onBadMessage: (i) => log.child({ stationId: i.stationId }).warn(errorInfo(i.error), 'bad frame'),
    onBackgroundError: (e) => log.error(errorInfo(e), 'background error'),
    onUplinkError: (e) => log.warn(errorInfo(e), 'cannot connect to NATS; retrying'),
    onPublishFailed: (i) =>
      log.warn(
        { failed: i.failed, acked: i.acked, backoffMs: i.backoffMs, ...errorInfo(i.error) },
        'forwarding to JetStream failed; backing off',
      ),
    onApplied: (i) => log.debug({ key: i.key, operation: i.operation }, 'site config applied'),
    onInvalid: (i) => log.warn({ key: i.key, ...errorInfo(i.error) }, 'site config entry ignored'),
    onUnavailable: (i) =>
      log.warn(
        { bucket: i.bucket, retryInMs: i.retryInMs, ...errorInfo(i.error) },
        'site config bucket unavailable',
      ),
    onCommand: (i) =>
      log.info(
        { commandId: i.id, stationId: i.stationId, type: i.type, outcome: i.outcome },
        'command handled',
      ),
  };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel, base: { siteId: config.siteId } });
  const agent = await startEdgeAgent({ config, protocols: PROTOCOLS, observer: createObserver(log) });
  log.info(
    {
      port: agent.port,
      host: config.ocppHost,
      dataDir: config.dataDir,
      tls: config.tls !== null,
      acceptUnknownStations: config.acceptUnknownStations,
    },
    'edge agent listening',
  );

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    agent.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error(errorInfo(error), 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `edge agent failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
