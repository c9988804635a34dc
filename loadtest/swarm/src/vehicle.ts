/**
 * Draws a vehicle for a new session (battery, arrival SoC, energy wanted, on-board charger power)
 * from the scenario's distributions, and advances it with the charging curve.
 */
import { chargeFor } from './charging-curve.js';
import type { Session } from './model.js';
import type { Scenario } from './options.js';
import { clampedNormal, uniform, type Rng } from './rng.js';

export interface NewSessionInput {
  localId: number;
  idTag: string;
  remoteStartId: number | undefined;
  transactionId: string | undefined;
  nowMs: number;
  meterStartWh: number;
  manual: boolean;
}

const onBoardChargerW = [7_400, 11_000, 22_000, 50_000, 150_000, 250_000] as const;

export function newSession(rng: Rng, scenario: Scenario, input: NewSessionInput): Session {
  const s = scenario.session;
  const capacityWh = uniform(rng, s.batteryKWh.min, s.batteryKWh.max) * 1000;
  const socPercent = uniform(rng, s.arrivalSocPercent.min, s.arrivalSocPercent.max);
  const wantedWh =
    clampedNormal(rng, s.energyKWh.mean, s.energyKWh.sd, s.energyKWh.min, s.energyKWh.max) * 1000;
  return {
    localId: input.localId,
    idTag: input.idTag,
    remoteStartId: input.remoteStartId,
    transactionId: input.transactionId,
    nextSeqNo: 0,
    startedAtMs: input.nowMs,
    meterStartWh: input.meterStartWh,
    battery: { capacityWh, socPercent },
    wantedWh,
    evMaxPowerW: onBoardChargerW[Math.floor(rng.next() * onBoardChargerW.length)] ?? 11_000,
    deliveredWh: 0,
    powerW: 0,
    lastAdvanceMs: input.nowMs,
    satisfied: false,
    departAtSimMs: undefined,
    manual: input.manual,
  };
}

/**
 * Charges for `dtSimS` simulated seconds and returns the energy delivered. Marks the session
 * satisfied when the driver's wanted energy is in or the battery is full.
 */
export function chargeSession(
  session: Session,
  dtSimS: number,
  stationLimitW: number,
  taperStartSocPercent: number,
): number {
  const limitW = Math.min(stationLimitW, session.evMaxPowerW);
  const step = chargeFor(session.battery, dtSimS, limitW, taperStartSocPercent);
  const wh = Math.min(step.deliveredWh, Math.max(0, session.wantedWh - session.deliveredWh));
  session.battery.socPercent =
    wh === step.deliveredWh
      ? step.socPercent
      : Math.min(100, session.battery.socPercent + (wh / session.battery.capacityWh) * 100);
  session.deliveredWh += wh;
  session.powerW = dtSimS > 0 ? Math.min(limitW, (wh * 3600) / dtSimS) : 0;
  if (session.deliveredWh >= session.wantedWh - 1e-6 || session.battery.socPercent >= 100 - 1e-9) {
    session.satisfied = true;
  }
  return wh;
}
