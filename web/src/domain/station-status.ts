/**
 * What status a station is shown with. A station the cloud has lost contact with is "offline"
 * whatever its last reported status was; otherwise the reported status stands.
 */
import {
  CONNECTOR_STATUSES,
  STATION_STATUSES,
  type ConnectorStatus,
  type ConnectorSummary,
  type StationStatus,
  type StationSummary,
} from '../api/types';

export type DisplayStatus = StationStatus;
export const DISPLAY_STATUSES = STATION_STATUSES;

export function displayStatus(station: Pick<StationSummary, 'online' | 'status'>): DisplayStatus {
  return station.online ? station.status : 'offline';
}

/** Worst first: the order a cluster or a summary picks the status it shows. */
export const STATUS_SEVERITY: Record<DisplayStatus, number> = {
  faulted: 0,
  offline: 1,
  unavailable: 2,
  unknown: 3,
  charging: 4,
  available: 5,
};

export const STATUS_COLORS: Record<DisplayStatus, string> = {
  available: '#16a34a',
  charging: '#2563eb',
  faulted: '#dc2626',
  offline: '#9ca3af',
  unavailable: '#d97706',
  unknown: '#4b5563',
};

export const CONNECTOR_STATUS_COLORS: Record<ConnectorStatus, string> = {
  available: STATUS_COLORS.available,
  occupied: STATUS_COLORS.charging,
  reserved: '#7c3aed',
  unavailable: STATUS_COLORS.unavailable,
  faulted: STATUS_COLORS.faulted,
  unknown: STATUS_COLORS.unknown,
};

export type StatusCounts = Record<DisplayStatus, number>;

export function emptyStatusCounts(): StatusCounts {
  return { available: 0, charging: 0, faulted: 0, unavailable: 0, offline: 0, unknown: 0 };
}

export function countByDisplayStatus(
  stations: Iterable<Pick<StationSummary, 'online' | 'status'>>,
): StatusCounts {
  const counts = emptyStatusCounts();
  for (const station of stations) counts[displayStatus(station)]++;
  return counts;
}

/** A connector status the dashboard knows, or `unknown` for anything else the server may send. */
export function connectorStatusOf(connector: Pick<ConnectorSummary, 'status'>): ConnectorStatus {
  return (CONNECTOR_STATUSES as readonly string[]).includes(connector.status) ? connector.status : 'unknown';
}

export function isStationStatus(value: unknown): value is StationStatus {
  return typeof value === 'string' && (STATION_STATUSES as readonly string[]).includes(value);
}
