/**
 * The ledger endpoints as the dashboard calls them, on the feature request helper
 * (components/alerts/feature-api.ts: JSON, problem+json as ApiError, the CSRF token on writes).
 */
import { toQueryString } from '../../api/client';
import type {
  AdjustmentInput,
  BalanceGroup,
  BalancePage,
  ImportReport,
  LedgerEntry,
  LedgerFilter,
  LedgerPage,
  LedgerQuery,
  RefundInput,
} from '../../api/types';
import { useFeatureApi, type FeatureApi } from '../alerts/feature-api';

export function ledgerApiOf(request: FeatureApi['request']) {
  return {
    listEntries: (query: LedgerQuery = {}) =>
      request<LedgerPage>('GET', `/api/ledger${toQueryString(query)}`),
    balances: (query: { by: BalanceGroup; q?: string; limit?: number; offset?: number }) =>
      request<BalancePage>('GET', `/api/ledger/balances${toQueryString(query)}`),
    adjust: (body: AdjustmentInput) => request<LedgerEntry>('POST', '/api/ledger/adjustments', body),
    refund: (body: RefundInput) => request<LedgerEntry>('POST', '/api/ledger/refunds', body),
    importOrders: (csv: string, dryRun: boolean) =>
      request<ImportReport>('POST', '/api/ledger/import', { csv, dryRun }),
    /** A plain link: the browser downloads the attachment with the session cookie. */
    csvUrl: (filter: LedgerFilter = {}) => `/api/ledger.csv${toQueryString(filter)}`,
  };
}

export type LedgerApi = ReturnType<typeof ledgerApiOf>;

export function useLedgerApi(): LedgerApi {
  return ledgerApiOf(useFeatureApi().request);
}
