/**
 * @voltmesh/ocpp: OCPP wire types generated from the OCA JSON schemas, the schemas themselves
 * (`@voltmesh/ocpp/schemas/*.json`), CALLERROR codes per version and meter-unit conversion.
 * No I/O. Wire types per version live under `@voltmesh/ocpp/v16` and `@voltmesh/ocpp/v201`.
 */
export * from './call-error.js';
export * from './units.js';
export * from './sampled-value.js';
export * from './actions.js';
export * from './timestamp.js';
export * from './reply.js';
