/**
 * The alert events of the live stream: `notification:new` (an InboxItem for the signed-in user) and
 * `incident:update` (an Incident of the tenant, within the user's scope), heard on the shell's socket
 * (borrowed: live/borrowed-socket.ts; a socket of its own only outside the shell); the inbox is read
 * again on every (re)connect, since missed events are not replayed.
 */
import { io, type Socket } from 'socket.io-client';
import { inject, onBeforeUnmount, onMounted, type InjectionKey } from 'vue';
import type { InboxItem, Incident } from '../../api/types';
import { borrowSocketKey } from '../../live/borrowed-socket';
import { useAlertsStore } from '../../stores/alerts';

export interface AlertServerEvents {
  'incident:update': (incident: Incident) => void;
  'notification:new': (item: InboxItem) => void;
}
export type AlertSocket = Socket<AlertServerEvents, Record<string, never>>;

export const alertSocketKey: InjectionKey<() => AlertSocket> = Symbol('voltmesh.alertSocket');

export function createAlertSocket(): AlertSocket {
  return io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    transports: ['websocket', 'polling'],
  });
}

export function useAlertsLive(): void {
  const store = useAlertsStore();
  const borrow = inject(borrowSocketKey, null);
  const socket = (
    inject(alertSocketKey, null) ??
    (borrow as (() => AlertSocket) | null) ??
    createAlertSocket
  )();
  socket.on('connect', () => void store.loadInbox().catch(() => undefined));
  socket.on('notification:new', (item) => store.receiveNotification(item));
  socket.on('incident:update', (incident) => store.receiveIncident(incident));
  onMounted(() => {
    socket.connect();
    void store.loadInbox().catch(() => undefined);
  });
  // The shell goes away on sign-out: nothing of this user's inbox stays for the next one.
  onBeforeUnmount(() => {
    socket.removeAllListeners();
    socket.disconnect();
    store.reset();
  });
}
