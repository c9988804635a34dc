import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../api/client';
import type { MeterLive, PowerHistory } from '../api/types';
import { harness } from '../testing/fixtures';
import { FLEET_WINDOW_MS, METER_WINDOW_MS, useHistoryStore } from './history';

const T0 = Date.parse('2026-01-01T12:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** A store over the real API client; `fetch` answers by path and records every URL asked for. */
function setup(routes: Record<string, unknown>) {
  const urls: string[] = [];
  const fetch = vi.fn((url: string) => {
    urls.push(url);
    const path = url.split('?')[0] ?? '';
    return path in routes ? Promise.resolve(json(routes[path])) : Promise.reject(new TypeError('offline'));
  });
  harness(createApiClient({ fetch }));
  return { store: useHistoryStore(), urls };
}

function live(overrides: Partial<MeterLive>): MeterLive {
  return {
    stationId: 'st-1',
    evseId: 1,
    connectorId: 1,
    at: iso(T0),
    powerW: 7000,
    energyRegisterWh: 1000,
    transactionId: 'tx',
    ...overrides,
  };
}

describe('history store: fleet power', () => {
  const history: PowerHistory = {
    bucket: '15m',
    from: iso(T0 - FLEET_WINDOW_MS),
    to: iso(T0),
    points: [
      { at: iso(T0 - 30 * MIN), powerW: 10_000, energyWh: 2500 },
      { at: iso(T0 - 15 * MIN), powerW: 12_000, energyWh: 3000 },
      { at: iso(T0), powerW: 14_000, energyWh: 500 },
    ],
  };

  it('loads the fleet history from /api/history/power', async () => {
    const { store, urls } = setup({ '/api/history/power': history });
    const loading = store.loadPower();
    expect(store.powerState).toBe('loading');
    await loading;
    expect(urls).toEqual(['/api/history/power']);
    expect(store.powerState).toBe('ready');
    expect(store.power?.points).toHaveLength(3);
  });

  it('says error when the history cannot be fetched', async () => {
    const { store } = setup({});
    await expect(store.loadPower()).rejects.toThrow();
    expect(store.powerState).toBe('error');
  });

  it('refreshes the open bucket, then appends a new one, without reloading', async () => {
    const { store, urls } = setup({ '/api/history/power': history });
    await store.loadPower();
    store.applyLivePower(20_000, T0 + 5 * MIN);
    expect(store.power?.points).toHaveLength(3);
    expect(store.power?.points.at(-1)).toEqual({ at: iso(T0), powerW: 20_000, energyWh: 500 });
    store.applyLivePower(21_000, T0 + 16 * MIN);
    expect(store.power?.points).toHaveLength(4);
    expect(store.power?.points.at(-1)).toEqual({ at: iso(T0 + 15 * MIN), powerW: 21_000, energyWh: 0 });
    expect(urls).toHaveLength(1);
  });

  it('drops buckets older than 24 h as live ones arrive', async () => {
    const old: PowerHistory = {
      ...history,
      points: [{ at: iso(T0 - FLEET_WINDOW_MS), powerW: 1, energyWh: 1 }, ...history.points],
    };
    const { store } = setup({ '/api/history/power': old });
    await store.loadPower();
    store.applyLivePower(5000, T0 + 15 * MIN);
    expect(store.power?.points.map((p) => p.at)).toEqual([
      iso(T0 - 30 * MIN),
      iso(T0 - 15 * MIN),
      iso(T0),
      iso(T0 + 15 * MIN),
    ]);
  });

  it('ignores live power before the history has loaded', () => {
    const { store } = setup({});
    store.applyLivePower(5000, T0);
    expect(store.power).toBeNull();
  });
});

describe('history store: station meter', () => {
  const meter = {
    points: [
      { at: iso(T0 - 2000), evseId: 1, powerW: 7000, voltageV: 230, currentA: 10, socPercent: null },
      { at: iso(T0 - 1000), evseId: 1, powerW: null, voltageV: 231, currentA: null, socPercent: null },
    ],
  };

  it('loads the last hour of one station from /api/stations/:id/meter', async () => {
    const { store, urls } = setup({ '/api/stations/st-1/meter': meter });
    await store.loadMeter('st-1', T0);
    const query = new URLSearchParams(urls[0]?.split('?')[1]);
    expect(query.get('from')).toBe(iso(T0 - METER_WINDOW_MS));
    expect(query.get('to')).toBe(iso(T0));
    expect(store.meterState).toBe('ready');
    expect(store.meter.get(1)?.power).toEqual([
      [T0 - 2000, 7],
      [T0 - 1000, null],
    ]);
  });

  it('appends live power for this station only, and keeps only the last hour', async () => {
    const { store } = setup({ '/api/stations/st-1/meter': meter });
    await store.loadMeter('st-1', T0);
    store.applyMeterLive(
      [live({ at: iso(T0), powerW: 8000 }), live({ stationId: 'other', at: iso(T0) })],
      T0,
    );
    expect(store.meter.get(1)?.power.at(-1)).toEqual([T0, 8]);
    expect(store.meter.get(1)?.power).toHaveLength(3);
    store.applyMeterLive(
      [live({ at: iso(T0 + METER_WINDOW_MS - 1500), powerW: 9000 })],
      T0 + METER_WINDOW_MS - 1500,
    );
    expect(store.meter.get(1)?.power).toEqual([
      [T0 - 1000, null],
      [T0, 8],
      [T0 + METER_WINDOW_MS - 1500, 9],
    ]);
  });

  it('caps each series at an hour of one reading per second', async () => {
    const { store } = setup({ '/api/stations/st-1/meter': { points: [] } });
    await store.loadMeter('st-1', T0);
    const burst = Array.from({ length: 4000 }, (_, i) => live({ at: iso(T0 + i * 100) }));
    store.applyMeterLive(burst, T0 + 400_000);
    expect(store.meter.get(1)?.power).toHaveLength(3600);
    expect(store.meter.get(1)?.power.at(-1)?.[0]).toBe(T0 + 3999 * 100);
  });

  it('fetches only what is newer than the newest sample on refresh', async () => {
    const { store, urls } = setup({ '/api/stations/st-1/meter': meter });
    await store.loadMeter('st-1', T0);
    await store.refreshMeter(T0 + 30_000);
    const query = new URLSearchParams(urls[1]?.split('?')[1]);
    expect(query.get('from')).toBe(iso(T0 - 1000));
    expect(query.get('to')).toBe(iso(T0 + 30_000));
  });

  it('forgets the station on clear and ignores live readings then', async () => {
    const { store } = setup({ '/api/stations/st-1/meter': meter });
    await store.loadMeter('st-1', T0);
    store.clearMeter();
    store.applyMeterLive([live({})], T0);
    expect(store.meter.size).toBe(0);
    expect(store.meterState).toBe('idle');
  });
});
