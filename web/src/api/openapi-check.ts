/**
 * Compile-time check of the web client against the cloud's OpenAPI document: for every endpoint the
 * client calls, what the document says the endpoint returns must be assignable to the type the
 * client reads it as. openapi.gen.ts is generated from the served document (`pnpm generate:api`, kept
 * current by `pnpm check:generated`), so an API change the web app has not followed fails
 * `vue-tsc`. Nothing here exists at run time.
 */
import type { paths } from './openapi.gen';
import type {
  ActiveTransaction,
  AuditAction,
  AuditEntry,
  SessionDetail,
  SessionItem,
  Tariff,
  TariffAssignment,
  EventLogCounts,
  EventLogPage,
  AlertNotification,
  AlertRule,
  Inbox,
  InboxReadResult,
  Incident,
  IncidentDetail,
  OncallGroup,
  Recipient,
  AuthSession,
  City,
  CommandHistoryItem,
  CommandResult,
  ItemList,
  LiveSnapshot,
  MeterHistory,
  Page,
  PowerHistory,
  PublicSettings,
  SessionPage,
  Site,
  StationDetail,
  StationSummary,
  StationTimeline,
  UiSettings,
  CityDetail,
  EdgeCredentials,
  NatsAuthorization,
  SiteCreated,
  SiteDetail,
  StationSaved,
  StationSettings,
  Token,
  TokenGroup,
  TokenHolder,
  ApiToken,
  ApiTokenCreated,
  Grant,
  ManagedUser,
  SystemSettings,
  BalancePage,
  ConsumptionReport,
  EnergySeries,
  ImportReport,
  LedgerEntry,
  LedgerPage,
  PeakHours,
  RevenueSeries,
  UptimeReport,
  UtilisationReport,
} from './types';

