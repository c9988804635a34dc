/**
 * `meter:update` for one station while a component is mounted, handed over once per frame.
 * The app's shared socket (live/live-sync.ts) does not forward meter events, so this opens its own
 * connection, only while `enabled` holds (the initial fill has landed), and closes it on unmount;
 * on every reconnect `onReconnect` lets the caller fetch what it missed.
 */
import { onBeforeUnmount, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { MeterLive } from '../api/types';
import { scheduleOnFrame, type FrameScheduler, type LiveSocket } from '../live/live-sync';
import { createLiveSocket } from './useLiveSync';

export interface ChartLiveMeterOptions {
  enabled: MaybeRefOrGetter<boolean>;
  onMeters(updates: MeterLive[]): void;
  onReconnect?(): void;
  createSocket?: () => LiveSocket;
  schedule?: FrameScheduler;
}

export function useChartLiveMeter(stationId: MaybeRefOrGetter<string>, options: ChartLiveMeterOptions): void {
  const schedule = options.schedule ?? scheduleOnFrame;
  let socket: LiveSocket | undefined;
  let pending: MeterLive[] = [];
  let queued = false;

  function flush(): void {
    queued = false;
    if (!socket || pending.length === 0) return;
    const batch = pending;
    pending = [];
    options.onMeters(batch);
  }

  function open(): void {
    const opened = (options.createSocket ?? createLiveSocket)();
    let connectedBefore = false;
    opened.on('meter:update', (meter) => {
      if (meter.stationId !== toValue(stationId)) return;
      pending.push(meter);
      if (!queued) {
        queued = true;
        schedule(flush);
      }
    });
    opened.on('connect', () => {
      if (connectedBefore) options.onReconnect?.();
      connectedBefore = true;
    });
    socket = opened;
    opened.connect();
  }

  function close(): void {
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = undefined;
    pending = [];
  }

  watch(
    () => toValue(options.enabled),
    (enabled) => {
      if (enabled && !socket) open();
      else if (!enabled && socket) close();
    },
    { immediate: true },
  );
  onBeforeUnmount(close);
}
