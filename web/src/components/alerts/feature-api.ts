/**
 * The event log and alerts endpoints as the dashboard calls them. The shared client (api/client.ts)
 * belongs to another part of the app, so these calls live here: same JSON and problem+json
 * handling (ApiError), the CSRF token of the current session on writes (read from /api/auth/me,
 * which the shared client also uses), and a 401 reported like the shared client does. The ledger,
 * billing and reports pages build their own calls on `request`: keep its signature.
 */
import { inject, type InjectionKey } from 'vue';
import { useRouter } from 'vue-router';
import type { ApiClient, FetchPort } from '../../api/client';
import { toQueryString } from '../../api/client';
import { ApiError, CLIENT_ERROR_CODES, parseProblem } from '../../api/errors';
import { useApi } from '../../api/inject';
import type {
  AlertNotification,
  AlertRule,
  AlertRuleFields,
  AlertRuleInput,
  EventLogCounts,
  EventLogFilter,
  EventLogPage,
  EventLogQuery,
  Inbox,
  InboxReadResult,
  Incident,
  IncidentDetail,
  IncidentQuery,
  NotificationQuery,
  OncallGroup,
  OncallGroupInput,
  Page,
  Recipient,
  RecipientInput,
} from '../../api/types';
import { useAuthStore } from '../../stores/auth';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface FeatureApiOptions {
  api: Pick<ApiClient, 'me'>;
  fetch?: FetchPort;
  baseUrl?: string;
  onUnauthorized?: () => void;
}

export function createFeatureApi(options: FeatureApiOptions) {
  const fetchImpl: FetchPort = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers = new Headers({ accept: 'application/json, application/problem+json' });
    if (body !== undefined) headers.set('content-type', 'application/json');
    if (method !== 'GET') headers.set('x-csrf-token', (await options.api.me()).csrfToken);
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
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
    const problem = parseProblem(await response.json().catch(() => undefined), response.status);
    if (response.status === 401) options.onUnauthorized?.();
    throw new ApiError({
      code: problem?.code ?? `http.${response.status}`,
      status: response.status,
      message: problem?.detail ?? problem?.title ?? `${method} ${path} failed with ${response.status}`,
      ...(problem ? { problem } : {}),
    });
  }

  return {
    request,
    listEvents: (query: EventLogQuery = {}) =>
      request<EventLogPage>('GET', `/api/events${toQueryString(query)}`),
    eventCounts: (filter: EventLogFilter = {}) =>
      request<EventLogCounts>('GET', `/api/events/counts${toQueryString(filter)}`),
    /** A plain link: the browser downloads the attachment with the session cookie. */
    eventsCsvUrl: (filter: EventLogFilter = {}) => `${baseUrl}/api/events.csv${toQueryString(filter)}`,
    // Alerts
    listRules: (query: { limit?: number; offset?: number } = {}) =>
      request<Page<AlertRule>>('GET', `/api/alerts/rules${toQueryString(query)}`),
    createRule: (body: AlertRuleInput) => request<AlertRule>('POST', '/api/alerts/rules', body),
    updateRule: (id: string, body: Partial<AlertRuleFields>) =>
      request<AlertRule>('PATCH', `/api/alerts/rules/${encodeURIComponent(id)}`, body),
    deleteRule: (id: string) => request<void>('DELETE', `/api/alerts/rules/${encodeURIComponent(id)}`),
    listIncidents: (query: IncidentQuery = {}) =>
      request<Page<Incident>>('GET', `/api/incidents${toQueryString(query)}`),
    getIncident: (id: string) => request<IncidentDetail>('GET', `/api/incidents/${encodeURIComponent(id)}`),
    acknowledge: (id: string, comment?: string) =>
      request<Incident>(
        'POST',
        `/api/incidents/${encodeURIComponent(id)}/acknowledge`,
        comment ? { comment } : {},
      ),
    resolve: (id: string, comment: string) =>
      request<Incident>('POST', `/api/incidents/${encodeURIComponent(id)}/resolve`, { comment }),
    listGroups: (query: { limit?: number; offset?: number } = {}) =>
      request<Page<OncallGroup>>('GET', `/api/oncall-groups${toQueryString(query)}`),
    createGroup: (body: OncallGroupInput) => request<OncallGroup>('POST', '/api/oncall-groups', body),
    updateGroup: (id: string, body: Partial<OncallGroupInput>) =>
      request<OncallGroup>('PATCH', `/api/oncall-groups/${encodeURIComponent(id)}`, body),
    deleteGroup: (id: string) => request<void>('DELETE', `/api/oncall-groups/${encodeURIComponent(id)}`),
    listRecipients: (query: { q?: string; limit?: number; offset?: number } = {}) =>
      request<Page<Recipient>>('GET', `/api/alerts/recipients${toQueryString(query)}`),
    updateRecipient: (userId: string, body: RecipientInput) =>
      request<Recipient>('PUT', `/api/alerts/recipients/${encodeURIComponent(userId)}`, body),
    listNotifications: (query: NotificationQuery = {}) =>
      request<Page<AlertNotification>>('GET', `/api/notifications${toQueryString(query)}`),
    inbox: (query: { unread?: 'true'; limit?: number } = {}) =>
      request<Inbox>('GET', `/api/notifications/inbox${toQueryString(query)}`),
    markRead: (body: { ids: string[] } | { all: true }) =>
      request<InboxReadResult>('POST', '/api/notifications/inbox/read', body),
  };
}

export type FeatureApi = ReturnType<typeof createFeatureApi>;

export const featureApiKey: InjectionKey<FeatureApi> = Symbol('voltmesh.featureApi');

/** The provided instance (tests), else one built on the app's client and the browser's fetch. */
export function useFeatureApi(): FeatureApi {
  const provided = inject(featureApiKey, null);
  if (provided) return provided;
  const api = useApi();
  const auth = useAuthStore();
  const router = useRouter();
  return createFeatureApi({
    api,
    // What main.ts does when the shared client meets a 401: the session is gone, sign in again.
    onUnauthorized: () => {
      if (!auth.isAuthenticated) return;
      auth.forget();
      const current = router.currentRoute.value;
      void router.push({ name: 'login', query: { redirect: current.fullPath } });
    },
  });
}
