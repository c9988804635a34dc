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
export const SESSION_STATUSES = [
  'active',
  'completed',
  'stopped_by_operator',
  'closed_by_watchdog',
  'disputed',
] as const;
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
  'ledger.adjustment_recorded',
  'ledger.refund_recorded',
  'ledger.orders_imported',
  'tariff.created',
  'tariff.updated',
  'tariff.deleted',
  'tariff.version_added',
  'tariff.assigned',
  'tariff.unassigned',
  'session.disputed',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'oncall_group.created',
  'oncall_group.updated',
  'oncall_group.deleted',
  'alert_recipient.updated',
  'alert_webhook.created',
  'alert_webhook.updated',
  'alert_webhook.deleted',
  'incident.acknowledged',
  'incident.resolved',
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

// ---- Tariffs and sessions (billing)

export interface Money {
  net: string;
  tax: string;
  total: string;
  currency: string;
}

export interface SessionItem {
  id: string;
  stationId: string;
  stationIdentity: string;
  stationName: string;
  siteId: string;
  siteName: string;
  evseId: number | null;
  connectorId: number | null;
  transactionId: string;
  idToken: string | null;
  holderId: string | null;
  holderName: string | null;
  groupName: string | null;
  status: SessionStatus;
  startedAt: string | null;
  endedAt: string | null;
  stopReason: string | null;
  energyWh: number | null;
  chargingSeconds: number | null;
  idleSeconds: number | null;
  peakPowerW: number | null;
  cost: Money | null;
}

export const COST_COMPONENTS = [
  'energy',
  'charging_time',
  'idle_time',
  'session_fee',
  'minimum',
  'maximum',
] as const;
export type CostComponent = (typeof COST_COMPONENTS)[number];

export interface CostLine {
  component: CostComponent;
  period: string | null;
  quantity: string;
  unitPrice: string;
  amount: string;
}

export interface CostBreakdown {
  lines: CostLine[];
  periods: { period: string | null; energyWh: number; chargingSeconds: number; idleSeconds: number }[];
  taxRatePercent: string;
  billedIdleSeconds: number;
}

export interface SessionDetail extends SessionItem {
  meterStartWh: number | null;
  meterStopWh: number | null;
  tariff: { id: string; name: string; versionId: string; validFrom: string; timeZone: string } | null;
  breakdown: CostBreakdown | null;
  running: {
    at: string | null;
    energyWh: number;
    chargingSeconds: number;
    idleSeconds: number;
    powerW: number | null;
    voltageV: number | null;
    currentA: number | null;
    cost: Money | null;
    breakdown: CostBreakdown | null;
  } | null;
  timeline: { at: string; energyWh: number }[];
  reportAt: string | null;
  dispute: { at: string; reason: string; by: string | null; previousStatus: string } | null;
  forceStop: { at: string; reason: string | null } | null;
}

export interface SessionListQuery {
  status?: SessionStatus;
  stationId?: string;
  siteId?: string;
  idToken?: string;
  holderId?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: 'startedAt' | '-startedAt' | 'endedAt' | '-endedAt' | 'energyWh' | '-energyWh' | 'cost' | '-cost';
  limit?: number;
  offset?: number;
}

/** Pushed over Socket.IO (`session:cost`) to a page that sent `session:subscribe`. */
export interface SessionCostLive {
  sessionId: string;
  status: string;
  at: string | null;
  energyWh: number;
  powerW: number | null;
  voltageV: number | null;
  currentA: number | null;
  chargingSeconds: number;
  idleSeconds: number;
  cost: Money | null;
}

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface TariffPeriod {
  name: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  startMinute: number;
  endMinute: number;
  energyPerKwh: string | null;
  chargingPerMinute: string | null;
  idlePerMinute: string | null;
}

export interface TariffSpec {
  currency: string;
  timeZone: string;
  energyPerKwh: string;
  chargingPerMinute: string;
  idlePerMinute: string;
  idleGraceMinutes: number;
  sessionFee: string;
  minimum: string | null;
  maximum: string | null;
  taxRatePercent: string;
  periods: TariffPeriod[];
}

export interface TariffVersion {
  id: string;
  validFrom: string;
  validTo: string | null;
  spec: TariffSpec;
  createdAt: string;
  sessionCount: number;
}

export const ASSIGNMENT_TARGETS = ['site', 'station', 'token_group', 'token'] as const;
export type AssignmentTarget = (typeof ASSIGNMENT_TARGETS)[number];

export interface TariffAssignment {
  targetType: AssignmentTarget;
  targetId: string;
  targetName: string;
  tariffId: string;
  tariffName: string;
  assignedAt: string;
}

export interface Tariff {
  id: string;
  name: string;
  description: string | null;
  current: TariffVersion | null;
  versions: TariffVersion[];
  assignments: TariffAssignment[];
  createdAt: string;
  updatedAt: string;
}

