/** 2.0.1 ChargingStateEnumType to the normalized charging state; unrecognised values are `unknown`. */
import type { ChargingState } from '@voltmesh/contract';
import type { ChargingStateEnumType } from '@voltmesh/ocpp/v201';

const STATES = {
  Charging: 'charging',
  EVConnected: 'ev_connected',
  SuspendedEV: 'suspended_ev',
  SuspendedEVSE: 'suspended_evse',
  Idle: 'idle',
} as const satisfies Record<ChargingStateEnumType, ChargingState>;

export function chargingState201(raw: string | undefined): ChargingState | null {
  if (raw === undefined) return null;
  return (STATES as Readonly<Record<string, ChargingState>>)[raw] ?? 'unknown';
}
