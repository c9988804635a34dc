/**
 * Battery physics for one vehicle: constant power up to the taper point (~80 % SoC), then power
 * falling linearly to a trickle at 100 %. Pure, so it can be property-tested.
 */
export interface Battery {
  capacityWh: number;
  socPercent: number;
}

export interface ChargeStep {
  socPercent: number;
  deliveredWh: number;
  /** Mean power over the step: never above the limit. */
  powerW: number;
}

const trickleShare = 0.05;
/** Integration step (simulated seconds): fine enough for the taper to look smooth. */
const maxSubstepS = 30;

/** Instantaneous power the vehicle accepts at this state of charge. */
export function acceptedPowerW(socPercent: number, limitW: number, taperStartSocPercent: number): number {
  if (socPercent >= 100 || limitW <= 0) return 0;
  if (socPercent <= taperStartSocPercent) return limitW;
  const span = Math.max(100 - taperStartSocPercent, Number.EPSILON);
  const share = 1 - ((socPercent - taperStartSocPercent) / span) * (1 - trickleShare);
  return limitW * Math.min(1, Math.max(trickleShare, share));
}

/** Advances the battery by `dtS` simulated seconds of charging at up to `limitW`. */
export function chargeFor(
  battery: Battery,
  dtS: number,
  limitW: number,
  taperStartSocPercent: number,
): ChargeStep {
  let soc = Math.min(100, Math.max(0, battery.socPercent));
  let delivered = 0;
  let remaining = Math.max(0, dtS);
  while (remaining > 0 && soc < 100) {
    const stepS = Math.min(remaining, maxSubstepS);
    const p = acceptedPowerW(soc, limitW, taperStartSocPercent);
    const roomWh = ((100 - soc) / 100) * battery.capacityWh;
    const wh = Math.min((p * stepS) / 3600, roomWh);
    delivered += wh;
    soc = wh >= roomWh ? 100 : Math.min(100, soc + (wh / battery.capacityWh) * 100);
    remaining -= stepS;
  }
  const powerW = dtS > 0 ? Math.min(limitW, (delivered * 3600) / dtS) : 0;
  return { socPercent: soc, deliveredWh: delivered, powerW };
}
