/** The Reports page's period and filters, kept while the user visits other pages. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsumptionGroup, ReportInterval } from '../api/types';

export interface ReportFilters {
  /** yyyy-mm-dd (the browser's date input) or '' for the server's default (this month). */
  from: string;
  to: string;
  siteId: string;
  holderId: string;
  idToken: string;
}

export const emptyReportFilters = (): ReportFilters => ({
  from: '',
  to: '',
  siteId: '',
  holderId: '',
  idToken: '',
});

export const useReportsStore = defineStore('reports', () => {
  const filters = ref<ReportFilters>(emptyReportFilters());
  const groupBy = ref<ConsumptionGroup>('token');
  const interval = ref<ReportInterval>('day');
  /** Utilisation and idle time per station or per site. */
  const utilisationBy = ref<'station' | 'site'>('station');
  function reset(): void {
    filters.value = emptyReportFilters();
  }
  return { filters, groupBy, interval, utilisationBy, reset };
});
