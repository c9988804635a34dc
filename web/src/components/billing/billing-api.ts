/**
 * The tariff and session endpoints as the dashboard calls them, on the feature request helper
 * (components/alerts/feature-api.ts: the shared client belongs to another part of the app).
 */
import { toQueryString } from '../../api/client';
import type {
  AssignmentInput,
  AssignmentTarget,
  ItemList,
  Page,
  SessionDetail,
  SessionItem,
  SessionListQuery,
  Tariff,
  TariffAssignment,
  TariffInput,
  TariffVersionInput,
} from '../../api/types';
import { useFeatureApi, type FeatureApi } from '../alerts/feature-api';

const at = (id: string) => encodeURIComponent(id);

export function billingApiOf(request: FeatureApi['request']) {
  return {
    listSessions: (query: SessionListQuery = {}) =>
      request<Page<SessionItem>>('GET', `/api/sessions${toQueryString(query)}`),
    getSession: (id: string) => request<SessionDetail>('GET', `/api/sessions/${at(id)}`),
    disputeSession: (id: string, reason: string) =>
      request<SessionDetail>('POST', `/api/sessions/${at(id)}/dispute`, { reason }),
    /** A plain link: the browser downloads the attachment with the session cookie. */
    reportCsvUrl: (id: string) => `/api/sessions/${at(id)}/report.csv`,
    listTariffs: (query: { q?: string; limit?: number; offset?: number } = {}) =>
      request<Page<Tariff>>('GET', `/api/tariffs${toQueryString(query)}`),
    createTariff: (body: TariffInput) => request<Tariff>('POST', '/api/tariffs', body),
    updateTariff: (id: string, body: { name?: string; description?: string | null }) =>
      request<Tariff>('PATCH', `/api/tariffs/${at(id)}`, body),
    deleteTariff: (id: string) => request<void>('DELETE', `/api/tariffs/${at(id)}`),
    addVersion: (id: string, body: TariffVersionInput) =>
      request<Tariff>('POST', `/api/tariffs/${at(id)}/versions`, body),
    listAssignments: (query: { targetType?: AssignmentTarget; tariffId?: string } = {}) =>
      request<ItemList<TariffAssignment>>('GET', `/api/tariff-assignments${toQueryString(query)}`),
    assign: (body: AssignmentInput) =>
      request<TariffAssignment | null>('PUT', '/api/tariff-assignments', body),
  };
}

export type BillingApi = ReturnType<typeof billingApiOf>;

export function useBillingApi(): BillingApi {
  return billingApiOf(useFeatureApi().request);
}