export interface TariffInput {
  name: string;
  description: string | null;
  spec: TariffSpec;
  validFrom?: string;
}

export interface TariffVersionInput {
  validFrom: string;
  validTo: string | null;
  spec: TariffSpec;
}

export interface AssignmentInput {
  targetType: AssignmentTarget;
  targetId: string;
  tariffId: string | null;
}

// ---- Alerts: rules, incidents, on-call groups, recipients, notifications (cloud/src/alerts/schemas.ts)

export const RULE_KINDS = [
  'station_offline',
  'site_unreachable',
  'connector_faulted',
  'fault_burst',
  'charging_error',
  'heartbeat_missed',
  'firmware_failed',
  'diagnostics_failed',
  'security_event',
  'maintenance_due',
  'session_stuck',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_CHANNELS = ['sms', 'email', 'webhook', 'in_app'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export const PERSONAL_CHANNELS = ['sms', 'email', 'in_app'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const NOTIFICATION_REASONS = ['opened', 'escalated', 'recovered', 'test'] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];
export const INCIDENT_EVENT_TYPES = [
  'opened',
  'reopened',
  'escalated',
  'acknowledged',
  'resolved',
  'auto_resolved',
  'comment',
] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

export interface AlertRuleScope {
  cityIds: string[];
  siteIds: string[];
  stationIds: string[];
}
export interface AlertRuleRecipients {
  siteOnCall: boolean;
  groupIds: string[];
  userIds: string[];
}
export interface AlertRuleEscalation {
  afterMinutes: number | null;
  groupId: string | null;
}

export interface AlertRuleFields {
  name: string;
  severity: Severity;
  enabled: boolean;
  scope: AlertRuleScope;
  params: Record<string, number>;
  cooldownMinutes: number;
  channels: AlertChannel[];
  recipients: AlertRuleRecipients;
  notifyOnRecovery: boolean;
  escalation: AlertRuleEscalation;
}
export interface AlertRuleInput extends AlertRuleFields {
  kind: RuleKind;
}
export interface AlertRule extends AlertRuleInput {
  id: string;
  isDefault: boolean;
  openIncidents: number;
  lastEvaluatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface IncidentTarget {
  siteId: string;
  siteName: string;
  cityId: string | null;
  stationId: string | null;
  stationIdentity: string | null;
  stationName: string | null;
  evseId: number | null;
  connectorId: number | null;
}

export interface Incident {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  severity: Severity;
  status: IncidentStatus;
  title: string;
  target: IncidentTarget;
  details: Record<string, unknown>;
  since: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: UserRef | null;
  resolvedAt: string | null;
  resolvedBy: UserRef | null;
  autoResolved: boolean;
  flapCount: number;
  escalationLevel: number;
  lastNotifiedAt: string | null;
  link: string;
}

export interface IncidentEvent {
  id: string;
  at: string;
  type: IncidentEventType;
  user: UserRef | null;
  comment: string | null;
  details: Record<string, unknown>;
}

export interface AlertNotification {
  id: string;
  incidentId: string | null;
  reason: NotificationReason;
  channel: AlertChannel;
  status: NotificationStatus;
  severity: Severity;
  recipient: { userId: string | null; name: string | null; webhookId: string | null; address: string };
  subject: string;
  body: string;
  attempts: number;
  nextAttemptAt: string | null;
  providerId: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
}

export interface IncidentDetail extends Incident {
  events: IncidentEvent[];
  notifications: AlertNotification[];
}

export interface IncidentQuery {
  status?: IncidentStatus | 'unresolved';
  severity?: Severity;
  siteId?: string;
  stationId?: string;
  limit?: number;
  offset?: number;
}

export interface NotificationQuery {
  channel?: AlertChannel;
  status?: NotificationStatus;
  incidentId?: string;
  limit?: number;
  offset?: number;
}

export interface InboxItem {
  id: string;
  incidentId: string | null;
  reason: NotificationReason;
  severity: Severity;
  subject: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface Inbox extends Page<InboxItem> {
  unread: number;
}

export interface InboxReadResult {
  marked: number;
  unread: number;
}

export interface OncallMember {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  level: number;
  position: number;
}

export interface OncallGroup {
  id: string;
  name: string;
  description: string;
  siteId: string | null;
  siteName: string | null;
  cityId: string | null;
  cityName: string | null;
  members: OncallMember[];
  createdAt: string;
  updatedAt: string;
}

export interface OncallGroupInput {
  name: string;
  description: string;
  siteId: string | null;
  cityId: string | null;
  members: { userId: string; level: number }[];
}

export interface QuietHours {
  start: string;
  end: string;
  timeZone: string;
}

export interface Recipient {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  role: string;
  channels: PersonalChannel[];
  quietHours: QuietHours | null;
  groups: { id: string; name: string; level: number }[];
}

export interface RecipientInput {
  phone: string | null;
  channels: PersonalChannel[];
  quietHours: QuietHours | null;
}

// ---- Ledger (/api/ledger*) and reports (/api/reports/*): amounts are decimal strings, never floats.

export const LEDGER_KINDS = ['session_charge', 'adjustment', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const BALANCE_GROUPS = ['token', 'holder', 'group', 'company'] as const;
export type BalanceGroup = (typeof BALANCE_GROUPS)[number];

export interface LedgerEntry {
  id: string;
  orderNumber: string;
  kind: LedgerKind;
  amount: string;
  currency: string;
  occurredAt: string;
  recordedAt: string;
  sessionId: string | null;
  stationId: string | null;
  stationName: string | null;
  siteId: string | null;
  siteName: string | null;
  idToken: string | null;
  holderId: string | null;
  holderName: string | null;
  groupId: string | null;
  groupName: string | null;
  groupKind: 'personal' | 'corporate' | null;
  company: string | null;
  refundOf: string | null;
  reason: string | null;
  actorEmail: string | null;
  externalRef: string | null;
}

export interface LedgerFilter {
  from?: string;
  to?: string;
  kind?: LedgerKind;
  idToken?: string;
  holderId?: string;
  groupId?: string;
  siteId?: string;
  q?: string;
}
export interface LedgerQuery extends LedgerFilter {
  sort?: string;
  limit?: number;
  offset?: number;
}
export interface LedgerPage extends Page<LedgerEntry> {
  from: string;
  to: string;
  sums: { currency: string; amount: string }[];
}

export interface LedgerBalance {
  key: string;
  label: string | null;
  currency: string;
  charged: string;
  refunded: string;
  adjusted: string;
  balance: string;
  entries: number;
}
export interface BalancePage extends Page<LedgerBalance> {
  by: BalanceGroup;
}

export interface AdjustmentInput {
  amount: string;
  currency: string;
  reason: string;
  sessionId: string | null;
  idToken: string | null;
}
export interface RefundInput {
  sessionId?: string;
  orderNumber?: string;
  amount: string;
  reason: string;
}

export const IMPORT_REJECTIONS = [
  'missing_column',
  'invalid_value',
  'duplicate_in_file',
  'already_imported',
  'unknown_site',
] as const;
export type ImportRejection = (typeof IMPORT_REJECTIONS)[number];
export interface ImportReport {
  dryRun: boolean;
  rows: number;
  accepted: {
    line: number;
    externalRef: string;
    orderNumber: string | null;
    amount: string;
    currency: string;
  }[];
  rejected: {
    line: number;
    externalRef: string | null;
    code: ImportRejection;
    field: string | null;
    message: string;
  }[];
}

export const CONSUMPTION_GROUPS = ['token', 'holder', 'group', 'company', 'station', 'site'] as const;
export type ConsumptionGroup = (typeof CONSUMPTION_GROUPS)[number];
export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export interface ReportFilter {
  from?: string;
  to?: string;
  siteId?: string;
  holderId?: string;
  idToken?: string;
}
export interface ConsumptionRow {
  key: string;
  label: string | null;
  detail: string | null;
  sessions: number;
  energyWh: number;
}
export interface ConsumptionReport extends Page<ConsumptionRow> {
  groupBy: ConsumptionGroup;
  from: string;
  to: string;
  totals: { sessions: number; energyWh: number };
}
export interface EnergySeries {
  interval: ReportInterval;
  tz: string;
  from: string;
  to: string;
  points: { at: string; energyWh: number }[];
}
export interface RevenueSeries {
  interval: ReportInterval;
  tz: string;
  from: string;
  to: string;
  points: {
    at: string;
    currency: string;
    charges: string;
    refunds: string;
    adjustments: string;
    revenue: string;
  }[];
  totals: { currency: string; revenue: string }[];
}
export interface PeakHours {
  tz: string;
  from: string;
  to: string;
  /** energyWh[weekday][hour], weekday 0 = Monday. */
  energyWh: number[][];
}
export interface UtilisationRow {
  key: string;
  label: string;
  stationId: string | null;
  siteId: string;
  evseId: number | null;
  connectorId: number | null;
  connectors: number;
  occupiedS: number;
  utilisationPercent: number;
  chargingS: number | null;
  idleS: number | null;
}
export interface UtilisationReport extends Page<UtilisationRow> {
  by: 'connector' | 'station' | 'site';
  from: string;
  to: string;
  idleAvailable: boolean;
}
export interface UptimeReport extends Page<UptimeRow> {
  from: string;
  to: string;
}
export interface UptimeRow {
  stationId: string;
  stationName: string;
  siteId: string;
  siteName: string;
  evseId: number;
  upS: number;
  uptimePercent: number;
}