type JsonOk<Operation> = Operation extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
type Returns<Path extends keyof paths, Method extends 'get' | 'post'> = JsonOk<paths[Path][Method]>;
/** Writes of the Sites and Tokens pages: PATCH/PUT answer 200, POST that creates answers 201. */
type ReturnsOn<Path extends keyof paths, Method extends 'patch' | 'put'> = JsonOk<paths[Path][Method]>;
type JsonCreated<Operation> = Operation extends {
  responses: { 201: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
type Creates<Path extends keyof paths> = JsonCreated<paths[Path]['post']>;

/** Resolves to `true` only when the API's type fits the client's; `never` (missing op) fails too. */
type Fits<Api, Client> = [Api] extends [never] ? false : [Api] extends [Client] ? true : false;
type Expect<T extends true> = T;
/** Every audit action the cloud can record has a label on the Audit page (and no label is for nothing). */
type ApiAuditAction = NonNullable<NonNullable<paths['/api/audit']['get']['parameters']['query']>['action']>;

export type ApiContractChecks = [
  Expect<Fits<Returns<'/api/auth/login', 'post'>, AuthSession>>,
  Expect<Fits<Returns<'/api/auth/me', 'get'>, AuthSession>>,
  Expect<Fits<Returns<'/api/stations', 'get'>, Page<StationSummary>>>,
  Expect<Fits<Returns<'/api/stations/{id}', 'get'>, StationDetail>>,
  Expect<Fits<Returns<'/api/sites', 'get'>, ItemList<Site>>>,
  Expect<Fits<Returns<'/api/cities', 'get'>, ItemList<City>>>,
  Expect<Fits<Returns<'/api/live/snapshot', 'get'>, LiveSnapshot>>,
  Expect<Fits<Returns<'/api/history/power', 'get'>, PowerHistory>>,
  Expect<Fits<Returns<'/api/stations/{id}/meter', 'get'>, MeterHistory>>,
  Expect<Fits<Returns<'/api/stations/{id}/timeline', 'get'>, StationTimeline>>,
  Expect<Fits<Returns<'/api/stations/{id}/sessions', 'get'>, SessionPage>>,
  Expect<Fits<Returns<'/api/stations/{id}/commands', 'post'>, CommandResult>>,
  Expect<Fits<Returns<'/api/stations/{id}/commands', 'get'>, Page<CommandHistoryItem>>>,
  Expect<Fits<Returns<'/api/stations/{id}/active-sessions', 'get'>, ItemList<ActiveTransaction>>>,
  Expect<Fits<Returns<'/api/audit', 'get'>, Page<AuditEntry>>>,
  Expect<Fits<Returns<'/api/events', 'get'>, EventLogPage>>,
  Expect<Fits<Returns<'/api/events/counts', 'get'>, EventLogCounts>>,
  // Alerts (the pages' client lives in components/alerts/feature-api.ts)
  Expect<Fits<Returns<'/api/incidents', 'get'>, Page<Incident>>>,
  Expect<Fits<Returns<'/api/incidents/{id}', 'get'>, IncidentDetail>>,
  Expect<Fits<Returns<'/api/incidents/{id}/acknowledge', 'post'>, Incident>>,
  Expect<Fits<Returns<'/api/incidents/{id}/resolve', 'post'>, Incident>>,
  Expect<Fits<Returns<'/api/alerts/rules', 'get'>, Page<AlertRule>>>,
  Expect<Fits<Creates<'/api/alerts/rules'>, AlertRule>>,
  Expect<Fits<ReturnsOn<'/api/alerts/rules/{id}', 'patch'>, AlertRule>>,
  Expect<Fits<Returns<'/api/oncall-groups', 'get'>, Page<OncallGroup>>>,
  Expect<Fits<Creates<'/api/oncall-groups'>, OncallGroup>>,
  Expect<Fits<ReturnsOn<'/api/oncall-groups/{id}', 'patch'>, OncallGroup>>,
  Expect<Fits<Returns<'/api/alerts/recipients', 'get'>, Page<Recipient>>>,
  Expect<Fits<ReturnsOn<'/api/alerts/recipients/{userId}', 'put'>, Recipient>>,
  Expect<Fits<Returns<'/api/notifications', 'get'>, Page<AlertNotification>>>,
  Expect<Fits<Returns<'/api/notifications/inbox', 'get'>, Inbox>>,
  Expect<Fits<Returns<'/api/notifications/inbox/read', 'post'>, InboxReadResult>>,
  // Tariffs and sessions
  Expect<Fits<Returns<'/api/sessions', 'get'>, Page<SessionItem>>>,
  Expect<Fits<Returns<'/api/sessions/{id}', 'get'>, SessionDetail>>,
  Expect<Fits<Returns<'/api/sessions/{id}/dispute', 'post'>, SessionDetail>>,
  Expect<Fits<Returns<'/api/tariffs', 'get'>, Page<Tariff>>>,
  Expect<Fits<Returns<'/api/tariffs/{id}', 'get'>, Tariff>>,
  Expect<Fits<Creates<'/api/tariffs'>, Tariff>>,
  Expect<Fits<Creates<'/api/tariffs/{id}/versions'>, Tariff>>,
  Expect<Fits<Returns<'/api/tariff-assignments', 'get'>, ItemList<TariffAssignment>>>,
  // Ledger and reports
  Expect<Fits<Returns<'/api/ledger', 'get'>, LedgerPage>>,
  Expect<Fits<Returns<'/api/ledger/balances', 'get'>, BalancePage>>,
  Expect<Fits<Creates<'/api/ledger/adjustments'>, LedgerEntry>>,
  Expect<Fits<Creates<'/api/ledger/refunds'>, LedgerEntry>>,
  Expect<Fits<Returns<'/api/ledger/import', 'post'>, ImportReport>>,
  Expect<Fits<Returns<'/api/reports/consumption', 'get'>, ConsumptionReport>>,
  Expect<Fits<Returns<'/api/reports/energy', 'get'>, EnergySeries>>,
  Expect<Fits<Returns<'/api/reports/revenue', 'get'>, RevenueSeries>>,
  Expect<Fits<Returns<'/api/reports/peak-hours', 'get'>, PeakHours>>,
  Expect<Fits<Returns<'/api/reports/utilisation', 'get'>, UtilisationReport>>,
  Expect<Fits<Returns<'/api/reports/uptime', 'get'>, UptimeReport>>,
  Expect<Fits<ApiAuditAction, AuditAction>>,
  Expect<Fits<AuditAction, ApiAuditAction>>,
  Expect<Fits<Returns<'/api/settings/public', 'get'>, PublicSettings>>,
  Expect<Fits<Returns<'/api/settings/ui', 'get'>, UiSettings>>,
  // Sites, stations and tokens management
  Expect<Fits<Returns<'/api/sites', 'get'>, ItemList<SiteDetail>>>,
  Expect<Fits<Returns<'/api/cities', 'get'>, ItemList<CityDetail>>>,
  Expect<Fits<Creates<'/api/cities'>, CityDetail>>,
  Expect<Fits<ReturnsOn<'/api/cities/{id}', 'patch'>, CityDetail>>,
  Expect<Fits<Creates<'/api/sites'>, SiteCreated>>,
  Expect<Fits<ReturnsOn<'/api/sites/{id}', 'patch'>, SiteDetail>>,
  Expect<Fits<Returns<'/api/sites/{id}/credentials', 'post'>, EdgeCredentials>>,
  Expect<Fits<Returns<'/api/sites/nats-authorization', 'get'>, NatsAuthorization>>,
  Expect<Fits<Returns<'/api/stations/{id}/settings', 'get'>, StationSettings>>,
  Expect<Fits<Creates<'/api/stations'>, StationSaved>>,
  Expect<Fits<ReturnsOn<'/api/stations/{id}', 'patch'>, StationSaved>>,
  Expect<Fits<ReturnsOn<'/api/stations/{id}/connectors', 'put'>, StationSettings>>,
  Expect<Fits<Returns<'/api/stations/{id}/password', 'post'>, { password: string }>>,
  Expect<Fits<Returns<'/api/tokens', 'get'>, Page<Token>>>,
  Expect<Fits<Creates<'/api/tokens'>, Token>>,
  Expect<Fits<ReturnsOn<'/api/tokens/{id}', 'patch'>, Token>>,
  Expect<Fits<Returns<'/api/token-holders', 'get'>, Page<TokenHolder>>>,
  Expect<Fits<Creates<'/api/token-holders'>, TokenHolder>>,
  Expect<Fits<ReturnsOn<'/api/token-holders/{id}', 'patch'>, TokenHolder>>,
  Expect<Fits<Returns<'/api/token-groups', 'get'>, Page<TokenGroup>>>,
  Expect<Fits<Creates<'/api/token-groups'>, TokenGroup>>,
  Expect<Fits<ReturnsOn<'/api/token-groups/{id}', 'patch'>, TokenGroup>>,
  // Accounts: users, grants, API tokens, system settings
  Expect<Fits<Returns<'/api/users', 'get'>, Page<ManagedUser>>>,
  Expect<Fits<Creates<'/api/users'>, ManagedUser>>,
  Expect<Fits<ReturnsOn<'/api/users/{id}', 'patch'>, ManagedUser>>,
  Expect<Fits<Creates<'/api/users/{id}/grants'>, Grant>>,
  Expect<Fits<Returns<'/api/api-tokens', 'get'>, ItemList<ApiToken>>>,
  Expect<Fits<Creates<'/api/api-tokens'>, ApiTokenCreated>>,
  Expect<Fits<Returns<'/api/settings/system', 'get'>, SystemSettings>>,
  Expect<Fits<ReturnsOn<'/api/settings/system', 'put'>, SystemSettings>>,
];
