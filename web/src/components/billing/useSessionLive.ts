/**
 * The running cost of one live session while the session page shows an active session, heard on the
 * shell's socket (borrowed: live/borrowed-socket.ts; a connection of its own only outside the shell):
 * `session:subscribe` on every (re)connect, the latest `session:cost` in a ref.
 */
import { io } from 'socket.io-client';
import { inject, onBeforeUnmount, shallowRef, watch, type InjectionKey, type Ref } from 'vue';
import type { SessionCostLive } from '../../api/types';
import { borrowSocketKey } from '../../live/borrowed-socket';

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
  const factory = inject(sessionSocketKey, null) ?? inject(borrowSocketKey, null) ?? createSocket;
  const latest = shallowRef<SessionCostLive | null>(null);
  let socket: SessionLiveSocket | null = null;
  let watching: string | null = null;

  const close = () => {
    // A borrowed socket stays connected: leave the session's room before letting go.
    if (socket?.connected && watching !== null) socket.emit('session:unsubscribe', watching);
    socket?.disconnect();
    socket = null;
    watching = null;
  };
  const open = (id: string) => {
    close();
    const s = factory();
    s.on('connect', () => s.emit('session:subscribe', id));
    s.on('session:cost', (live: SessionCostLive) => {
      if (live.sessionId === id) latest.value = live;
    });
    socket = s;
    watching = id;
    s.connect();
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
