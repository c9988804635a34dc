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
  'meter:update': (meter: MeterLive) => void;
}

/** The dashboard sends nothing over the socket; commands go through HTTP. */
export type ClientToServerEvents = Record<string, never>;

/** History buckets the cloud aggregates power into (continuous aggregates or rollups). */
export const HISTORY_BUCKETS = ['1m', '15m', '1h', '1d'] as const;
export type HistoryBucket = (typeof HISTORY_BUCKETS)[number];

export interface PowerHistoryQuery {
  stationId?: string;
  siteId?: string;
  /** ISO 8601; the server defaults to the last 24 h. */
  from?: string;
  to?: string;
  bucket?: HistoryBucket;
}

export interface PowerPoint {
  /** Start of the bucket. */
  at: string;
  powerW: number;
  energyWh: number;
}

export interface PowerHistory {
  bucket: HistoryBucket;
  from: string;
  to: string;
  points: PowerPoint[];
}

export interface TimeRange {
  from?: string;
  to?: string;
}

export interface MeterPoint {
  at: string;
  evseId: number;
  powerW: number | null;
  voltageV: number | null;
  currentA: number | null;
  socPercent: number | null;
}

export interface MeterHistory {
  points: MeterPoint[];
}

export interface TimelineSegment {
  evseId: number;
  connectorId: number;
  /** One of CONNECTOR_STATUSES; read it via connectorStatusOf. */
  status: ConnectorStatus;
  rawStatus: string;
  from: string;
  /** null while the segment is still current. */
  to: string | null;
}

export interface StationTimeline {
  segments: TimelineSegment[];
}

export interface SessionRecord {
  id: string;
  transactionId: string;
  evseId: number;
  connectorId: number;
  idToken: string | null;
  startedAt: string;
  endedAt: string | null;
  energyWh: number | null;
  status: string;
  stopReason: string | null;
}

export interface SessionPage {
  items: SessionRecord[];
  total: number;
}

export interface SessionQuery {
  limit?: number;
  offset?: number;
}

/** `meter:update`: the latest reading of one EVSE, at most once per station per second. */
export interface MeterLive {
  stationId: string;
  evseId: number;
  connectorId: number;
  at: string;
  powerW: number | null;
  energyRegisterWh: number | null;
  transactionId: string | null;
}

/** Session states the cloud stores; anything else is shown as `unknown` (see sessionStatusOf). */
export const SESSION_STATUSES = ['active', 'completed', 'stopped_by_operator'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
