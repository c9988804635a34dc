/**
 * Opens the live stream while the signed-in shell is mounted and closes it when it goes away. The
 * sync is provided to the pages below the shell, so a station page can watch that station's meter
 * readings over the same connection (`useStationLive`), and features with events of their own borrow
 * the socket (live/borrowed-socket.ts).
 */
import { io } from 'socket.io-client';
import { inject, onBeforeUnmount, onMounted, provide, type InjectionKey } from 'vue';
import { ApiError } from '../api/errors';
import { borrowSocket, borrowSocketKey, type SharedSocket } from '../live/borrowed-socket';
import { createLiveSync, type LiveSocket, type LiveSync } from '../live/live-sync';
import { useActivityStore } from '../stores/activity';
import { useHistoryStore } from '../stores/history';
import { useStationsStore } from '../stores/stations';
import { useUiStore } from '../stores/ui';

export const liveSyncKey: InjectionKey<LiveSync> = Symbol('liveSync');

export function createLiveSocket(): LiveSocket {
  // WebSocket first (one connection, no polling overhead for a high-rate stream); polling only as fallback.
  return io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    transports: ['websocket', 'polling'],
  });
}

export function useLiveSync(createSocket: () => LiveSocket = createLiveSocket): LiveSync {
  const stations = useStationsStore();
  const activity = useActivityStore();
  const history = useHistoryStore();
  const ui = useUiStore();

  // Created during setup, connected on mount: pages mount before the shell and may already watch.
  const socket = createSocket();
  const sync = createLiveSync(socket, {
    loadSnapshot: () => stations.loadSnapshot(),
    applyStationUpdates: (updates) => stations.applyStationUpdates(updates),
    applyKpis: (kpis) => stations.applyKpis(kpis),
    pushActivity: (events) => activity.push(events),
    applyMeters: (updates) => history.applyMeterLive(updates),
    // The station charts also refresh on a timer, so a failed catch-up is retried there.
    resyncMeters: () => void history.refreshMeter().catch(() => undefined),
    setStatus: (status) => stations.setLiveStatus(status),
    onSnapshotError: (error) => {
      // A 401 is handled by the client (back to login); anything else is worth telling the user.
      if (!(error instanceof ApiError && error.status === 401)) ui.notify('error', 'errors.liveSnapshot');
    },
  });
  provide(liveSyncKey, sync);
  // The bell and a live session page listen on this same connection (one socket per tab).
  provide(borrowSocketKey, () => borrowSocket(socket as unknown as SharedSocket));
  onMounted(() => sync.start());
  onBeforeUnmount(() => sync.stop());
  return sync;
}

/** The shell's live sync, or null outside it (a page rendered on its own, e.g. in a unit test). */
export function injectLiveSync(): LiveSync | null {
  return inject(liveSyncKey, null);
}
