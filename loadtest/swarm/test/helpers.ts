/** Shared set-up for the swarm's integration tests: short intervals, hand-driven sessions. */
import {
  realScheduler,
  startSwarm,
  type Scheduler,
  type ScenarioInput,
  type StationConfigInput,
  type Swarm,
} from '../src/index.js';

export const testScenario: ScenarioInput = {
  seed: 7,
  timeScale: 600,
  meterIntervalS: 0.2,
  tickMs: 50,
  defaultHeartbeatIntervalS: 1,
  callTimeoutMs: 5000,
  session: {
    energyKWh: { mean: 60, sd: 0, min: 50, max: 80 },
    batteryKWh: { min: 100, max: 100 },
    arrivalSocPercent: { min: 10, max: 10 },
  },
};

/** The real scheduler, recording every delay a station asks for. */
export function recordingScheduler(): Scheduler & { delaysMs: number[] } {
  const delaysMs: number[] = [];
  return {
    delaysMs,
    now: () => realScheduler.now(),
    clearTimeout: (handle) => realScheduler.clearTimeout(handle),
    setTimeout: (fn, ms) => {
      delaysMs.push(ms);
      return realScheduler.setTimeout(fn, ms);
    },
  };
}

export function station(
  url: string,
  identity: string,
  ocppVersion: 'ocpp1.6' | 'ocpp2.0.1',
  extra: Partial<StationConfigInput> = {},
): StationConfigInput {
  return { identity, url, ocppVersion, connectors: 2, maxPowerW: 11_000, ...extra };
}

export async function startTestSwarm(
  stations: StationConfigInput[],
  extra: { scheduler?: Scheduler; scenario?: ScenarioInput } = {},
): Promise<Swarm> {
  return startSwarm({
    fleet: { stations },
    scenario: { ...testScenario, ...extra.scenario },
    autonomous: false,
    ...(extra.scheduler ? { scheduler: extra.scheduler } : {}),
  });
}
