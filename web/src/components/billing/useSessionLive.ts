/**
 * The running cost of one live session: its own Socket.IO connection while the session page shows an
 * active session, `session:subscribe` on every (re)connect, the latest `session:cost` in a ref.
 */
import { io } from 'socket.io-client';
import { inject, onBeforeUnmount, shallowRef, watch, type InjectionKey, type Ref } from 'vue';
import type { SessionCostLive } from '../../api/types';

export interface SessionLiveSocket {
  connected: boolean;
  on(event: string, handler: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export const sessionSocketKey: InjectionKey<() => SessionLiveSocket> = Symbol('voltmesh.sessionSocket');

const createSocket = (): SessionLiveSocket =>
  io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    transports: ['websocket', 'polling'],
  });

export function useSessionLive(sessionId: Ref<string>, active: Ref<boolean>): Ref<SessionCostLive | null> {
  const factory = inject(sessionSocketKey, createSocket);
  const latest = shallowRef<SessionCostLive | null>(null);
  let socket: SessionLiveSocket | null = null;

  const close = () => {
    socket?.disconnect();
    socket = null;
  };
  const open = (id: string) => {
    close();
    const s = factory();
    s.on('connect', () => s.emit('session:subscribe', id));
    s.on('session:cost', (live: SessionCostLive) => {
      if (live.sessionId === id) latest.value = live;
    });
    s.connect();
    socket = s;
  };

  watch(
    [sessionId, active],
    ([id, on]) => {
      latest.value = null;
      if (on && id) open(id);
      else close();
    },
    { immediate: true },
  );
  onBeforeUnmount(close);
  return latest;
}
