/**
 * 2.0.1 TransactionEvent (functional block E). Deduplicated on (transactionId, seqNo), not on the
 * message id: a charger resending an unanswered transaction message (e.g. after a reconnect) sends
 * it in a new CALL with a new message id, while seqNo is per transaction and increments by one per
 * event. A duplicate gets the normal reply and no events. Never answered with a CALLERROR for
 * backend reasons (DESIGN.md reliability rules).
 *
 * Started -> session.started (+ session.updated when it carries a charging state), Updated ->
 * session.updated, Ended -> session.ended; each with its meter.samples. Samples come before
 * session.ended so the final energy is known when the session closes.
 */
import type { IdToken } from '@voltmesh/contract';
import { normaliseTimestamp } from '@voltmesh/ocpp';
import type { IdTokenInfoType, TransactionEventRequest } from '@voltmesh/ocpp/v201';
import type { HandlerContext, NewEvent } from '../handler-types.js';
import { meterSampleEvents } from '../v16/meter-value.js';
import { address201, type Address } from './address.js';
import { chargingState201 } from './charging-state.js';
import { authorizeToken, idToken201 } from './id-token.js';
import { registerReading, samples201 } from './meter-value.js';
import { stopReason201 } from './stop-reason.js';
import type { Handler201 } from './types.js';

/** Where the transaction is: its EVSE if the event names one, else what the site knows, else the station. */
function whereOf(req: TransactionEventRequest, ctx: HandlerContext): Address {
  if (req.evse) return address201(req.evse);
  const known = ctx.state.findTransaction(req.transactionInfo.transactionId);
  return known ? { evseId: known.evseId, connectorId: known.connectorId } : address201(undefined);
}

function sessionEvents(
  req: TransactionEventRequest,
  ctx: HandlerContext,
  idToken: IdToken | null,
): NewEvent[] {
  const now = ctx.clock.now();
  const at = normaliseTimestamp(req.timestamp, now);
  const tx = req.transactionInfo;
  const where = whereOf(req, ctx);
  const samples = samples201(req.meterValue ?? [], now);
  const sampleEvents = meterSampleEvents(samples, where, tx.transactionId);
  const chargingState = chargingState201(tx.chargingState);
  const updated: NewEvent = {
    occurredAt: at,
    event: {
      type: 'session.updated',
      transactionId: tx.transactionId,
      seqNo: req.seqNo,
      chargingState: chargingState?.chargingState ?? null,
      rawChargingState: chargingState?.rawChargingState ?? null,
      idToken,
    },
  };
  switch (req.eventType) {
    case 'Started': {
      const started: NewEvent = {
        occurredAt: at,
        event: {
          type: 'session.started',
          transactionId: tx.transactionId,
          ...where,
          idToken,
          // A Transaction.Begin reading of 0 is passed through: the cloud treats it as a placeholder.
          meterStartWh: registerReading(samples, 'transaction.begin'),
          reservationId: req.reservationId ?? null,
        },
      };
      return [started, ...(chargingState ? [updated] : []), ...sampleEvents];
    }
    case 'Updated':
      return [updated, ...sampleEvents];
    case 'Ended': {
      const { reason, rawReason } = stopReason201(tx.stoppedReason);
      const ended: NewEvent = {
        occurredAt: at,
        event: {
          type: 'session.ended',
          transactionId: tx.transactionId,
          meterStopWh: registerReading(samples, 'transaction.end'),
          reason,
          rawReason,
          idToken,
        },
      };
      return [...sampleEvents, ended];
    }
    default:
      // Unreachable for schema-valid input; keep the data rather than guess what it meant.
      return [
        {
          occurredAt: now.toISOString(),
          event: { type: 'station.record', action: 'TransactionEvent', payload: req },
        },
      ];
  }
}

export const transactionEvent: Handler201<'TransactionEvent'> = (req, ctx) => {
  // E01/E05: when an idToken is present the CSMS answers with its IdTokenInfo.
  let idTokenInfo: IdTokenInfoType | undefined;
  let authEvents: NewEvent[] = [];
  const fresh = ctx.state.markTransactionEvent(req.transactionInfo.transactionId, req.seqNo);
  if (req.idToken) {
    const { info, events } = authorizeToken(req.idToken, ctx);
    idTokenInfo = info;
    authEvents = events;
  }
  const res = idTokenInfo ? { idTokenInfo } : {};
  if (!fresh) return { res, events: [] };
  return { res, events: [...authEvents, ...sessionEvents(req, ctx, idToken201(req.idToken))] };
};
