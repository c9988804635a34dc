/**
 * The event log and alerts endpoints as the dashboard calls them, on the shared client's `send`
 * (JSON, problem+json → ApiError, the session's CSRF token on writes, a 401 sends the user to the
 * login page). The ledger, billing and reports pages build their calls on `request` the same way.
 */
import { inject, type InjectionKey } from 'vue';
import type { ApiClient } from '../../api/client';
import { toQueryString } from '../../api/client';
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

export interface FeatureApiOptions {
  api: Pick<ApiClient, 'send'>;
  baseUrl?: string;
}

export function createFeatureApi(options: FeatureApiOptions) {
  const baseUrl = options.baseUrl ?? '';
  const request = options.api.send;

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

/** The provided instance (tests), else one on the app's client. */
export function useFeatureApi(): FeatureApi {
  return inject(featureApiKey, null) ?? createFeatureApi({ api: useApi() });
}
