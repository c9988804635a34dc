/**
 * Keeps the stores in step with the cloud's Socket.IO stream. Events are buffered and applied once
 * per frame (latest record per station wins), so a burst of thousands of updates costs one render.
 * On every (re)connect the full snapshot is fetched again: events missed while away are not replayed.
 * If the socket cannot connect at first, the snapshot is still fetched over HTTP so the dashboard
 * shows the network (marked as reconnecting) instead of a spinner.
 *
 * Meter readings are only sent to sockets that subscribed to a station (`station:subscribe`): a page
 * asks for them with `watchStation`, and the subscriptions are renewed on every reconnect, since a
 * new connection starts in no station room.
 */
import type { Socket } from 'socket.io-client';
import type {
  ActivityEvent,
  ClientToServerEvents,
  Kpis,
  MeterLive,
  ServerToClientEvents,
  StationSummary,
} from '../api/types';
import type { LiveStatus } from '../domain/live-status';
import { ACTIVITY_LIMIT } from '../stores/activity';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveSyncTarget {
  loadSnapshot(): Promise<void>;
  applyStationUpdates(updates: Iterable<StationSummary>): void;
  applyKpis(kpis: Kpis): void;
  pushActivity(events: readonly ActivityEvent[]): void;
  /** Readings of watched stations, in arrival order. */
  applyMeters(updates: readonly MeterLive[]): void;
  /** After every (re)connect: fetch the meter readings missed while the socket was away. */
  resyncMeters(): void;
  setStatus(status: LiveStatus): void;
  onSnapshotError(error: unknown): void;
}

export type FrameScheduler = (flush: () => void) => void;

