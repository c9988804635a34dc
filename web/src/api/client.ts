/**
 * A small typed client for the cloud API: JSON in and out, problem+json turned into ApiError,
 * the CSRF token on every state-changing request, and one hook for "the session is gone".
 */
import { ApiError, CLIENT_ERROR_CODES, parseProblem, parseRetryAfterS } from './errors';
import type {
  ActiveTransaction,
  AuditEntry,
  AuditQuery,
  AuthSession,
  City,
  Command,
  CommandHistoryItem,
  CommandResult,
  ItemList,
  LiveSnapshot,
  LoginRequest,
  MeterHistory,
  Page,
  PowerHistory,
  PowerHistoryQuery,
  PublicSettings,
  SessionPage,
  SessionQuery,
  Site,
  StationDetail,
  StationQuery,
  StationSummary,
  StationTimeline,
  TimeRange,
  UiSettings,
  CityDetail,
  CityInput,
  ConnectorSpec,
  EdgeCredentials,
  NamedQuery,
  NatsAuthorization,
  SiteCreated,
  SiteDetail,
  SiteInput,
  StationInput,
  StationSaved,
  StationSettings,
  Token,
  TokenGroup,
  TokenGroupInput,
  TokenHolder,
  TokenHolderInput,
  TokenInput,
  TokenQuery,
  ApiToken,
  ApiTokenCreated,
  ApiTokenInput,
  Grant,
  GrantInput,
  ManagedUser,
  PasswordChange,
  SystemSettings,
  UserInput,
  UserPatch,
  UserQuery,
} from './types';

/** The slice of `fetch` the client uses; tests pass a fake. */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch?: FetchPort;
  baseUrl?: string;
  /** Called when an authenticated request gets 401; the app sends the user to the login page. */
  onUnauthorized?: () => void;
  now?: () => number;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /** Login and session restore expect 401 and handle it themselves. */
  expectUnauthorized?: boolean;
}

const SAFE_METHODS: ReadonlySet<Method> = new Set(['GET']);

export type ApiClient = ReturnType<typeof createApiClient>;

