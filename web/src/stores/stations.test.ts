import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActivityEvent, Kpis, LiveSnapshot, StationSummary } from '../api/types';
import { startLiveSync, type LiveSocket } from '../live/live-sync';
import { fakeApi, harness, kpis, station } from '../testing/fixtures';
import { useActivityStore } from './activity';
import { useStationsStore } from './stations';

type Handler = (...args: unknown[]) => void;

/** Just enough of a Socket.IO client socket for the sync: handlers by event name, emit from tests. */
function fakeSocket() {
  const handlers = new Map<string, Handler[]>();
  const socket = {
    on(event: string, handler: Handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
    active: true,
    connect: vi.fn(() => socket),
    disconnect: vi.fn(() => socket),
    removeAllListeners: vi.fn(() => {
      handlers.clear();
      return socket;
    }),
    emit(event: string, ...args: unknown[]) {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
  };
  return socket;
}

function snapshot(stations: StationSummary[], k: Kpis = kpis()): LiveSnapshot {
  return { at: '2026-01-01T10:00:00.000Z', stations, kpis: k };
}

describe('stations store', () => {
  it('takes a snapshot, then applies socket updates, and counts display statuses', () => {
    harness();
    const store = useStationsStore();
    store.applySnapshot(
      snapshot([
        station({ id: 'a', status: 'available' }),
        station({ id: 'b', status: 'charging' }),
        station({ id: 'c', status: 'charging', online: false }),
      ]),
    );
    expect(store.loadState).toBe('ready');
    expect(store.statusCounts).toEqual({
      available: 1,
      charging: 1,
      faulted: 0,
      unavailable: 0,
      offline: 1,
      unknown: 0,
    });

    store.applyStationUpdates([
      station({ id: 'a', status: 'faulted' }),
      station({ id: 'c', status: 'available', online: true }),
      station({ id: 'd', status: 'unknown' }),
    ]);

    expect(store.byId.get('a')?.status).toBe('faulted');
    expect(store.list).toHaveLength(4);
    expect(store.statusCounts).toMatchObject({
      available: 1,
      charging: 1,
      faulted: 1,
      offline: 0,
      unknown: 1,
    });
  });

  it('loads the snapshot from the API and reports failure as an error state', async () => {
    const liveSnapshot = vi
      .fn()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValueOnce(snapshot([station()], kpis({ powerNowW: 7400 })));
    harness(fakeApi({ liveSnapshot }));
    const store = useStationsStore();

    await expect(store.loadSnapshot()).rejects.toThrow('down');
    expect(store.loadState).toBe('error');
    await store.loadSnapshot();
    expect(store.loadState).toBe('ready');
    expect(store.kpis?.powerNowW).toBe(7400);
  });
});

describe('live sync', () => {
  const running: (() => void)[] = [];
  afterEach(() => running.splice(0).forEach((stop) => stop()));

  function setup(initial: StationSummary[]) {
    let resolveSnapshot: (value: LiveSnapshot) => void = () => undefined;
    const liveSnapshot = vi.fn(
      () =>
        new Promise<LiveSnapshot>((resolve) => {
          resolveSnapshot = resolve;
        }),
    );
    harness(fakeApi({ liveSnapshot }));
    const stations = useStationsStore();
    const activity = useActivityStore();
    const socket = fakeSocket();
    const frames: (() => void)[] = [];
    const stop = startLiveSync(
      socket as unknown as LiveSocket,
      {
        loadSnapshot: () => stations.loadSnapshot(),
        applyStationUpdates: (u) => stations.applyStationUpdates(u),
        applyKpis: (k) => stations.applyKpis(k),
        pushActivity: (e) => activity.push(e),
        setStatus: (s) => stations.setLiveStatus(s),
        onSnapshotError: () => undefined,
      },
      { schedule: (flush) => frames.push(flush) },
    );
    running.push(stop);
    const runFrames = () => frames.splice(0).forEach((flush) => flush());
    const deliverSnapshot = async () => {
      resolveSnapshot(snapshot(initial, kpis({ stationsOnline: initial.length })));
      await vi.waitFor(() => expect(stations.loadState).toBe('ready'));
      await Promise.resolve();
    };
    return { socket, stations, activity, stop, runFrames, deliverSnapshot, liveSnapshot };
  }

  it('resyncs from the snapshot on connect, then batches socket events per frame', async () => {
    const { socket, stations, activity, runFrames, deliverSnapshot } = setup([
      station({ id: 'a' }),
      station({ id: 'b' }),
    ]);
    expect(stations.liveStatus).toBe('connecting');
    expect(socket.connect).toHaveBeenCalledOnce();

    socket.emit('connect');
    expect(stations.liveStatus).toBe('live');
    await deliverSnapshot();
    runFrames();
    expect(stations.list).toHaveLength(2);

    const event: ActivityEvent = {
      at: '2026-01-01T10:00:01.000Z',
      stationId: 'a',
      identity: 'CP-a',
      siteName: 'Harbour',
      kind: 'status',
      text: 'Charging started',
    };
    socket.emit('station:update', station({ id: 'a', status: 'charging' }));
    socket.emit('station:update', station({ id: 'a', status: 'faulted' }));
    socket.emit('activity', event);
    socket.emit('kpis', kpis({ stationsFaulted: 1 }));
    expect(stations.byId.get('a')?.status).toBe('available');

    runFrames();
    expect(stations.byId.get('a')?.status).toBe('faulted');
    expect(stations.statusCounts.faulted).toBe(1);
    expect(stations.kpis?.stationsFaulted).toBe(1);
    expect(activity.items).toEqual([{ ...event, seq: 1 }]);
  });

  it('keeps updates that arrive while the snapshot loads and applies them on top of it', async () => {
    const { socket, stations, runFrames, deliverSnapshot } = setup([
      station({ id: 'a', status: 'available' }),
    ]);
    socket.emit('connect');
    socket.emit('station:update', station({ id: 'a', status: 'charging' }));
    runFrames();
    await deliverSnapshot();
    runFrames();
    expect(stations.byId.get('a')?.status).toBe('charging');
  });

  it('shows reconnecting on disconnect, resyncs on reconnect and disconnects when stopped', async () => {
    const { socket, stations, stop, deliverSnapshot, liveSnapshot } = setup([station({ id: 'a' })]);
    socket.emit('connect');
    await deliverSnapshot();
    socket.emit('disconnect', 'transport close');
    expect(stations.liveStatus).toBe('reconnecting');
    socket.emit('connect');
    expect(liveSnapshot).toHaveBeenCalledTimes(2);

    stop();
    expect(socket.disconnect).toHaveBeenCalledOnce();
    expect(stations.liveStatus).toBe('idle');
  });

  it('fetches the snapshot over HTTP when the socket cannot connect at first', async () => {
    const { socket, stations, stop, liveSnapshot, deliverSnapshot } = setup([station({ id: 'a' })]);
    socket.emit('connect_error', new Error('websocket error'));
    expect(stations.liveStatus).toBe('reconnecting');
    expect(liveSnapshot).toHaveBeenCalledOnce();
    await deliverSnapshot();
    expect(stations.list).toHaveLength(1);
    socket.emit('connect_error', new Error('again'));
    expect(liveSnapshot).toHaveBeenCalledOnce();
    stop();
  });

  it('meets an auth rejection with an HTTP call (so the client can end the session) and retries later', async () => {
    vi.useFakeTimers();
    try {
      const { socket, liveSnapshot } = setup([station({ id: 'a' })]);
      socket.emit('connect');
      expect(liveSnapshot).toHaveBeenCalledTimes(1);
      socket.active = false;
      socket.emit('connect_error', new Error('auth.required'));
      expect(liveSnapshot).toHaveBeenCalledTimes(2);
      expect(socket.connect).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(5000);
      expect(socket.connect).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
