/**
 * The cloud's HTTP and Socket.IO contract as the dashboard sees it. This is the only place these
 * shapes are written down in the web app; a later check compares them with /api/openapi.json.
 */

export const ROLES = ['admin', 'operator', 'technician', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenantName: string;
}

export interface AuthSession {
  user: User;
  csrfToken: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

/** RFC 9457 problem details as the cloud sends them (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export const STATION_STATUSES = [
  'available',
  'charging',
  'faulted',
  'unavailable',
  'offline',
  'unknown',
] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

export const CONNECTOR_STATUSES = [
  'available',
  'occupied',
  'reserved',
  'unavailable',
  'faulted',
  'unknown',
] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

export type OcppVersion = 'ocpp1.6' | 'ocpp2.0.1';

export interface ConnectorSummary {
  evseId: number;
  connectorId: number;
  /** One of CONNECTOR_STATUSES; the served schema types it as a plain string, so read it via connectorStatusOf. */
  status: ConnectorStatus;
  rawStatus: string;
  errorCode: string | null;
  statusAt: string | null;
}

export interface StationSummary {
  id: string;
  identity: string;
  name: string;
  siteId: string;
  siteName: string;
  /** A site need not belong to a city. */
  cityId: string | null;
  cityName: string | null;
  lat: number | null;
  lon: number | null;
  online: boolean;
  status: StationStatus;
  lastSeenAt: string | null;
  ocppVersion: OcppVersion | null;
  vendor: string | null;
  model: string | null;
  connectors: ConnectorSummary[];
}

export interface StationEvent {
  at: string;
  type: string;
  summary: string;
}

export interface StationDetail extends StationSummary {
  siteCode: string;
  recentEvents: StationEvent[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface StationQuery {
  q?: string;
  status?: StationStatus;
  siteId?: string;
  cityId?: string;
  online?: boolean;
  limit?: number;
  offset?: number;
}

export interface Site {
  id: string;
  code: string;
  name: string;
  cityId: string | null;
  cityName: string | null;
  lat: number | null;
  lon: number | null;
  stationCount: number;
}

export interface City {
  id: string;
  name: string;
  lat: number | null;
  lon: number | null;
}

export interface ItemList<T> {
  items: T[];
}

export interface Kpis {
  stationsOnline: number;
  stationsOffline: number;
  stationsCharging: number;
  stationsFaulted: number;
  activeSessions: number;
  powerNowW: number;
  energyTodayWh: number;
}

export interface LiveSnapshot {
  at: string;
  stations: StationSummary[];
  kpis: Kpis;
}

export interface ActivityEvent {
  at: string;
  stationId: string;
  identity: string;
  siteName: string;
  kind: string;
  text: string;
}

/** Socket.IO events the cloud emits to the dashboard. */
export interface ServerToClientEvents {
  'station:update': (station: StationSummary) => void;
  activity: (event: ActivityEvent) => void;
  kpis: (kpis: Kpis) => void;
}

/** The dashboard sends nothing over the socket; commands go through HTTP. */
export type ClientToServerEvents = Record<string, never>;
