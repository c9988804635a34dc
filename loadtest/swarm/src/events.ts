/**
 * Noteworthy things a station does. The library does not log: it hands these to the caller
 * (the CLI turns them into pino lines). Meter values are deliberately not events.
 */
import type { ConnectorStatus, StopReason } from './model.js';
import type { OcppVersion } from './options.js';

interface Base {
  identity: string;
}

export type SwarmEvent = Base &
  (
    | { type: 'connected'; ocppVersion: OcppVersion }
    | { type: 'disconnected'; code: number | undefined; intentional: boolean }
    | { type: 'connect_failed'; message: string; retryInMs: number }
    | { type: 'booted'; status: 'Accepted' | 'Pending' | 'Rejected'; heartbeatIntervalS: number }
    | { type: 'status'; connectorId: number; status: ConnectorStatus }
    | { type: 'session_started'; connectorId: number; idTag: string; remote: boolean }
    | {
        type: 'session_stopped';
        connectorId: number;
        reason: StopReason;
        energyKWh: number;
        offline: boolean;
      }
    | { type: 'authorization_rejected'; connectorId: number; idTag: string }
    | { type: 'fault'; connectorId: number; errorCode: string; vendorErrorCode: string }
    | { type: 'fault_cleared'; connectorId: number }
    | { type: 'reboot'; kind: 'Soft' | 'Hard'; downtimeMs: number }
    | { type: 'network_drop'; durationMs: number | undefined }
    | { type: 'command'; action: string }
    | { type: 'call_failed'; action: string; message: string; errorCode: string | undefined }
    | { type: 'schema_violation'; action: string; outbound: boolean; message: string }
  );

export type SwarmEventListener = (event: SwarmEvent) => void;
