/**
 * Chart data: the fleet's power over the last 24 h (dashboard) and the recent meter readings of
 * the one station being viewed. Both are loaded over HTTP and then extended live — the fleet line
 * by `kpis.powerNowW`, the station by `meter:update` — without reloading, and both are capped.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { useApi } from '../api/inject';
import type { MeterLive, PowerHistory, PowerPoint } from '../api/types';
import {
  capMeter,
  meterFromLive,
  meterFromPoints,
  mergeMeter,
  newestSampleMs,
  type StationMeter,
} from '../components/charts/meter-series';
import { BUCKET_MS } from '../components/charts/power-history-option';
import { toMs } from '../components/charts/samples';
import type { LoadState } from './stations';

export const FLEET_WINDOW_MS = 24 * 60 * 60_000;
export const METER_WINDOW_MS = 60 * 60_000;
/** An hour of one reading per second, per EVSE and quantity. */
export const METER_MAX_POINTS = 3600;

export const useHistoryStore = defineStore('history', () => {
  const api = useApi();

  const power = shallowRef<PowerHistory | null>(null);
  const powerState = ref<LoadState>('idle');
  let powerGeneration = 0;

  /** `fresh` drops what is held first (a new mount may belong to another signed-in user). */
  async function loadPower(fresh = false): Promise<void> {
    const current = ++powerGeneration;
    if (fresh) power.value = null;
    if (fresh || powerState.value !== 'ready') powerState.value = 'loading';
    try {
      const result = await api.powerHistory();
      if (current !== powerGeneration) return;
      power.value = result;
      powerState.value = 'ready';
    } catch (error) {
      if (current !== powerGeneration) return;
      if (powerState.value !== 'ready') powerState.value = 'error';
      throw error;
    }
  }

  /**
   * Shows the fleet's current power in the bucket `nowMs` falls in: the open bucket is refreshed,
   * a new one is appended, and buckets older than 24 h fall off. A live bucket shows the latest
   * reading (the server's bucket is an average); it carries no energy until the next load.
   */
  function applyLivePower(powerW: number, nowMs: number = Date.now()): void {
    const history = power.value;
    if (!history || !Number.isFinite(powerW)) return;
    const bucketMs = BUCKET_MS[history.bucket];
    const bucketStartMs = Math.floor(nowMs / bucketMs) * bucketMs;
    const points = [...history.points];
    const last = points.at(-1);
    const lastMs = last ? toMs(last.at) : Number.NEGATIVE_INFINITY;
    if (last && lastMs <= bucketStartMs && bucketStartMs < lastMs + bucketMs) {
      points[points.length - 1] = { ...last, powerW };
    } else if (bucketStartMs > lastMs) {
      const point: PowerPoint = { at: new Date(bucketStartMs).toISOString(), powerW, energyWh: 0 };
      points.push(point);
    } else {
      return;
    }
    const oldestMs = nowMs - FLEET_WINDOW_MS;
    const firstKept = points.findIndex((point) => toMs(point.at) + bucketMs > oldestMs);
    power.value = {
      ...history,
      from: new Date(oldestMs).toISOString(),
      to: new Date(nowMs).toISOString(),
      points: firstKept <= 0 ? points : points.slice(firstKept),
    };
  }

  const meterStationId = ref<string | null>(null);
  const meter = shallowRef<StationMeter>(new Map());
  const meterState = ref<LoadState>('idle');
  let meterGeneration = 0;

  /** Last hour of readings for a station; replaces whatever station was loaded before. */
  async function loadMeter(stationId: string, nowMs: number = Date.now()): Promise<void> {
    const current = ++meterGeneration;
    if (meterStationId.value !== stationId) {
      meterStationId.value = stationId;
      meter.value = new Map();
      meterState.value = 'loading';
    }
    try {
      const range = {
        from: new Date(nowMs - METER_WINDOW_MS).toISOString(),
        to: new Date(nowMs).toISOString(),
      };
      const result = await api.stationMeter(stationId, range);
      if (current !== meterGeneration) return;
      meter.value = capMeter(
        mergeMeter(meter.value, meterFromPoints(result.points)),
        nowMs,
        METER_WINDOW_MS,
        METER_MAX_POINTS,
      );
      meterState.value = 'ready';
    } catch (error) {
      if (current !== meterGeneration) return;
      if (meterState.value !== 'ready') meterState.value = 'error';
      throw error;
    }
  }

  /**
   * Fetches only what is newer than the newest sample held (voltage and current, which the live
   * event lacks, and anything missed while the socket was away) and merges it in.
   */
  async function refreshMeter(nowMs: number = Date.now()): Promise<void> {
    const stationId = meterStationId.value;
    if (stationId === null || meterState.value !== 'ready') return;
    const current = meterGeneration;
    const newest = newestSampleMs(meter.value);
    const fromMs = Math.max(newest ?? 0, nowMs - METER_WINDOW_MS);
    const result = await api.stationMeter(stationId, {
      from: new Date(fromMs).toISOString(),
      to: new Date(nowMs).toISOString(),
    });
    if (current !== meterGeneration || stationId !== meterStationId.value) return;
    meter.value = capMeter(
      mergeMeter(meter.value, meterFromPoints(result.points)),
      nowMs,
      METER_WINDOW_MS,
      METER_MAX_POINTS,
    );
  }

  function applyMeterLive(updates: readonly MeterLive[], nowMs: number = Date.now()): void {
    const stationId = meterStationId.value;
    if (stationId === null || meterState.value !== 'ready') return;
    const mine = updates.filter((update) => update.stationId === stationId);
    if (mine.length === 0) return;
    meter.value = capMeter(
      mergeMeter(meter.value, meterFromLive(mine)),
      nowMs,
      METER_WINDOW_MS,
      METER_MAX_POINTS,
    );
  }

  function clearMeter(): void {
    meterGeneration++;
    meterStationId.value = null;
    meter.value = new Map();
    meterState.value = 'idle';
  }

  function reset(): void {
    powerGeneration++;
    power.value = null;
    powerState.value = 'idle';
    clearMeter();
  }

  return {
    power,
    powerState,
    loadPower,
    applyLivePower,
    meterStationId,
    meter,
    meterState,
    loadMeter,
    refreshMeter,
    applyMeterLive,
    clearMeter,
    reset,
  };
});
