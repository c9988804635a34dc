/**
 * The live picture of every station the user may see: seeded from /api/live/snapshot, then kept
 * current by socket events. Stations sit in a shallowRef'd Map (10k deep-reactive objects would be
 * slow); each batch replaces the Map so dependants recompute once per batch, not once per station.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { useApi } from '../api/inject';
import type { Kpis, LiveSnapshot, StationSummary } from '../api/types';
import { countByDisplayStatus } from '../domain/station-status';
import type { LiveStatus } from '../domain/live-status';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export const useStationsStore = defineStore('stations', () => {
  const api = useApi();
  const byId = shallowRef<ReadonlyMap<string, StationSummary>>(new Map());
  const kpis = ref<Kpis | null>(null);
  const snapshotAt = ref<string | null>(null);
  const loadState = ref<LoadState>('idle');
  const liveStatus = ref<LiveStatus>('idle');

  const list = computed(() => Array.from(byId.value.values()));
  const statusCounts = computed(() => countByDisplayStatus(byId.value.values()));

  function applySnapshot(snapshot: LiveSnapshot): void {
    byId.value = new Map(snapshot.stations.map((station) => [station.id, station]));
    kpis.value = snapshot.kpis;
    snapshotAt.value = snapshot.at;
    loadState.value = 'ready';
  }

  /** Applies a batch of full station records; the last record for an id wins. */
  function applyStationUpdates(updates: Iterable<StationSummary>): void {
    const next = new Map(byId.value);
    let changed = false;
    for (const station of updates) {
      next.set(station.id, station);
      changed = true;
    }
    if (changed) byId.value = next;
  }

  function applyKpis(next: Kpis): void {
    kpis.value = next;
  }

  async function loadSnapshot(): Promise<void> {
    if (loadState.value !== 'ready') loadState.value = 'loading';
    try {
      applySnapshot(await api.liveSnapshot());
    } catch (error) {
      if (loadState.value !== 'ready') loadState.value = 'error';
      throw error;
    }
  }

  function setLiveStatus(status: LiveStatus): void {
    liveStatus.value = status;
  }

  function reset(): void {
    byId.value = new Map();
    kpis.value = null;
    snapshotAt.value = null;
    loadState.value = 'idle';
    liveStatus.value = 'idle';
  }

  return {
    byId,
    list,
    kpis,
    snapshotAt,
    loadState,
    liveStatus,
    statusCounts,
    applySnapshot,
    applyStationUpdates,
    applyKpis,
    loadSnapshot,
    setLiveStatus,
    reset,
  };
});
