/**
 * One-line, human-readable summaries of normalized events, used for a station's recent events and
 * the live activity feed, so both read the same.
 */
import type { StationEvent } from '@voltmesh/contract';

export const ACTIVITY_KINDS = [
  'connected',
  'disconnected',
  'booted',
  'status',
  'session_started',
  'session_stopped',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Event types too frequent for an event log; their effect shows in state and meter updates. */
export const QUIET_EVENT_TYPES: readonly StationEvent['type'][] = ['station.heartbeat', 'meter.samples'];

const kwh = (wh: number | null): string => (wh === null ? '?' : `${(wh / 1000).toFixed(2)} kWh`);
const where = (evseId: number, connectorId: number): string =>
  evseId === 0 ? 'station' : `EVSE ${evseId}/${connectorId}`;

export function summarizeEvent(event: StationEvent): string {
  switch (event.type) {
    case 'station.connected':
      return `connected (${event.ocppVersion}, security profile ${event.securityProfile})`;
    case 'station.disconnected':
      return `disconnected (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
    case 'station.booted':
      return `booted ${event.vendor} ${event.model}${event.firmwareVersion ? ` fw ${event.firmwareVersion}` : ''}, registration ${event.registration}`;
    case 'station.heartbeat':
      return 'heartbeat';
    case 'connector.status':
      return `${where(event.evseId, event.connectorId)} ${event.status} (${event.rawStatus})${event.errorCode && event.errorCode !== 'NoError' ? ` error ${event.errorCode}` : ''}`;
    case 'token.authorized':
      return `token ${event.idToken.id} ${event.status} (${event.decidedBy})`;
    case 'session.started':
      return `session ${event.transactionId} started on ${where(event.evseId, event.connectorId)}`;
    case 'session.updated':
      return `session ${event.transactionId} ${event.chargingState ?? 'updated'}`;
    case 'session.ended':
      return `session ${event.transactionId} ended (${event.reason}), meter stop ${kwh(event.meterStopWh)}`;
    case 'meter.samples':
      return `${event.samples.length} meter sample(s) on ${where(event.evseId, event.connectorId)}`;
    case 'firmware.status':
      return `firmware ${event.status}`;
    case 'diagnostics.status':
      return `diagnostics ${event.status}`;
    case 'security.event':
      return `security event ${event.eventType}`;
    case 'station.record':
      return `${event.action} recorded`;
    case 'edge.status':
      return `edge agent ${event.agentVersion}: ${event.connectedStations} station(s), outbox ${event.outboxDepth}`;
  }
}
