/**
 * Server-side station search for the list page: debounced text query, filters, and pages fetched
 * as the user scrolls. Responses to superseded queries are dropped.
 */
import { ref, shallowRef, watch } from 'vue';
import type { ApiClient } from '../api/client';
import type { StationQuery, StationSummary } from '../api/types';
import { EMPTY_FILTER, type StationFilter } from '../components/map/station-features';
import type { LoadState } from '../stores/stations';

export interface StationSearchOptions {
  debounceMs?: number;
  pageSize?: number;
}

export function useStationSearch(api: Pick<ApiClient, 'listStations'>, options: StationSearchOptions = {}) {
  const debounceMs = options.debounceMs ?? 300;
  const pageSize = options.pageSize ?? 200;

  const text = ref('');
  const filter = ref<StationFilter>({ ...EMPTY_FILTER });
  const items = shallowRef<StationSummary[]>([]);
  const total = ref(0);
  const state = ref<LoadState>('idle');
  const loadingMore = ref(false);
  const lastError = shallowRef<unknown>(null);
  let generation = 0;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;

  function query(offset: number): StationQuery {
    const q = text.value.trim();
    const f = filter.value;
    return {
      ...(q !== '' ? { q } : {}),
      ...(f.status !== '' ? { status: f.status } : {}),
      ...(f.online !== '' ? { online: f.online === 'online' } : {}),
      ...(f.connectorType !== '' ? { connectorType: f.connectorType } : {}),
      ...(f.siteId !== '' ? { siteId: f.siteId } : {}),
      ...(f.cityId !== '' ? { cityId: f.cityId } : {}),
      limit: pageSize,
      offset,
    };
  }

  async function reload(): Promise<void> {
    const current = ++generation;
    state.value = 'loading';
    loadingMore.value = false;
    try {
      const page = await api.listStations(query(0));
      if (current !== generation) return;
      items.value = page.items;
      total.value = page.total;
      state.value = 'ready';
    } catch (error) {
      if (current !== generation) return;
      lastError.value = error;
      state.value = 'error';
    }
  }

  /** Fetches the next page; the server may cap `limit`, so the offset is what we already hold. */
  async function loadMore(): Promise<void> {
    if (state.value !== 'ready' || loadingMore.value || items.value.length >= total.value) return;
    const current = generation;
    loadingMore.value = true;
    try {
      const page = await api.listStations(query(items.value.length));
      if (current !== generation) return;
      const known = new Set(items.value.map((s) => s.id));
      items.value = items.value.concat(page.items.filter((s) => !known.has(s.id)));
      total.value = page.items.length === 0 ? items.value.length : page.total;
    } catch (error) {
      if (current === generation) lastError.value = error;
    } finally {
      if (current === generation) loadingMore.value = false;
    }
  }

  watch(text, () => {
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => void reload(), debounceMs);
  });
  watch(filter, () => {
    clearTimeout(debounceTimer);
    void reload();
  });

  function dispose(): void {
    clearTimeout(debounceTimer);
    generation++;
  }

  return { text, filter, items, total, state, loadingMore, lastError, reload, loadMore, dispose };
}
