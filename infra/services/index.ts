export { freePort, waitForPort } from './ports.js';
export { findBinary, MissingBinaryError } from './binaries.js';
export {
  startNats,
  NATS_INSTALL_HINT,
  type NatsServerHandle,
  type NatsServerOptions,
} from './nats-server.js';
export { startPostgres, type PostgresHandle, type PostgresOptions } from './postgres.js';
