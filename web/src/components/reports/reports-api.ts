/** The report endpoints as the dashboard calls them, on the feature request helper (see ledger-api.ts). */
import { toQueryString } from '../../api/client';
import type {
  ConsumptionGroup,
  ConsumptionReport,
  EnergySeries,
  PeakHours,
  ReportFilter,
  ReportInterval,
  RevenueSeries,
  UptimeReport,
  UtilisationReport,
} from '../../api/types';
import { useFeatureApi, type FeatureApi } from '../alerts/feature-api';

type Zoned = { tz: string };

export function reportsApiOf(request: FeatureApi['request']) {
  return {
    consumption: (
      q: ReportFilter & { groupBy: ConsumptionGroup; sort?: string; limit?: number; offset?: number },
    ) => request<ConsumptionReport>('GET', `/api/reports/consumption${toQueryString(q)}`),
    energy: (q: ReportFilter & Zoned & { interval: ReportInterval }) =>
      request<EnergySeries>(
        'GET',
        `/api/reports/energy${toQueryString({ ...q, holderId: undefined, idToken: undefined })}`,
      ),
    revenue: (q: ReportFilter & Zoned & { interval: ReportInterval }) =>
      request<RevenueSeries>(
        'GET',
        `/api/reports/revenue${toQueryString({ ...q, holderId: undefined, idToken: undefined })}`,
      ),
    peakHours: (q: ReportFilter & Zoned) =>
      request<PeakHours>(
        'GET',
        `/api/reports/peak-hours${toQueryString({ ...q, holderId: undefined, idToken: undefined })}`,
      ),
    utilisation: (q: ReportFilter & { by: 'connector' | 'station' | 'site' }) =>
      request<UtilisationReport>(
        'GET',
        `/api/reports/utilisation${toQueryString({ ...q, holderId: undefined, idToken: undefined })}`,
      ),
    uptime: (q: ReportFilter) =>
      request<UptimeReport>(
        'GET',
        `/api/reports/uptime${toQueryString({ ...q, holderId: undefined, idToken: undefined })}`,
      ),
    /** A plain link: the browser downloads the attachment with the session cookie. */
    consumptionCsvUrl: (q: ReportFilter) => `/api/reports/consumption.csv${toQueryString(q)}`,
  };
}

export type ReportsApi = ReturnType<typeof reportsApiOf>;

export function useReportsApi(): ReportsApi {
  return reportsApiOf(useFeatureApi().request);
}
