/**
 * The version-neutral state of a simulated station: connectors, sessions and settings. The
 * protocol dialects (v16/, v201/) only read this and format it; they never own state.
 */
import type { Battery } from './charging-curve.js';

/** Connector states, using the OCPP 1.6 vocabulary (richer); 2.0.1 maps them down. */
export const ConnectorStatus = {
  Available: 'Available',
  Preparing: 'Preparing',
  Charging: 'Charging',
  SuspendedEV: 'SuspendedEV',
  SuspendedEVSE: 'SuspendedEVSE',
  Finishing: 'Finishing',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
} as const;
export type ConnectorStatus = (typeof ConnectorStatus)[keyof typeof ConnectorStatus];

/** Why a transaction ended; each dialect maps these through an exhaustive table. */
export const StopReason = {
  Local: 'Local',
  EVDisconnected: 'EVDisconnected',
  Remote: 'Remote',
  SoftReset: 'SoftReset',
  HardReset: 'HardReset',
  Reboot: 'Reboot',
  UnlockCommand: 'UnlockCommand',
  DeAuthorized: 'DeAuthorized',
  Fault: 'Fault',
  Other: 'Other',
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export type StartTrigger = 'Authorized' | 'RemoteStart';

/** 1.6 StatusNotification error codes the simulator raises. */
export const faultErrorCodes = [
  'GroundFailure',
  'HighTemperature',
  'OverCurrentFailure',
  'PowerMeterFailure',
  'ConnectorLockFailure',
  'EVCommunicationError',
] as const;
export type FaultErrorCode = (typeof faultErrorCodes)[number] | 'OtherError' | 'InternalError';

export interface Fault {
  errorCode: FaultErrorCode;
  vendorErrorCode: string;
}

export interface Session {
  readonly localId: number;
  readonly idTag: string;
  readonly remoteStartId: number | undefined;
  /** 1.6: integer from the StartTransaction answer (unknown until sent); 2.0.1: generated here. */
  transactionId: number | string | undefined;
  /** 2.0.1 TransactionEvent sequence number, assigned when an event is created. */
  nextSeqNo: number;
  readonly startedAtMs: number;
  readonly meterStartWh: number;
  readonly battery: Battery;
  readonly wantedWh: number;
  /** Power the vehicle's on-board charger accepts. */
  readonly evMaxPowerW: number;
  deliveredWh: number;
  powerW: number;
  lastAdvanceMs: number;
  satisfied: boolean;
  /** Simulated time at which the driver comes back (set once satisfied). */
  departAtSimMs: number | undefined;
  /** Started through the library API: only the API ends it. */
  readonly manual: boolean;
}

export interface Connector {
  readonly id: number;
  status: ConnectorStatus;
  fault: Fault | undefined;
  /** Lifetime import register; survives sessions, reboots and reconnects. */
  energyWh: number;
  operative: boolean;
  /** ChangeAvailability Inoperative that waits for the running transaction to end. */
  inoperativeScheduled: boolean;
  plugged: boolean;
  session: Session | undefined;
  /** Simulated time after which a finished vehicle is unplugged. */
  leaveAtSimMs: number | undefined;
}

/** Settings both dialects expose (1.6 configuration keys, 2.0.1 device-model variables). */
export interface Settings {
  heartbeatIntervalS: number;
  meterIntervalS: number;
  connectionTimeOutS: number;
  authorizeRemoteTxRequests: boolean;
  localAuthorizeOffline: boolean;
  stopTransactionOnEVSideDisconnect: boolean;
  meterValuesSampledData: string;
}

export interface MeterSample {
  timestamp: string;
  context: 'Sample.Periodic' | 'Transaction.Begin' | 'Transaction.End' | 'Trigger';
  energyWh: number;
  powerW: number;
  voltageV: number;
  /** Current per phase. */
  currentA: number;
  phases: 1 | 3;
  socPercent: number | undefined;
}

export const nominalVoltageV = 230;

export function isCharging(c: Connector): boolean {
  return c.session !== undefined && c.status === ConnectorStatus.Charging;
}
