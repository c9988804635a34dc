/**
 * What the Ledger page was showing (tab, filters, balance grouping), kept while the user visits
 * other pages. The page loads the data itself; an empty period means the current month.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BalanceGroup, LedgerKind } from '../api/types';

export interface LedgerFilters {
  /** yyyy-mm-dd (the browser's date input) or '' for the server's default (this month). */
  from: string;
  to: string;
  kind: LedgerKind | '';
  idToken: string;
  q: string;
}

export const emptyLedgerFilters = (): LedgerFilters => ({ from: '', to: '', kind: '', idToken: '', q: '' });

export const useLedgerStore = defineStore('ledger', () => {
  const tab = ref<'orders' | 'balances'>('orders');
  const filters = ref<LedgerFilters>(emptyLedgerFilters());
  const balanceBy = ref<BalanceGroup>('token');
  function reset(): void {
    filters.value = emptyLedgerFilters();
  }
  return { tab, filters, balanceBy, reset };
});
