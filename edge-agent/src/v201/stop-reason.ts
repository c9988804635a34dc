/**
 * 2.0.1 TransactionType.stoppedReason (ReasonEnumType) to the normalized stop reason. Reasons the
 * normalized model has no category for (LocalOutOfCredit, MasterPass, PowerQuality, SOCLimitReached,
 * StoppedByEV, Timeout) are `other` with the raw value kept; values outside the enum are `unknown`.
 */
import type { StopReason } from '@voltmesh/contract';
import type { ReasonEnumType } from '@voltmesh/ocpp/v201';

const REASONS = {
  DeAuthorized: 'deauthorized',
  EmergencyStop: 'emergency_stop',
  EnergyLimitReached: 'energy_limit_reached',
  EVDisconnected: 'ev_disconnected',
  GroundFault: 'ground_fault',
  ImmediateReset: 'reset',
  Local: 'local',
  LocalOutOfCredit: 'other',
  MasterPass: 'other',
  Other: 'other',
  OvercurrentFault: 'overcurrent',
  PowerLoss: 'power_loss',
  PowerQuality: 'other',
  Reboot: 'reboot',
  Remote: 'remote',
  SOCLimitReached: 'other',
  StoppedByEV: 'other',
  TimeLimitReached: 'time_limit_reached',
  Timeout: 'other',
} as const satisfies Record<ReasonEnumType, StopReason>;

export function stopReason201(raw: string | undefined): { reason: StopReason; rawReason: string | null } {
  // TransactionType.stoppedReason "MAY only be omitted when Reason is Local" (2.0.1 E06).
  if (raw === undefined) return { reason: 'local', rawReason: null };
  return { reason: (REASONS as Readonly<Record<string, StopReason>>)[raw] ?? 'unknown', rawReason: raw };
}
