/**
 * The version-neutral event union: the only description of charger activity that leaves the edge.
 * OCPP wire types stop at the edge's v16/ and v201/ folders; the cloud sees only these shapes.
 *
 * Addressing: 1.6 `connectorId N` (N > 0) becomes `{ evseId: N, connectorId: 1 }`; 1.6 connector 0 and
 * 2.0.1 messages without an EVSE become `{ evseId: 0, connectorId: 0 }` (the whole station).
 * Values a mapper does not recognise become `unknown` and the raw value is kept beside them.
 */
import { z } from 'zod';

export const OCPP_VERSIONS = ['ocpp1.6', 'ocpp2.0.1'] as const;
export const OcppVersion = z.enum(OCPP_VERSIONS);
export type OcppVersion = z.infer<typeof OcppVersion>;

const isoTime = z.iso.datetime({ offset: true });
const evseId = z.number().int().min(0);
const connectorId = z.number().int().min(0);

export const IdToken = z.object({ id: z.string().min(1).max(255), type: z.string().min(1).max(32) });
export type IdToken = z.infer<typeof IdToken>;

export const CONNECTOR_STATUSES = [
  'available',
  'occupied',
  'reserved',
  'unavailable',
  'faulted',
  'unknown',
] as const;
export const ConnectorStatus = z.enum(CONNECTOR_STATUSES);
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;

export const CHARGING_STATES = [
  'charging',
  'ev_connected',
  'suspended_ev',
  'suspended_evse',
  'idle',
  'unknown',
] as const;
export const ChargingState = z.enum(CHARGING_STATES);
export type ChargingState = z.infer<typeof ChargingState>;

export const STOP_REASONS = [
  'local',
  'remote',
  'ev_disconnected',
  'deauthorized',
  'emergency_stop',
  'power_loss',
  'reboot',
  'reset',
  'unlock_command',
  'energy_limit_reached',
  'time_limit_reached',
  'ground_fault',
  'overcurrent',
  'other',
  'unknown',
] as const;
export const StopReason = z.enum(STOP_REASONS);
export type StopReason = z.infer<typeof StopReason>;

export const SAMPLE_UNITS = [
  'Wh',
  'W',
  'A',
  'V',
  'Hz',
  'Celsius',
  'Percent',
  'varh',
  'var',
  'VA',
  'unknown',
] as const;
export const SampleUnit = z.enum(SAMPLE_UNITS);

export const SAMPLE_CONTEXTS = [
  'sample.periodic',
  'sample.clock',
  'transaction.begin',
  'transaction.end',
  'trigger',
  'interruption.begin',
  'interruption.end',
  'other',
  'unknown',
] as const;
export const SampleContext = z.enum(SAMPLE_CONTEXTS);

/** One measured value in canonical units (kWh arrives as Wh, kW as W; multipliers applied). */
export const MeterSample = z.object({
  at: isoTime,
  /** OCPP measurand name; identical in 1.6 and 2.0.1 (e.g. `Energy.Active.Import.Register`). */
  measurand: z.string().min(1).max(64),
  value: z.number().finite(),
  unit: SampleUnit,
  phase: z.string().max(8).nullable(),
  location: z.string().max(16).nullable(),
  context: SampleContext,
  /**
   * The context as sent when `context` is `unknown` (a value outside the OCPP vocabulary), else null.
   * Optional only so events written before this field existed still parse; the edge always sets it.
   */
  rawContext: z.string().max(64).nullable().optional(),
  rawUnit: z.string().max(32).nullable(),
});
export type MeterSample = z.infer<typeof MeterSample>;

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

