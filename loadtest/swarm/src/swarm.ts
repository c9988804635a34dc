/**
 * The composition root of the library: parses options once, guards the targets, builds one
 * SimStation per fleet entry and drives them all from a single behaviour tick.
 */
import { tickStation } from './behaviour.js';
import type { Dialect } from './dialect.js';
import { SwarmError, SwarmErrorCode, UnknownStationError } from './errors.js';
import type { SwarmEventListener } from './events.js';
import { assertLoopbackTargets, type Resolver } from './loopback.js';
import type { ConnectorStatus, Connector } from './model.js';
import {
  maxStationsDefault,
  OcppVersion,
  parseFleet,
  parseScenario,
  type FleetInput,
  type ScenarioInput,
} from './options.js';
import { createRng, uniform } from './rng.js';
import { realScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
import { SimStation, type StationPhase } from './station.js';
import { SwarmStats, type SwarmStatsSnapshot } from './stats.js';
import { dialect16 } from './v16/dialect.js';
import { dialect201 } from './v201/dialect.js';

export interface SwarmOptions {
  fleet: FleetInput;
  scenario?: ScenarioInput;
  /** Required to target anything but loopback. */
  allowRemote?: boolean;
  maxStations?: number;
  /** Random arrivals and departures (default true); tests drive sessions by hand with false. */
  autonomous?: boolean;
  onEvent?: SwarmEventListener;
  scheduler?: Scheduler;
  resolver?: Resolver;
}

export interface StationSnapshot {
  identity: string;
  ocppVersion: OcppVersion;
  phase: StationPhase;
  online: boolean;
  heartbeatIntervalS: number;
  queuedTransactionMessages: number;
  connectors: {
    id: number;
    status: ConnectorStatus;
    energyWh: number;
    plugged: boolean;
    session:
      | {
          idTag: string;
          transactionId: string | number | undefined;
          deliveredWh: number;
          powerW: number;
          socPercent: number;
        }
      | undefined;
  }[];
}

export interface StationHandle {
  readonly identity: string;
  snapshot(): StationSnapshot;
  setStatus(connectorId: number, status: ConnectorStatus): void;
  plugIn(connectorId: number, idTag?: string): Promise<boolean>;
  unplug(connectorId: number): void;
  stopWithCard(connectorId: number): void;
  disconnect(): Promise<void>;
  reconnect(): Promise<void>;
}

export interface Swarm {
  readonly stations: readonly StationSnapshot[];
  station(identity: string): StationHandle;
  stats(): SwarmStatsSnapshot;
  stop(): Promise<void>;
}

const dialects: Record<OcppVersion, Dialect> = {
  [OcppVersion.V16]: dialect16,
  [OcppVersion.V201]: dialect201,
};

function connectorSnapshot(c: Connector): StationSnapshot['connectors'][number] {
  const s = c.session;
  return {
    id: c.id,
    status: c.status,
    energyWh: Math.round(c.energyWh),
    plugged: c.plugged,
    session: s && {
      idTag: s.idTag,
      transactionId: s.transactionId,
      deliveredWh: Math.round(s.deliveredWh),
      powerW: Math.round(s.powerW),
      socPercent: Math.round(s.battery.socPercent * 10) / 10,
    },
  };
}

function snapshotOf(st: SimStation): StationSnapshot {
  return {
    identity: st.identity,
    ocppVersion: st.config.ocppVersion,
    phase: st.phase,
    online: st.online,
    heartbeatIntervalS: st.settings.heartbeatIntervalS,
    queuedTransactionMessages: st.queuedTransactionMessages,
    connectors: st.connectors.map(connectorSnapshot),
  };
}

export async function startSwarm(options: SwarmOptions): Promise<Swarm> {
  const fleet = parseFleet(options.fleet);
  const scenario = parseScenario(options.scenario ?? {});
  const maxStations = options.maxStations ?? maxStationsDefault;
  if (fleet.stations.length > maxStations) {
    throw new SwarmError(
      SwarmErrorCode.TooManyStations,
      `fleet has ${fleet.stations.length} stations; the bound is ${maxStations}`,
    );
  }
  await assertLoopbackTargets(
    fleet.stations.map((s) => s.url),
    options.allowRemote === true,
    options.resolver,
  );

  const scheduler = options.scheduler ?? realScheduler;
  const stats = new SwarmStats();
  const emit: SwarmEventListener = options.onEvent ?? (() => undefined);
  const rng = createRng(scenario.seed);
  const realStartMs = scheduler.now();
  const start = new Date(realStartMs);
  if (scenario.startHour !== undefined)
    start.setHours(Math.floor(scenario.startHour), (scenario.startHour % 1) * 60, 0, 0);
  const simStartMs = start.getTime();
  const simNowMs = () => simStartMs + (scheduler.now() - realStartMs) * scenario.timeScale;

  const stations = new Map<string, SimStation>();
  for (const config of fleet.stations) {
    stations.set(
      config.identity,
      new SimStation(config, {
        dialect: dialects[config.ocppVersion],
        scenario,
        scheduler,
        rng,
        stats,
        emit,
        simNowMs,
        autonomous: options.autonomous ?? true,
        initialEnergyWh: Math.round(uniform(rng, 100_000, 5_000_000)),
      }),
    );
  }

  const behaviour = { rng, scenario, simNowMs, autonomous: options.autonomous ?? true };
  let stopped = false;
  let tickHandle: TimerHandle | undefined;
  let lastTickMs = scheduler.now();
  const tick = () => {
    if (stopped) return;
    const now = scheduler.now();
    const dtRealS = (now - lastTickMs) / 1000;
    lastTickMs = now;
    for (const st of stations.values()) tickStation(st, behaviour, dtRealS);
    tickHandle = scheduler.setTimeout(tick, scenario.tickMs);
  };
  tickHandle = scheduler.setTimeout(tick, scenario.tickMs);

  // Spread connection attempts over the ramp so a large fleet does not arrive in one burst.
  const list = [...stations.values()];
  const gapMs = list.length > 1 ? scenario.rampMs / (list.length - 1) : 0;
  // Stations connect in the background (start() never rejects: failures retry with backoff);
  // callers watch stats().connected or the events.
  const rampTimers: TimerHandle[] = [];
  for (const [i, st] of list.entries()) {
    if (gapMs === 0) void st.start();
    else rampTimers.push(scheduler.setTimeout(() => void st.start(), i * gapMs));
  }

  const get = (identity: string): SimStation => {
    const st = stations.get(identity);
    if (!st) throw new UnknownStationError(identity);
    return st;
  };

  return {
    get stations() {
      return list.map(snapshotOf);
    },
    station(identity) {
      const st = get(identity);
      return {
        identity,
        snapshot: () => snapshotOf(st),
        setStatus: (connectorId, status) => st.setStatus(connectorId, status),
        plugIn: (connectorId, idTag) => st.plugIn(connectorId, idTag, true),
        unplug: (connectorId) => st.unplug(connectorId),
        stopWithCard: (connectorId) => st.stopWithCard(connectorId),
        disconnect: () => st.disconnect(),
        reconnect: () => st.reconnect(),
      };
    },
    stats: () =>
      stats.snapshot({
        stations: list.length,
        connected: list.filter((st) => st.online).length,
        sessionsActive: list.reduce((n, st) => n + st.connectors.filter((c) => c.session).length, 0),
        queued: list.reduce((n, st) => n + st.queuedTransactionMessages, 0),
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (tickHandle !== undefined) scheduler.clearTimeout(tickHandle);
      for (const t of rampTimers) scheduler.clearTimeout(t);
      await Promise.all(list.map((st) => st.stop()));
    },
  };
}
