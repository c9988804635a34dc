/**
 * Energy of a charging session from its register readings. The one place this is computed: the live
 * value (from the latest register sample) and the final one (from the stop reading) cannot disagree.
 * A register that went backwards (meter replaced or reset) yields null rather than a negative number.
 */
export interface SessionReadings {
  meterStartWh: number | null;
  meterStopWh: number | null;
  lastRegisterWh: number | null;
}

export function sessionEnergyWh(r: SessionReadings): number | null {
  const end = r.meterStopWh ?? r.lastRegisterWh;
  if (r.meterStartWh === null || end === null) return null;
  const energy = end - r.meterStartWh;
  return energy >= 0 ? energy : null;
}
