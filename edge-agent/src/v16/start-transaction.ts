/**
 * 1.6 StartTransaction (§4.8). The edge allocates the transaction id durably (StationState); a
 * replayed start (the charger retrying after a lost reply) gets the same id and produces no events,
 * because they were recorded the first time. The transaction is created even when the idTag is not
 * accepted: the charger has already started it and stops it itself (§4.8, configuration key
 * StopTransactionOnInvalidId), referring to it by the id we return.
 */
import { normaliseTimestamp } from '@voltmesh/ocpp';
import { address16 } from './address.js';
import { authorizeIdTag, idToken16 } from './id-tag.js';
import { meterSampleEvents } from './meter-value.js';
import type { Handler16 } from './types.js';

export const startTransaction: Handler16<'StartTransaction'> = (req, ctx) => {
  const startedAt = normaliseTimestamp(req.timestamp, ctx.clock.now());
  const where = address16(req.connectorId);
  const idToken = idToken16(req.idTag);
  const { info, event: authorized } = authorizeIdTag(req.idTag, ctx);
  const { transactionId, replay } = ctx.state.startTransaction({
    evseId: where.evseId,
    idToken,
    startedAt,
    meterStartWh: req.meterStart,
  });
  const res = { transactionId, idTagInfo: info };
  if (replay) return { res, events: [] };
  const id = String(transactionId);
  return {
    res,
    events: [
      authorized,
      {
        occurredAt: startedAt,
        event: {
          type: 'session.started',
          transactionId: id,
          ...where,
          idToken,
          meterStartWh: req.meterStart,
          reservationId: req.reservationId ?? null,
        },
      },
      // meterStart is the Energy.Active.Import.Register reading in Wh at start (§6.45 StartTransaction.req); emitting it as
      // a Transaction.Begin sample gives energy accounting the same input a 2.0.1 charger sends.
      ...meterSampleEvents(
        [
          {
            at: startedAt,
            measurand: 'Energy.Active.Import.Register',
            value: req.meterStart,
            unit: 'Wh',
            phase: null,
            location: null,
            context: 'transaction.begin',
            rawContext: null,
            rawUnit: null,
          },
        ],
        where,
        id,
      ),
    ],
  };
};
