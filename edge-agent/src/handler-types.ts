/**
 * The seam between the OCPP protocol layer (pure handlers in v16/ and v201/) and the edge runtime
 * (transport, outbox, forwarder, site config). Handlers are `(req, ctx) => { res, events }`: no I/O
 * of their own, the clock injected, and site state reached through `StationState`, whose methods are
 * synchronous because the runtime backs them with better-sqlite3 in the same process.
 *
 * The runtime writes `events` to the durable outbox (and waits for the commit) before it sends `res`
 * to the charger; handlers never see the envelope (id, seq, source), the outbox fills it in.
 */
import type { Command, CommandResult, IdToken, OcppVersion, StationEvent } from '@voltmesh/contract';

export interface Clock {
  now(): Date;
}

export interface AuthDecision {
  status: 'accepted' | 'blocked' | 'expired' | 'invalid' | 'concurrent_tx' | 'unknown';
  /** When the charger may stop trusting this answer (idTagInfo.expiryDate / cacheExpiryDateTime). */
  expiresAt: Date | null;
  /** Token group (1.6 parentIdTag, 2.0.1 groupIdToken). */
  groupId: string | null;
  decidedBy: 'local_list' | 'cache' | 'policy';
}

export interface TransactionRef {
  transactionId: string;
  evseId: number;
  connectorId: number;
  idToken: IdToken | null;
  meterStartWh: number | null;
}

/** Durable per-site state, owned by the runtime; every method commits before it returns. */
export interface StationState {
  /**
   * 1.6 StartTransaction: allocates a transaction id unique per site and not guessable across
   * stations. A replay of the same start (same station, connector, idTag, timestamp) returns the
   * id it got the first time with `replay: true`.
   */
  startTransaction(start: { evseId: number; idToken: IdToken; startedAt: string; meterStartWh: number }): {
    transactionId: number;
    replay: boolean;
  };
  /** 1.6 StopTransaction / MeterValues: the open or recent transaction with this id at this station. */
  findTransaction(transactionId: string): TransactionRef | null;
  /** Marks a 1.6 transaction stopped; false if it was already stopped (a replayed StopTransaction). */
  stopTransaction(transactionId: string): boolean;
  /** 2.0.1 TransactionEvent dedupe on (station, transactionId, seqNo): true the first time only. */
  markTransactionEvent(transactionId: string, seqNo: number): boolean;
  /** Local authorisation from the cloud-maintained list/cache, falling back to the site policy. */
  authorize(idToken: IdToken): AuthDecision;
}

export interface BootPolicy {
  registration: 'accepted' | 'pending' | 'rejected';
  heartbeatIntervalS: number;
}

export interface HandlerContext {
  readonly siteId: string;
  readonly stationId: string;
  readonly ocppVersion: OcppVersion;
  /** The OCPP message id of the CALL being handled. */
  readonly messageId: string;
  readonly clock: Clock;
  readonly state: StationState;
  readonly bootPolicy: BootPolicy;
}

/** An event before the outbox wraps it: its time is the charger's timestamp where it sent one. */
export interface NewEvent {
  occurredAt: string;
  event: StationEvent;
}

export interface HandlerResult<Res> {
  res: Res;
  events: NewEvent[];
}

export type Handler<Req, Res> = (req: Req, ctx: HandlerContext) => HandlerResult<Res>;

/** A version's routing table: OCPP action name -> handler. Unlisted actions are NotImplemented. */
export type HandlerTable = Readonly<Record<string, Handler<never, unknown>>>;

/** Encodes a version-neutral command for one OCPP version and reads the station's reply. */
export interface CommandCodec {
  encode(command: Command): { action: string; payload: Record<string, unknown> } | { unsupported: string };
  decode(command: Command, reply: unknown): Omit<CommandResult, 'id'>;
}
