/**
 * The seam between the version-neutral station and one OCPP version: message builders, answer
 * parsers and the table of commands the station answers.
 */
import type { Fault, Connector, MeterSample, Session, StopReason, StartTrigger, Settings } from './model.js';
import type { OcppVersion } from './options.js';

export interface Call {
  method: string;
  params: Record<string, unknown>;
}

export interface BootAnswer {
  status: 'Accepted' | 'Pending' | 'Rejected';
  intervalS: number;
}

export type BootReason = 'PowerUp' | 'RemoteReset' | 'LocalReset' | 'Triggered' | 'Watchdog';

/** What an answer to a transaction message tells the station to do. */
export type TxEffect = { kind: 'none' } | { kind: 'deauthorize'; localId: number };

export type RemoteStartResult =
  { accepted: false } | { accepted: true; transactionId: number | string | undefined };

/**
 * A transaction message waiting in the offline queue. It is built when it is sent, because a
 * 1.6 transaction id is only known once the StartTransaction before it has been answered.
 */
export interface OutboxItem {
  readonly action: string;
  build(): Call | undefined;
  onResult(result: unknown): TxEffect;
}

export interface TxContext {
  connector: Connector;
  session: Session;
  sample: MeterSample;
  /** The event happened while the station had no connection (2.0.1 `offline`). */
  offline: boolean;
}

export type TriggerKind =
  'BootNotification' | 'Heartbeat' | 'StatusNotification' | 'MeterValues' | 'TransactionEvent';

/** What a command handler may do to the station. */
export interface StationControl {
  readonly identity: string;
  readonly connectors: readonly Connector[];
  readonly settings: Settings;
  readonly vendor: string;
  connector(id: number): Connector | undefined;
  remoteStart(
    connectorId: number | undefined,
    idTag: string,
    remoteStartId: number | undefined,
  ): RemoteStartResult;
  remoteStop(match: (s: Session) => boolean): boolean;
  reset(kind: 'Soft' | 'Hard', whenIdle: boolean): 'Accepted' | 'Scheduled';
  unlock(connectorId: number): 'Unlocked' | 'UnknownConnector';
  /** connectorId 0 means the whole station. */
  changeAvailability(connectorId: number, operative: boolean): 'Accepted' | 'Scheduled' | 'Rejected';
  trigger(kind: TriggerKind, connectorId: number | undefined): 'Accepted' | 'Rejected';
  clearAuthCache(): void;
  applySettings(patch: Partial<Settings>): void;
}

export type CommandHandler = (
  params: Record<string, unknown>,
  station: StationControl,
) => Record<string, unknown>;

export interface Dialect {
  readonly version: OcppVersion;
  bootNotification(station: StationControl, model: string, reason: BootReason): Call;
  parseBoot(result: unknown): BootAnswer;
  heartbeat(): Call;
  /** Connectors to report at boot; 1.6 also reports connector 0 (the station itself). */
  statusNotifications(station: StationControl, connector: Connector | undefined): Call[];
  authorize(idTag: string): Call;
  parseAuthorize(result: unknown): boolean;
  txStarted(ctx: TxContext, trigger: StartTrigger): OutboxItem;
  txUpdated(
    ctx: TxContext,
    trigger: 'MeterValuePeriodic' | 'ChargingStateChanged' | 'Trigger',
  ): OutboxItem | undefined;
  txEnded(ctx: TxContext, reason: StopReason): OutboxItem;
  /** Meter values outside a transaction (TriggerMessage MeterValues). */
  meterValues(connector: Connector, sample: MeterSample): Call;
  /** 2.0.1 reports fault codes with NotifyEvent; 1.6 carries them in StatusNotification. */
  faultNotice(connector: Connector, fault: Fault, cleared: boolean, eventId: number): Call | undefined;
  readonly commands: Readonly<Record<string, CommandHandler>>;
}