export const StationConnected = ev('station.connected', {
  ocppVersion: OcppVersion,
  securityProfile: z.number().int().min(0).max(3),
  remoteAddress: z.string().max(64).nullable(),
});
export const StationDisconnected = ev('station.disconnected', {
  code: z.number().int(),
  reason: z.string().max(256),
});
export const StationBooted = ev('station.booted', {
  vendor: z.string().max(50),
  model: z.string().max(50),
  serialNumber: z.string().max(50).nullable(),
  firmwareVersion: z.string().max(50).nullable(),
  /** 2.0.1 BootReason in snake case; 1.6 has none and says `unknown`. */
  reason: z.string().max(32),
  /**
   * The reason as sent when `reason` is `unknown` because the value was not recognised (never for
   * 1.6, which sends none). Optional only so events written before this field existed still parse.
   */
  rawReason: z.string().max(64).nullable().optional(),
  registration: z.enum(['accepted', 'pending', 'rejected']),
  heartbeatIntervalS: z.number().int().positive(),
});
export const StationHeartbeat = ev('station.heartbeat', {});
export const ConnectorStatusChanged = ev('connector.status', {
  evseId,
  connectorId,
  status: ConnectorStatus,
  rawStatus: z.string().max(32),
  errorCode: z.string().max(50).nullable(),
  vendorErrorCode: z.string().max(50).nullable(),
  info: z.string().max(255).nullable(),
});
export const TokenAuthorized = ev('token.authorized', {
  idToken: IdToken,
  status: z.enum(['accepted', 'blocked', 'expired', 'invalid', 'concurrent_tx', 'unknown']),
  /** Who decided: the site's local list/cache, or the site policy for unknown tokens. */
  decidedBy: z.enum(['local_list', 'cache', 'policy']),
});
export const SessionStarted = ev('session.started', {
  transactionId: z.string().min(1).max(64),
  evseId,
  connectorId,
  idToken: IdToken.nullable(),
  meterStartWh: z.number().finite().nullable(),
  reservationId: z.number().int().nullable(),
});
export const SessionUpdated = ev('session.updated', {
  transactionId: z.string().min(1).max(64),
  /** 2.0.1 TransactionEvent seqNo; null for 1.6. */
  seqNo: z.number().int().min(0).nullable(),
  chargingState: ChargingState.nullable(),
  /**
   * The charging state as sent when `chargingState` is `unknown`, else null. Optional only so events
   * written before this field existed still parse; the edge always sets it.
   */
  rawChargingState: z.string().max(32).nullable().optional(),
  idToken: IdToken.nullable(),
});
export const SessionEnded = ev('session.ended', {
  transactionId: z.string().min(1).max(64),
  meterStopWh: z.number().finite().nullable(),
  reason: StopReason,
  rawReason: z.string().max(64).nullable(),
  idToken: IdToken.nullable(),
});
export const MeterSamples = ev('meter.samples', {
  evseId,
  connectorId,
  transactionId: z.string().min(1).max(64).nullable(),
  samples: z.array(MeterSample).min(1).max(2000),
});
export const FirmwareStatus = ev('firmware.status', {
  status: z.string().max(64),
  requestId: z.number().int().nullable(),
});
export const DiagnosticsStatus = ev('diagnostics.status', {
  status: z.string().max(64),
  requestId: z.number().int().nullable(),
});
export const SecurityEvent = ev('security.event', {
  eventType: z.string().max(50),
  techInfo: z.string().max(255).nullable(),
});
/** A charger message the edge answers and keeps, without a normalized meaning (NotifyReport, NotifyEvent…). */
export const StationRecord = ev('station.record', {
  action: z.string().max(64),
  payload: z.unknown(),
});
export const EdgeStatus = ev('edge.status', {
  agentVersion: z.string().max(32),
  connectedStations: z.number().int().min(0),
  outboxDepth: z.number().int().min(0),
  outboxOldestAgeS: z.number().min(0),
});

export const StationEvent = z.discriminatedUnion('type', [
  StationConnected,
  StationDisconnected,
  StationBooted,
  StationHeartbeat,
  ConnectorStatusChanged,
  TokenAuthorized,
  SessionStarted,
  SessionUpdated,
  SessionEnded,
  MeterSamples,
  FirmwareStatus,
  DiagnosticsStatus,
  SecurityEvent,
  StationRecord,
  EdgeStatus,
]);
export type StationEvent = z.infer<typeof StationEvent>;
export type StationEventType = StationEvent['type'];
export type EventOf<T extends StationEventType> = Extract<StationEvent, { type: T }>;
