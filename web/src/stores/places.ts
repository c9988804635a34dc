/** Sites and cities for filter menus; loaded once per session and sorted by name for the locale. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { useApi } from '../api/inject';
import type { City, Site } from '../api/types';
import type { LoadState } from './stations';

export const usePlacesStore = defineStore('places', () => {
  const api = useApi();
  const sites = shallowRef<readonly Site[]>([]);
  const cities = shallowRef<readonly City[]>([]);
  const loadState = ref<LoadState>('idle');
  let loading: Promise<void> | undefined;

  function load(): Promise<void> {
    if (loadState.value === 'ready') return Promise.resolve();
    loading ??= (async () => {
      loadState.value = 'loading';
      try {
        const [siteList, cityList] = await Promise.all([api.listSites(), api.listCities()]);
        sites.value = [...siteList.items].sort((a, b) => a.name.localeCompare(b.name));
        cities.value = [...cityList.items].sort((a, b) => a.name.localeCompare(b.name));
        loadState.value = 'ready';
      } catch (error) {
        loadState.value = 'error';
        throw error;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  function reset(): void {
    sites.value = [];
    cities.value = [];
    loadState.value = 'idle';
  }

  return { sites, cities, loadState, load, reset };
});
