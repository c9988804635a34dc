/**
 * Runs one charger CALL through a pure handler: refuse it while the station is not accepted (unless
 * the edge solicited it), run the handler, commit its events to the outbox, then return the reply ocpp-rpc sends. Calls of one
 * connection run one at a time, in arrival order, so per-station event order is the charger's order.
 *
 * A backend failure (outbox or state store) on a transaction message is answered with no reply at
 * all rather than a CALLERROR: the charger's call times out and it retries the message, whereas a
 * CALLERROR may make it drop the data (OCPP 1.6 §4.10 / 2.0.1 E "Transaction-related messages").
 */
import type { OcppVersion } from '@voltmesh/contract';
import { createRPCError, NOREPLY } from '../ocpp-rpc.js';
import type { Clock, HandlerTable, NewEvent } from '../handler-types.js';
import type { Outbox } from '../outbox/outbox.js';
import {
  bootIntervalS,
  decideRegistration,
  type Registration,
  type SessionAuth,
} from '../registration/registration.js';
import type { StationStateStore } from '../state/sqlite-station-state.js';
import type { SiteConfigStore } from '../site-config/site-config-store.js';

const TRANSACTION_ACTIONS = new Set([
  'StartTransaction',
  'StopTransaction',
  'MeterValues',
  'TransactionEvent',
]);

export type CallOutcome = 'ok' | 'refused' | 'handler_error' | 'backend_error';

export interface CallReport {
  stationId: string;
  version: OcppVersion;
  action: string;
  messageId: string;
  outcome: CallOutcome;
  error?: unknown;
}

export interface CallDispatcherDeps {
  siteId: string;
  stationId: string;
  version: OcppVersion;
  handlers: HandlerTable;
  outbox: Outbox;
  state: StationStateStore;
  siteConfig: SiteConfigStore;
  clock: Clock;
  /** How this connection authenticated. */
  session: SessionAuth;
  acceptUnknownStations: boolean;
  /** The registration the gate applies (see OcppServer.effectiveRegistration). */
  registration: () => Registration | null;
  /** Whether the edge instructed this station to send `action` (TriggerMessage, report requests). */
  isSolicited: (action: string) => boolean;
  onCall?: (report: CallReport) => void;
}

export interface IncomingCall {
  messageId: string;
  method: string;
  params: unknown;
}

export function createCallDispatcher(deps: CallDispatcherDeps) {
  const { siteId, stationId, version, handlers, outbox, state, siteConfig, clock } = deps;
  const stationState = state.forStation(stationId);
  let chain: Promise<unknown> = Promise.resolve();

  const run = async ({ messageId, method, params }: IncomingCall): Promise<unknown> => {
    const report = (outcome: CallOutcome, error?: unknown) =>
      deps.onCall?.({ stationId, version, action: method, messageId, outcome, error });
    const handler = handlers[method];
    if (!handler) throw rpcError('NotImplemented', `${method} is not implemented`);

    const registration = deps.registration();
    if (method !== 'BootNotification' && (registration === 'pending' || registration === 'rejected')) {
      // A Pending station may send what the edge asked it for (1.6 §4.2 "unless it has been
      // instructed ... with a TriggerMessage.req"; 2.0.1 B02: triggered by TriggerMessage,
      // GetBaseReport or GetReport); anything else, and everything while Rejected, is refused with
      // SecurityError (2.0.1 B02.FR.09 / B03.FR.07; 1.6 names no code and we use the same).
      if (!(registration === 'pending' && deps.isSolicited(method))) {
        report('refused');
        throw rpcError('SecurityError', `station registration is ${registration}; send BootNotification`);
      }
    }

    const policy = siteConfig.policy();
    const decided = decideRegistration({
      entry: siteConfig.station(stationId),
      session: deps.session,
      policy,
      acceptUnknownStations: deps.acceptUnknownStations,
    });
    const ctx = {
      siteId,
      stationId,
      ocppVersion: version,
      messageId,
      clock,
      state: stationState,
      bootPolicy: { registration: decided, heartbeatIntervalS: bootIntervalS(decided, policy) },
    };
    let res: unknown;
    try {
      // The handler runs inside the outbox's group transaction: its state writes and its events
      // commit together, before the reply is sent.
      res = await outbox.transact(() => {
        let result;
        try {
          result = handler(params as never, ctx);
        } catch (error) {
          throw new HandlerFailure(error);
        }
        if (method === 'BootNotification') state.setRegistration(stationId, readRegistration(result.res));
        return {
          value: result.res,
          entries: result.events.map((e: NewEvent) => ({
            stationId,
            occurredAt: e.occurredAt,
            source: {
              kind: 'ocpp' as const,
              ocppVersion: version,
              action: method,
              messageId: messageId.slice(0, 64),
            },
            event: e.event,
          })),
        };
      });
    } catch (error) {
      const handlerBug = error instanceof HandlerFailure;
      report(handlerBug ? 'handler_error' : 'backend_error', handlerBug ? error.cause : error);
      if (TRANSACTION_ACTIONS.has(method)) return NOREPLY;
      throw rpcError(
        'InternalError',
        handlerBug ? `could not process ${method}` : `could not store ${method}; retry later`,
      );
    }
    report('ok');
    return res;
  };

  return (call: IncomingCall): Promise<unknown> => {
    const next = chain.then(() => run(call));
    chain = next.catch(() => undefined);
    return next;
  };
}

function rpcError(code: string, message: string): Error {
  return createRPCError(code, message) as Error;
}

class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super('handler threw', { cause });
  }
}

function readRegistration(res: unknown): Registration {
  const status = (res as { status?: unknown } | null)?.status;
  if (status === 'Pending') return 'pending';
  if (status === 'Rejected') return 'rejected';
  return 'accepted';
}
