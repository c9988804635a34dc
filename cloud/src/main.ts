/** Entry point of the cloud service: config from the environment, then the composition root. */
import { startCloud } from './cloud.js';
import { loadConfig, type Config } from './config.js';
import { createLogger } from './observability/logger.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  // No logger yet: the configuration says how to log.
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const log = createLogger(config.logLevel);
if (config.mode === 'demo' && config.sessionSecretGenerated) {
  log.warn('SESSION_SECRET not set: generated one for this run (demo mode); sessions end with the process');
}

try {
  const cloud = await startCloud(config, log, { defaultMetrics: true });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  log.fatal({ err: error }, 'cloud failed to start');
  process.exit(1);
}
