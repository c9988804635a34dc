/**
 * Turns swarm events into pino lines: one per noteworthy event, never one per meter value.
 * Status changes go to debug because a large fleet produces many of them.
 */
import type { Logger } from 'pino';
import type { SwarmEvent } from './events.js';

export function logSwarmEvent(logger: Logger, e: SwarmEvent): void {
  const base = { stationId: e.identity };
  switch (e.type) {
    case 'connected':
      return logger.info({ ...base, ocppVersion: e.ocppVersion }, 'station connected');
    case 'disconnected':
      return logger.info({ ...base, code: e.code, intentional: e.intentional }, 'station disconnected');
    case 'connect_failed':
      return logger.warn({ ...base, err: e.message, retryInMs: e.retryInMs }, 'connection failed');
    case 'booted':
      return logger.info(
        { ...base, status: e.status, heartbeatIntervalS: e.heartbeatIntervalS },
        'boot answered',
      );
    case 'status':
      return logger.debug({ ...base, connectorId: e.connectorId, status: e.status }, 'connector status');
    case 'session_started':
      return logger.info(
        { ...base, connectorId: e.connectorId, idTag: e.idTag, remote: e.remote },
        'session started',
      );
    case 'session_stopped':
      return logger.info(
        { ...base, connectorId: e.connectorId, reason: e.reason, energyKWh: e.energyKWh, offline: e.offline },
        'session stopped',
      );
    case 'authorization_rejected':
      return logger.info({ ...base, connectorId: e.connectorId, idTag: e.idTag }, 'authorization rejected');
    case 'fault':
      return logger.warn(
        { ...base, connectorId: e.connectorId, errorCode: e.errorCode, vendorErrorCode: e.vendorErrorCode },
        'fault',
      );
    case 'fault_cleared':
      return logger.info({ ...base, connectorId: e.connectorId }, 'fault cleared');
    case 'reboot':
      return logger.info({ ...base, kind: e.kind, downtimeMs: e.downtimeMs }, 'reboot');
    case 'network_drop':
      return logger.info({ ...base, durationMs: e.durationMs }, 'network drop');
    case 'command':
      return logger.info({ ...base, action: e.action }, 'command received');
    case 'call_failed':
      return logger.warn(
        { ...base, action: e.action, err: e.message, errorCode: e.errorCode },
        'call failed',
      );
    case 'schema_violation':
      return logger.error(
        { ...base, action: e.action, outbound: e.outbound, err: e.message },
        'OCPP schema violation',
      );
  }
}
