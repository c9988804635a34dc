/** @voltmesh/swarm: simulated OCPP 1.6J / 2.0.1 charge points for demos and load tests. */
export {
  startSwarm,
  type Swarm,
  type SwarmOptions,
  type StationHandle,
  type StationSnapshot,
} from './swarm.js';
export type { SwarmStatsSnapshot } from './stats.js';
export type { SwarmEvent, SwarmEventListener } from './events.js';
export { ConnectorStatus, StopReason } from './model.js';
export {
  OcppVersion,
  parseFleet,
  parseScenario,
  parseDurationMs,
  maxStationsDefault,
  type Fleet,
  type FleetInput,
  type Scenario,
  type ScenarioInput,
  type StationConfigInput,
} from './options.js';
export { assertLoopbackTargets, isLoopbackAddress, type Resolver } from './loopback.js';
export { realScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
export * from './errors.js';