export function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const fetchImpl: FetchPort = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const baseUrl = options.baseUrl ?? '';
  const now = options.now ?? Date.now;
  let csrfToken: string | undefined;

  async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers = new Headers({ accept: 'application/json, application/problem+json' });
    if (opts.body !== undefined) headers.set('content-type', 'application/json');
    if (!SAFE_METHODS.has(method) && csrfToken !== undefined) headers.set('x-csrf-token', csrfToken);

    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      });
    } catch (cause) {
      throw new ApiError(
        { code: CLIENT_ERROR_CODES.network, status: 0, message: `Network error on ${method} ${path}` },
        { cause },
      );
    }

    if (response.ok) {
      if (response.status === 204) return undefined as T;
      try {
        return (await response.json()) as T;
      } catch (cause) {
        throw new ApiError(
          { code: CLIENT_ERROR_CODES.badResponse, status: response.status, message: 'Response is not JSON' },
          { cause },
        );
      }
    }

    const body: unknown = await response.json().catch(() => undefined);
    const problem = parseProblem(body, response.status);
    const retryAfterS = parseRetryAfterS(response.headers.get('retry-after'), now());
    const error = new ApiError({
      code: problem?.code ?? `http.${response.status}`,
      status: response.status,
      message: problem?.detail ?? problem?.title ?? `${method} ${path} failed with ${response.status}`,
      ...(problem ? { problem } : {}),
      ...(retryAfterS !== undefined ? { retryAfterS } : {}),
    });
    if (response.status === 401 && !opts.expectUnauthorized) {
      csrfToken = undefined;
      options.onUnauthorized?.();
    }
    throw error;
  }

  return {
    setCsrfToken(token: string | undefined): void {
      csrfToken = token;
    },
    /**
     * Any endpoint by method and path, with the same JSON, problem+json, CSRF and 401 handling:
     * feature modules (alerts, event log, billing, ledger, reports) build their typed calls on it.
     */
    send: <T>(method: Method, path: string, body?: unknown) =>
      request<T>(method, path, body === undefined ? {} : { body }),
    login: (body: LoginRequest) =>
      request<AuthSession>('POST', '/api/auth/login', { body, expectUnauthorized: true }),
    me: () => request<AuthSession>('GET', '/api/auth/me', { expectUnauthorized: true }),
    logout: () => request<void>('POST', '/api/auth/logout', { expectUnauthorized: true }),
    listStations: (query: StationQuery = {}) =>
      request<Page<StationSummary>>('GET', `/api/stations${toQueryString(query)}`),
    getStation: (id: string) => request<StationDetail>('GET', `/api/stations/${encodeURIComponent(id)}`),
    listSites: () => request<ItemList<Site>>('GET', '/api/sites'),
    listCities: () => request<ItemList<City>>('GET', '/api/cities'),
    liveSnapshot: () => request<LiveSnapshot>('GET', '/api/live/snapshot'),
    powerHistory: (query: PowerHistoryQuery = {}) =>
      request<PowerHistory>('GET', `/api/history/power${toQueryString(query)}`),
    stationMeter: (id: string, range: TimeRange = {}) =>
      request<MeterHistory>('GET', `/api/stations/${encodeURIComponent(id)}/meter${toQueryString(range)}`),
    stationTimeline: (id: string, range: TimeRange = {}) =>
      request<StationTimeline>(
        'GET',
        `/api/stations/${encodeURIComponent(id)}/timeline${toQueryString(range)}`,
      ),
    stationSessions: (id: string, query: SessionQuery = {}) =>
      request<SessionPage>('GET', `/api/stations/${encodeURIComponent(id)}/sessions${toQueryString(query)}`),
    sendCommand: (stationId: string, command: Command) =>
      request<CommandResult>('POST', `/api/stations/${encodeURIComponent(stationId)}/commands`, {
        body: command,
      }),
    listCommands: (stationId: string, query: { limit?: number; offset?: number } = {}) =>
      request<Page<CommandHistoryItem>>(
        'GET',
        `/api/stations/${encodeURIComponent(stationId)}/commands${toQueryString(query)}`,
      ),
    activeTransactions: (stationId: string) =>
      request<ItemList<ActiveTransaction>>(
        'GET',
        `/api/stations/${encodeURIComponent(stationId)}/active-sessions`,
      ),
    listAudit: (query: AuditQuery = {}) =>
      request<Page<AuditEntry>>('GET', `/api/audit${toQueryString(query)}`),
    publicSettings: () => request<PublicSettings>('GET', '/api/settings/public'),
    uiSettings: () => request<UiSettings>('GET', '/api/settings/ui'),
    // Site hierarchy, station settings and RFID tokens (Sites and Tokens pages).
    listSiteDetails: () => request<ItemList<SiteDetail>>('GET', '/api/sites'),
    listCityDetails: () => request<ItemList<CityDetail>>('GET', '/api/cities'),
    createCity: (body: CityInput) => request<CityDetail>('POST', '/api/cities', { body }),
    updateCity: (id: string, body: Partial<CityInput>) =>
      request<CityDetail>('PATCH', `/api/cities/${encodeURIComponent(id)}`, { body }),
    deleteCity: (id: string) => request<void>('DELETE', `/api/cities/${encodeURIComponent(id)}`),
    createSite: (body: SiteInput & { code: string }) => request<SiteCreated>('POST', '/api/sites', { body }),
    updateSite: (id: string, body: Partial<SiteInput>) =>
      request<SiteDetail>('PATCH', `/api/sites/${encodeURIComponent(id)}`, { body }),
    deleteSite: (id: string) => request<void>('DELETE', `/api/sites/${encodeURIComponent(id)}`),
    natsAuthorization: () => request<NatsAuthorization>('GET', '/api/sites/nats-authorization'),
    rotateSiteCredentials: (id: string) =>
      request<EdgeCredentials>('POST', `/api/sites/${encodeURIComponent(id)}/credentials`),
    stationSettings: (id: string) =>
      request<StationSettings>('GET', `/api/stations/${encodeURIComponent(id)}/settings`),
    createStation: (body: StationInput & { identity: string; connectors: ConnectorSpec[] }) =>
      request<StationSaved>('POST', '/api/stations', { body }),
    updateStation: (id: string, body: Partial<StationInput> & { approved?: true }) =>
      request<StationSaved>('PATCH', `/api/stations/${encodeURIComponent(id)}`, { body }),
    replaceConnectors: (id: string, connectors: ConnectorSpec[]) =>
      request<StationSettings>('PUT', `/api/stations/${encodeURIComponent(id)}/connectors`, {
        body: { connectors },
      }),
    rotateStationPassword: (id: string) =>
      request<{ password: string }>('POST', `/api/stations/${encodeURIComponent(id)}/password`),
    listTokens: (query: TokenQuery = {}) => request<Page<Token>>('GET', `/api/tokens${toQueryString(query)}`),
    createToken: (body: TokenInput) => request<Token>('POST', '/api/tokens', { body }),
    updateToken: (id: string, body: Partial<TokenInput>) =>
      request<Token>('PATCH', `/api/tokens/${encodeURIComponent(id)}`, { body }),
    deleteToken: (id: string) => request<void>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
    listTokenHolders: (query: NamedQuery = {}) =>
      request<Page<TokenHolder>>('GET', `/api/token-holders${toQueryString(query)}`),
    createTokenHolder: (body: TokenHolderInput) =>
      request<TokenHolder>('POST', '/api/token-holders', { body }),
    updateTokenHolder: (id: string, body: Partial<TokenHolderInput>) =>
      request<TokenHolder>('PATCH', `/api/token-holders/${encodeURIComponent(id)}`, { body }),
    deleteTokenHolder: (id: string) =>
      request<void>('DELETE', `/api/token-holders/${encodeURIComponent(id)}`),
    listTokenGroups: (query: NamedQuery = {}) =>
      request<Page<TokenGroup>>('GET', `/api/token-groups${toQueryString(query)}`),
    createTokenGroup: (body: TokenGroupInput) => request<TokenGroup>('POST', '/api/token-groups', { body }),
    updateTokenGroup: (id: string, body: Partial<TokenGroupInput>) =>
      request<TokenGroup>('PATCH', `/api/token-groups/${encodeURIComponent(id)}`, { body }),
    deleteTokenGroup: (id: string) => request<void>('DELETE', `/api/token-groups/${encodeURIComponent(id)}`),
    // Accounts (Users and Settings pages, the change-password dialog)
    listUsers: (query: UserQuery = {}) =>
      request<Page<ManagedUser>>('GET', `/api/users${toQueryString(query)}`),
    createUser: (body: UserInput) => request<ManagedUser>('POST', '/api/users', { body }),
    updateUser: (id: string, body: UserPatch) =>
      request<ManagedUser>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body }),
    resetUserPassword: (id: string, password: string) =>
      request<void>('POST', `/api/users/${encodeURIComponent(id)}/password`, { body: { password } }),
    addGrant: (userId: string, body: GrantInput) =>
      request<Grant>('POST', `/api/users/${encodeURIComponent(userId)}/grants`, { body }),
    removeGrant: (userId: string, grantId: string) =>
      request<void>(
        'DELETE',
        `/api/users/${encodeURIComponent(userId)}/grants/${encodeURIComponent(grantId)}`,
      ),
    changePassword: (body: PasswordChange) => request<void>('POST', '/api/auth/password', { body }),
    listApiTokens: () => request<ItemList<ApiToken>>('GET', '/api/api-tokens'),
    createApiToken: (body: ApiTokenInput) => request<ApiTokenCreated>('POST', '/api/api-tokens', { body }),
    revokeApiToken: (id: string) => request<void>('DELETE', `/api/api-tokens/${encodeURIComponent(id)}`),
    systemSettings: () => request<SystemSettings>('GET', '/api/settings/system'),
    updateSystemSettings: (body: SystemSettings) =>
      request<SystemSettings>('PUT', '/api/settings/system', { body }),
  };
}
