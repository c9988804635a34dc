/**
 * 2.0.1 ChargingStateEnumType to the normalized charging state; an unrecognised value becomes
 * `unknown` with the raw value kept beside it.
 */
import type { ChargingState } from '@voltmesh/contract';
import type { ChargingStateEnumType } from '@voltmesh/ocpp/v201';

const STATES = {
  Charging: 'charging',
  EVConnected: 'ev_connected',
  SuspendedEV: 'suspended_ev',
  SuspendedEVSE: 'suspended_evse',
  Idle: 'idle',
} as const satisfies Record<ChargingStateEnumType, ChargingState>;

export interface ChargingStateReading {
  chargingState: ChargingState;
  rawChargingState: string | null;
}

/** Null when the message carries no charging state. */
export function chargingState201(raw: string | undefined): ChargingStateReading | null {
  if (raw === undefined) return null;
  const known = (STATES as Readonly<Record<string, ChargingState>>)[raw];
  return known
    ? { chargingState: known, rawChargingState: null }
    : { chargingState: 'unknown', rawChargingState: raw };
}
