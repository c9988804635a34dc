import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActivityEvent, Kpis, LiveSnapshot, MeterLive, StationSummary } from '../api/types';
import { createLiveSync } from '../live/live-sync';
import { fakeSocket } from '../testing/fake-socket';
import { fakeApi, harness, kpis, station } from '../testing/fixtures';
import { useActivityStore } from './activity';
import { useStationsStore } from './stations';

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
    const meters: MeterLive[][] = [];
    const resyncMeters = vi.fn();
    const sync = createLiveSync(
      socket.socket,
      {
        loadSnapshot: () => stations.loadSnapshot(),
        applyStationUpdates: (u) => stations.applyStationUpdates(u),
        applyKpis: (k) => stations.applyKpis(k),
        pushActivity: (e) => activity.push(e),
        applyMeters: (m) => void meters.push([...m]),
        resyncMeters,
        setStatus: (s) => stations.setLiveStatus(s),
        onSnapshotError: () => undefined,
      },
      { schedule: (flush) => frames.push(flush) },
    );
    sync.start();
    const stop = () => sync.stop();
    running.push(stop);
    const runFrames = () => frames.splice(0).forEach((flush) => flush());
    const deliverSnapshot = async () => {
      resolveSnapshot(snapshot(initial, kpis({ stationsOnline: initial.length })));
      await vi.waitFor(() => expect(stations.loadState).toBe('ready'));
      await Promise.resolve();
    };
    return {
      socket,
      sync,
      stations,
      activity,
      meters,
      resyncMeters,
      stop,
      runFrames,
      deliverSnapshot,
      liveSnapshot,
    };
  }

  it('resyncs from the snapshot on connect, then batches socket events per frame', async () => {
    const { socket, stations, activity, runFrames, deliverSnapshot } = setup([
      station({ id: 'a' }),
      station({ id: 'b' }),
    ]);
    expect(stations.liveStatus).toBe('connecting');
    expect(socket.connect).toHaveBeenCalledOnce();

    socket.receive('connect');
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
    socket.receive('station:update', station({ id: 'a', status: 'charging' }));
    socket.receive('station:update', station({ id: 'a', status: 'faulted' }));
    socket.receive('activity', event);
    socket.receive('kpis', kpis({ stationsFaulted: 1 }));
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
    socket.receive('connect');
    socket.receive('station:update', station({ id: 'a', status: 'charging' }));
    runFrames();
    await deliverSnapshot();
    runFrames();
    expect(stations.byId.get('a')?.status).toBe('charging');
  });

  it('shows reconnecting on disconnect, resyncs on reconnect and disconnects when stopped', async () => {
    const { socket, stations, stop, deliverSnapshot, liveSnapshot } = setup([station({ id: 'a' })]);
    socket.receive('connect');
    await deliverSnapshot();
    socket.receive('disconnect', 'transport close');
    expect(stations.liveStatus).toBe('reconnecting');
    socket.receive('connect');
    expect(liveSnapshot).toHaveBeenCalledTimes(2);

    stop();
    expect(socket.disconnect).toHaveBeenCalledOnce();
    expect(stations.liveStatus).toBe('idle');
  });

  it('fetches the snapshot over HTTP when the socket cannot connect at first', async () => {
    const { socket, stations, stop, liveSnapshot, deliverSnapshot } = setup([station({ id: 'a' })]);
    socket.receive('connect_error', new Error('websocket error'));
    expect(stations.liveStatus).toBe('reconnecting');
    expect(liveSnapshot).toHaveBeenCalledOnce();
    await deliverSnapshot();
    expect(stations.list).toHaveLength(1);
    socket.receive('connect_error', new Error('again'));
    expect(liveSnapshot).toHaveBeenCalledOnce();
    stop();
  });

  it('meets an auth rejection with an HTTP call (so the client can end the session) and retries later', async () => {
    vi.useFakeTimers();
    try {
      const { socket, liveSnapshot } = setup([station({ id: 'a' })]);
      socket.receive('connect');
      expect(liveSnapshot).toHaveBeenCalledTimes(1);
      socket.active = false;
      socket.receive('connect_error', new Error('auth.required'));
      expect(liveSnapshot).toHaveBeenCalledTimes(2);
      expect(socket.connect).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(5000);
      expect(socket.connect).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  const reading = (stationId: string, powerW: number): MeterLive => ({
    stationId,
    evseId: 1,
    connectorId: 1,
    at: '2026-01-01T10:00:00.000Z',
    powerW,
    energyRegisterWh: 1000,
    transactionId: 'T1',
  });

  it('subscribes a watched station on every (re)connect and hands its meter readings over per frame', async () => {
    const { socket, sync, meters, resyncMeters, runFrames, deliverSnapshot } = setup([station({ id: 'a' })]);
    const unwatch = sync.watchStation('a');
    // Not connected yet: nothing is sent (Socket.IO would buffer it and send it twice).
    expect(socket.sent()).toEqual([]);

    socket.receive('connect');
    expect(socket.sent()).toEqual([['station:subscribe', 'a']]);
    expect(resyncMeters).toHaveBeenCalledOnce();
    await deliverSnapshot();
    runFrames();
    socket.receive('meter:update', reading('a', 7000));
    socket.receive('meter:update', reading('elsewhere', 1));
    socket.receive('meter:update', reading('a', 7100));
    expect(meters).toEqual([]);
    runFrames();
    expect(meters).toEqual([[reading('a', 7000), reading('a', 7100)]]);

    socket.receive('disconnect', 'transport close');
    socket.receive('connect');
    expect(socket.sent()).toEqual([
      ['station:subscribe', 'a'],
      ['station:subscribe', 'a'],
    ]);
    expect(resyncMeters).toHaveBeenCalledTimes(2);

    unwatch();
    unwatch();
    expect(socket.sent().at(-1)).toEqual(['station:unsubscribe', 'a']);
    expect(socket.sent()).toHaveLength(3);
    socket.receive('meter:update', reading('a', 7200));
    await deliverSnapshot();
    runFrames();
    expect(meters).toHaveLength(1);
  });

  it('subscribes at once when already connected and keeps a station watched twice until both end', async () => {
    const { socket, sync, deliverSnapshot } = setup([station({ id: 'a' })]);
    socket.receive('connect');
    await deliverSnapshot();
    const first = sync.watchStation('a');
    const second = sync.watchStation('a');
    expect(socket.sent()).toEqual([['station:subscribe', 'a']]);
    first();
    expect(socket.sent()).toHaveLength(1);
    second();
    expect(socket.sent()).toEqual([
      ['station:subscribe', 'a'],
      ['station:unsubscribe', 'a'],
    ]);
  });
});
