/** Opens the live stream while the signed-in shell is mounted and closes it when it goes away. */
import { io } from 'socket.io-client';
import { onBeforeUnmount, onMounted } from 'vue';
import { ApiError } from '../api/errors';
import { startLiveSync, type LiveSocket } from '../live/live-sync';
import { useActivityStore } from '../stores/activity';
import { useStationsStore } from '../stores/stations';
import { useUiStore } from '../stores/ui';

export function createLiveSocket(): LiveSocket {
  // WebSocket first (one connection, no polling overhead for a high-rate stream); polling only as fallback.
  return io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    transports: ['websocket', 'polling'],
  });
}

export function useLiveSync(createSocket: () => LiveSocket = createLiveSocket): void {
  const stations = useStationsStore();
  const activity = useActivityStore();
  const ui = useUiStore();
  let stop: (() => void) | undefined;

  onMounted(() => {
    stop = startLiveSync(createSocket(), {
      loadSnapshot: () => stations.loadSnapshot(),
      applyStationUpdates: (updates) => stations.applyStationUpdates(updates),
      applyKpis: (kpis) => stations.applyKpis(kpis),
      pushActivity: (events) => activity.push(events),
      setStatus: (status) => stations.setLiveStatus(status),
      onSnapshotError: (error) => {
        // A 401 is handled by the client (back to login); anything else is worth telling the user.
        if (!(error instanceof ApiError && error.status === 401)) ui.notify('error', 'errors.liveSnapshot');
      },
    });
  });

  onBeforeUnmount(() => {
    stop?.();
    stop = undefined;
  });
}
