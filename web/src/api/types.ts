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
  /** One of CONNECTOR_TYPES (the API also takes a comma-separated list). */
  connectorType?: string;
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

/**
 * What the dashboard sends over the socket: only which station's meter readings it wants (a station
 * page). Commands go through HTTP.
 */
export interface ClientToServerEvents {
  'station:subscribe': (stationId: string) => void;
  'station:unsubscribe': (stationId: string) => void;
}

/** GET /api/settings/public: readable before login. */
export interface PublicSettings {
  demo: boolean;
}

/** GET /api/settings/ui: for any signed-in user. */
export interface UiSettings {
  /** MapLibre style JSON URL for the map; null = the built-in offline basemap. */
  mapStyleUrl: string | null;
  demo: boolean;
}

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
  /** null when the charger never said which EVSE/connector (e.g. a session known only from its end). */
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  /** null when the start was never seen (the session was opened by its end or a meter report). */
  startedAt: string | null;
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
export const SESSION_STATUSES = ['active', 'completed', 'stopped_by_operator', 'closed_by_watchdog'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

// ---- Remote commands and the audit log (POST/GET /api/stations/{id}/commands, GET /api/audit) ----

export interface IdToken {
  id: string;
  type: string;
}

/** A 1.6 configuration key is `{ variable: key }`; a 2.0.1 variable also names its component. */
export interface SettingRef {
  component: string | null;
  componentInstance: string | null;
  evseId: number | null;
  variable: string;
  variableInstance: string | null;
}

export const TRIGGER_MESSAGES = [
  'boot_notification',
  'heartbeat',
  'status_notification',
  'meter_values',
  'firmware_status',
  'diagnostics_status',
] as const;
export type TriggerMessage = (typeof TRIGGER_MESSAGES)[number];

export type Command =
  | { type: 'remote_start'; evseId: number | null; idToken: IdToken }
  | { type: 'remote_stop'; transactionId: string }
  | { type: 'reset'; kind: 'soft' | 'hard' }
  | { type: 'unlock_connector'; evseId: number; connectorId: number }
  | { type: 'change_availability'; evseId: number; operative: boolean }
  | { type: 'get_configuration'; settings: SettingRef[] }
  | { type: 'change_configuration'; setting: SettingRef; value: string }
  | { type: 'trigger_message'; message: TriggerMessage; evseId: number | null }
  | { type: 'clear_cache' }
  | { type: 'data_transfer'; vendorId: string; messageId: string | null; data: string | null };
export type CommandType = Command['type'];

export const COMMAND_OUTCOMES = [
  'accepted',
  'rejected',
  'scheduled',
  'offline',
  'timeout',
  'not_supported',
  'invalid',
  'error',
] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

export interface SettingValue {
  setting: SettingRef;
  value: string | null;
  readonly: boolean | null;
  status: 'accepted' | 'rejected' | 'unknown_component' | 'unknown_variable' | 'not_supported';
}

export interface CommandResult {
  id: string;
  outcome: CommandOutcome;
  detail: string | null;
  settings: SettingValue[] | null;
  data: string | null;
  durationMs: number;
}

export interface CommandHistoryItem {
  id: string;
  type: string;
  command: Record<string, unknown>;
  outcome: CommandOutcome;
  detail: string | null;
  userEmail: string;
  requestedAt: string;
  durationMs: number;
}

export interface ActiveTransaction {
  sessionId: string;
  transactionId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  startedAt: string | null;
}

export const AUDIT_ACTIONS = [
  'command.sent',
  'session.force_stopped',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'city.created',
  'city.updated',
  'city.deleted',
  'site.created',
  'site.updated',
  'site.deleted',
  'site.credentials_rotated',
  'station.created',
  'station.updated',
  'station.deleted',
  'station.connectors_replaced',
  'station.password_rotated',
  'token.created',
  'token.updated',
  'token.deleted',
  'token_holder.created',
  'token_holder.updated',
  'token_holder.deleted',
  'token_group.created',
  'token_group.updated',
  'token_group.deleted',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'user.password_changed',
  'grant.added',
  'grant.removed',
  'api_token.created',
  'api_token.revoked',
  'settings.system_updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: string;
  userId: string | null;
  userEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: AuditAction;
  q?: string;
  limit?: number;
  offset?: number;
}

// ---- Site hierarchy, station settings and RFID tokens (managed from the Sites and Tokens pages)

export interface CityDetail extends City {
  countryCode: string;
  siteCount: number;
  stationCount: number;
}

export interface CityInput {
  name: string;
  countryCode: string;
  lat: number | null;
  lon: number | null;
}

export interface SitePolicy {
  unknownStations: 'reject' | 'pending';
  unknownTokenWhileOffline: 'accept' | 'reject';
  heartbeatIntervalS: number;
  bootRetryIntervalS: number;
}

export interface SiteDetail extends Site {
  address: string | null;
  gridCapacityKw: number | null;
  policy: SitePolicy;
  onlineCount: number;
  /** The edge agent's NATS user; null until credentials were generated. */
  natsUser: string | null;
  credentialsAt: string | null;
}

export interface SiteInput {
  name: string;
  cityId: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  gridCapacityKw: number | null;
  policy?: Partial<SitePolicy>;
}

export interface EdgeCredentials {
  natsUser: string;
  /** Shown once. */
  natsPassword: string;
}

/** nats-server `authorization` block for the tenant's edge agents (bcrypt hashes, no passwords). */
export interface NatsAuthorization {
  config: string;
  sites: number;
  sitesWithoutCredentials: string[];
}

export interface SiteCreated {
  site: SiteDetail;
  credentials: EdgeCredentials;
}

export const CONNECTOR_TYPES = [
  'Type1',
  'Type2',
  'CCS1',
  'CCS2',
  'CHAdeMO',
  'GBT_AC',
  'GBT_DC',
  'NACS',
] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

export interface ConnectorSpec {
  evseId: number;
  connectorId: number;
  type: ConnectorType;
  maxPowerW: number;
}

export interface StationSettings {
  id: string;
  siteId: string;
  siteCode: string;
  identity: string;
  name: string;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  lat: number | null;
  lon: number | null;
  unplaced: boolean;
  approved: boolean;
  enabled: boolean;
  registrationStatus: string | null;
  securityProfile: number;
  hasPassword: boolean;
  passwordSetAt: string | null;
  connectors: { evseId: number; connectorId: number; type: string | null; maxPowerW: number | null }[];
}

export interface StationInput {
  siteId: string;
  name: string;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  lat: number | null;
  lon: number | null;
  securityProfile: 1 | 2 | 3;
  enabled: boolean;
}

export interface StationSaved {
  station: StationSettings;
  /** A newly generated Basic-auth password, shown once; null when unchanged. */
  password: string | null;
}

export const TOKEN_TYPES = [
  'ISO14443',
  'ISO15693',
  'eMAID',
  'Central',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export const TOKEN_STATUSES = ['accepted', 'blocked', 'expired', 'invalid'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export interface Token {
  id: string;
  uid: string;
  type: string;
  status: string;
  expiresAt: string | null;
  holderId: string | null;
  holderName: string | null;
  groupId: string | null;
  groupName: string | null;
  siteId: string | null;
  siteName: string | null;
  ocppGroupId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TokenInput {
  uid: string;
  type: TokenType;
  status: TokenStatus;
  expiresAt: string | null;
  holderId: string | null;
  groupId: string | null;
  siteId: string | null;
}

export interface TokenQuery {
  q?: string;
  status?: TokenStatus;
  holderId?: string;
  groupId?: string;
  siteId?: string;
  sort?: 'uid' | '-uid' | 'createdAt' | '-createdAt' | 'status' | '-status';
  limit?: number;
  offset?: number;
}

export interface TokenHolder {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  company: string | null;
  tokenCount: number;
  createdAt: string;
}

export type TokenHolderInput = Pick<TokenHolder, 'name' | 'phone' | 'email' | 'company'>;

export const TOKEN_GROUP_KINDS = ['personal', 'corporate'] as const;
export type TokenGroupKind = (typeof TOKEN_GROUP_KINDS)[number];

export interface TokenGroup {
  id: string;
  name: string;
  kind: TokenGroupKind;
  tokenCount: number;
  createdAt: string;
}

export type TokenGroupInput = Pick<TokenGroup, 'name' | 'kind'>;

export interface NamedQuery {
  q?: string;
  limit?: number;
  offset?: number;
}

// ---- Accounts: users, grants, API tokens, system settings (Users and Settings pages)

export const LOCALE_CODES = ['en', 'ru', 'zh'] as const;
export type LocaleCode = (typeof LOCALE_CODES)[number];

/** A role on the tenant, optionally limited to one site or one city. */
export interface Grant {
  id: string;
  role: Role;
  siteId: string | null;
  siteName: string | null;
  cityId: string | null;
  cityName: string | null;
  createdAt: string;
}

export type GrantInput = Pick<Grant, 'role' | 'siteId' | 'cityId'>;

/** A user as a tenant administrator manages them (grants: on this tenant only). */
export interface ManagedUser {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  locale: LocaleCode | null;
  disabled: boolean;
  lastLoginAt: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
  grants: Grant[];
}

export interface UserInput {
  email: string;
  name: string;
  phone: string | null;
  locale: LocaleCode | null;
  password: string;
  grant: GrantInput;
}

export type UserPatch = Partial<Pick<ManagedUser, 'email' | 'name' | 'phone' | 'locale' | 'disabled'>>;

export interface UserQuery {
  q?: string;
  role?: Role;
  disabled?: boolean;
  sort?: 'email' | '-email' | 'name' | '-name' | 'createdAt' | '-createdAt' | 'lastLoginAt' | '-lastLoginAt';
  limit?: number;
  offset?: number;
}

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to tell tokens apart (never the token). */
  prefix: string;
  userId: string;
  userEmail: string;
  grantId: string;
  role: Role;
  siteId: string | null;
  siteName: string | null;
  cityId: string | null;
  cityName: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** The answer to creating a token: the only time the token itself is shown. */
export interface ApiTokenCreated extends ApiToken {
  token: string;
}

export interface ApiTokenInput {
  name: string;
  expiresAt: string | null;
}

export interface SystemSettings {
  defaultLanguage: LocaleCode;
  currency: string;
  phonePrefixes: string[];
  passwordPolicy: { minLength: number; minEntropyBits: number };
  loginPolicy: { minEmailLength: number; maxEmailLength: number };
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

// ---- Station event log (GET /api/events, /api/events/counts, /api/events.csv)

export const EVENT_CATEGORIES = [
  'boot',
  'status',
  'error',
  'connection',
  'command',
  'alert',
  'security',
  'firmware',
  'session',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_LOG_TYPES = [
  'station.booted',
  'station.connected',
  'station.disconnected',
  'connector.status',
  'token.authorized',
  'session.started',
  'session.updated',
  'session.ended',
  'firmware.status',
  'diagnostics.status',
  'security.event',
  'command.sent',
  'incident.opened',
  'incident.acknowledged',
  'incident.escalated',
  'incident.resolved',
] as const;
export type EventLogType = (typeof EVENT_LOG_TYPES)[number];

export const EVENT_SUMMARY_CODES = [
  'booted',
  'connected',
  'disconnected',
  'status',
  'fault',
  'tokenAuthorized',
  'sessionStarted',
  'sessionUpdated',
  'sessionEnded',
  'firmware',
  'diagnostics',
  'security',
  'command',
  'incidentOpened',
  'incidentAcknowledged',
  'incidentEscalated',
  'incidentResolved',
] as const;
export type EventSummaryCode = (typeof EVENT_SUMMARY_CODES)[number];

export interface EventLogEntry {
  id: string;
  at: string;
  source: 'station' | 'command' | 'incident';
  stationId: string;
  stationIdentity: string;
  stationName: string;
  siteId: string;
  siteName: string;
  category: EventCategory;
  type: string;
  /** What the dashboard translates (eventLog.summary.<code> with these params). */
  summary: { code: EventSummaryCode; params: Record<string, string | number | null> };
  /** The same summary in English. */
  text: string;
  details: Record<string, unknown>;
}

export interface EventLogPage extends Page<EventLogEntry> {
  from: string;
  to: string;
}

export interface EventLogFilter {
  stationId?: string;
  siteId?: string;
  type?: EventLogType;
  /** Comma-separated categories. */
  category?: string;
  from?: string;
  to?: string;
  q?: string;
}

export interface EventLogQuery extends EventLogFilter {
  limit?: number;
  offset?: number;
}

export interface EventLogCounts {
  bucket: 'hour' | 'day';
  from: string;
  to: string;
  points: { at: string; category: EventCategory; count: number }[];
}
