/** Public surface of @voltmesh/cloud, for the stack runner and tests. */
export { startCloud, type Cloud, type CloudOptions } from './cloud.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { migrateUp, pendingMigrations, MigrationError } from './db/migrate.js';
export { parseFleet, seedFleet, SeedError, type Fleet, type FleetInput } from './seed/fleet.js';
export { createLogger } from './observability/logger.js';
export { openApiDocument } from './api/openapi-document.js';