export const scheduleOnFrame: FrameScheduler = (flush) => {
  if (typeof globalThis.requestAnimationFrame === 'function') globalThis.requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

export interface LiveSyncOptions {
  schedule?: FrameScheduler;
  /** How long to wait for the first connection before fetching the snapshot anyway. */
  fallbackSnapshotMs?: number;
  /** Delay before reconnecting after the server refused or closed the socket. */
  retryDelayMs?: number;
}

/** The error the cloud's Socket.IO auth middleware rejects a connection with. */
export const AUTH_REJECTED = 'auth.required';

/** Meter readings held for the next frame; at one per station per second this is never reached. */
export const METER_BUFFER_LIMIT = 1000;

export interface LiveSync {
  /** Connects; call once. */
  start(): void;
  stop(): void;
  /**
   * Receive `meter:update` for one station until the returned function is called. Watching the same
   * station twice keeps it subscribed until both have ended.
   */
  watchStation(stationId: string): () => void;
}

export function createLiveSync(
  socket: LiveSocket,
  target: LiveSyncTarget,
  options: LiveSyncOptions = {},
): LiveSync {
  const schedule = options.schedule ?? scheduleOnFrame;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  let pendingStations = new Map<string, StationSummary>();
  let pendingActivity: ActivityEvent[] = [];
  let pendingKpis: Kpis | undefined;
  let pendingMeters: MeterLive[] = [];
  /** Watched station ids and how many watchers each has. */
  const watched = new Map<string, number>();
  let flushQueued = false;
  let snapshotLoading = false;
  let stopped = false;
  let connectedOnce = false;
  let fallbackTimer: ReturnType<typeof setTimeout> | undefined;

  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function scheduleRetry(): void {
    if (retryTimer !== undefined || stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!stopped) socket.connect();
    }, retryDelayMs);
  }

  function snapshotWithoutSocket(): void {
    clearTimeout(fallbackTimer);
    fallbackTimer = undefined;
    if (connectedOnce || stopped) return;
    connectedOnce = true;
    void resync();
  }

  function flush(): void {
    flushQueued = false;
    if (stopped || snapshotLoading) return;
    if (pendingStations.size > 0) {
      target.applyStationUpdates(pendingStations.values());
      pendingStations = new Map();
    }
    if (pendingActivity.length > 0) {
      target.pushActivity(pendingActivity);
      pendingActivity = [];
    }
    if (pendingKpis) {
      target.applyKpis(pendingKpis);
      pendingKpis = undefined;
    }
    if (pendingMeters.length > 0) {
      target.applyMeters(pendingMeters);
      pendingMeters = [];
    }
  }

  function queueFlush(): void {
    if (flushQueued || snapshotLoading) return;
    flushQueued = true;
    schedule(flush);
  }

  async function resync(): Promise<void> {
    snapshotLoading = true;
    // Kpis buffered before the snapshot are older than it; station updates and activity that arrive
    // while it loads are kept and applied on top once it lands.
    pendingKpis = undefined;
    try {
      await target.loadSnapshot();
    } catch (error) {
      if (!stopped) target.onSnapshotError(error);
    } finally {
      snapshotLoading = false;
      if (!stopped) queueFlush();
    }
  }

  function start(): void {
    socket.on('connect', () => {
      connectedOnce = true;
      clearTimeout(fallbackTimer);
      target.setStatus('live');
      for (const stationId of watched.keys()) socket.emit('station:subscribe', stationId);
      void resync();
      target.resyncMeters();
    });
    socket.on('disconnect', (reason) => {
      if (stopped) return;
      target.setStatus('reconnecting');
      // The server closed the socket on purpose (e.g. the session expired); Socket.IO won't retry that.
      if (reason === 'io server disconnect') scheduleRetry();
    });
    socket.on('connect_error', (error) => {
      if (stopped) return;
      target.setStatus('reconnecting');
      if (error.message === AUTH_REJECTED) {
        // Let an HTTP call meet the same 401: the API client ends the session and shows the login page.
        void resync();
      } else {
        snapshotWithoutSocket();
      }
      // A rejection by the server's auth middleware leaves the socket inactive: no automatic retry.
      if (!socket.active) scheduleRetry();
    });
    socket.on('station:update', (station) => {
      pendingStations.set(station.id, station);
      queueFlush();
    });
    socket.on('activity', (event) => {
      pendingActivity.push(event);
      if (pendingActivity.length > ACTIVITY_LIMIT) pendingActivity = pendingActivity.slice(-ACTIVITY_LIMIT);
      queueFlush();
    });
    socket.on('kpis', (kpis) => {
      pendingKpis = kpis;
      queueFlush();
    });
    socket.on('meter:update', (meter) => {
      // A reading already on its way when the page stopped watching is dropped here.
      if (!watched.has(meter.stationId)) return;
      pendingMeters.push(meter);
      if (pendingMeters.length > METER_BUFFER_LIMIT) pendingMeters = pendingMeters.slice(-METER_BUFFER_LIMIT);
      queueFlush();
    });

    target.setStatus('connecting');
    fallbackTimer = setTimeout(snapshotWithoutSocket, options.fallbackSnapshotMs ?? 3000);
    socket.connect();
  }

  function watchStation(stationId: string): () => void {
    const watchers = watched.get(stationId) ?? 0;
    watched.set(stationId, watchers + 1);
    // While disconnected nothing is sent (Socket.IO would buffer it): `connect` subscribes then.
    if (watchers === 0 && socket.connected) socket.emit('station:subscribe', stationId);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (watched.get(stationId) ?? 1) - 1;
      if (left > 0) {
        watched.set(stationId, left);
        return;
      }
      watched.delete(stationId);
      pendingMeters = pendingMeters.filter((meter) => meter.stationId !== stationId);
      if (socket.connected && !stopped) socket.emit('station:unsubscribe', stationId);
    };
  }

  function stop(): void {
    stopped = true;
    clearTimeout(fallbackTimer);
    clearTimeout(retryTimer);
    socket.removeAllListeners();
    socket.disconnect();
    target.setStatus('idle');
  }

  return { start, stop, watchStation };
}
