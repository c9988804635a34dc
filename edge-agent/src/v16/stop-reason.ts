/** 1.6 StopTransaction `reason` (the OCPP 1.6 Reason enumeration) to the normalized stop reason. */
import type { StopReason } from '@voltmesh/contract';

const REASONS: Readonly<Record<string, StopReason>> = {
  EmergencyStop: 'emergency_stop',
  EVDisconnected: 'ev_disconnected',
  HardReset: 'reset',
  SoftReset: 'reset',
  Local: 'local',
  Other: 'other',
  PowerLoss: 'power_loss',
  Reboot: 'reboot',
  Remote: 'remote',
  UnlockCommand: 'unlock_command',
  DeAuthorized: 'deauthorized',
};

export function stopReason16(raw: string | undefined): { reason: StopReason; rawReason: string | null } {
  // §6.49 StopTransaction.req: "MAY only be omitted when the Reason is Local", so absence means Local by definition.
  if (raw === undefined) return { reason: 'local', rawReason: null };
  return { reason: REASONS[raw] ?? 'unknown', rawReason: raw };
}
