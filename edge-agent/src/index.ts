/** Public surface of @voltmesh/edge-agent for other workspace packages (stack runner, load tests). */
export {
  startEdgeAgent,
  AGENT_VERSION,
  type EdgeAgent,
  type EdgeAgentDeps,
  type EdgeObserver,
} from './agent.js';
export { loadConfig, type EdgeConfig } from './config.js';
export { hashStationPassword } from './transport/station-auth.js';
export type { ProtocolBindings, ProtocolBinding } from './protocols.js';
