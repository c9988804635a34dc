/**
 * 1.6 StopTransaction (§4.10). Always answered normally, never with a CALLERROR: a charger may drop a
 * transaction message that was refused (DESIGN.md, reliability rules). A replayed stop produces no
 * events; a stop for a transaction this site does not know is kept verbatim as a station.record
 * (there is no EVSE to attribute its meter data to) rather than invented into a session.
 */
import { normaliseTimestamp } from '@voltmesh/ocpp';
import type { NewEvent } from '../handler-types.js';
import { authorizeIdTag, idToken16, type IdTagInfo } from './id-tag.js';
import { meterSampleEvents, samples16 } from './meter-value.js';
import { recordEvent } from './record.js';
import { stopReason16 } from './stop-reason.js';
import type { Handler16 } from './types.js';

export const stopTransaction: Handler16<'StopTransaction'> = (req, ctx) => {
  const now = ctx.clock.now();
  const events: NewEvent[] = [];
  let idTagInfo: IdTagInfo | undefined;
  if (req.idTag !== undefined) {
    const { info, event } = authorizeIdTag(req.idTag, ctx);
    idTagInfo = info;
    events.push(event);
  }
  const res = idTagInfo ? { idTagInfo } : {};
  const id = String(req.transactionId);
  const ref = ctx.state.findTransaction(id);
  if (!ref) {
    events.push(recordEvent('StopTransaction', req, ctx));
    return { res, events };
  }
  if (!ctx.state.stopTransaction(id)) return { res, events: [] };

  const stoppedAt = normaliseTimestamp(req.timestamp, now);
  const where = { evseId: ref.evseId, connectorId: ref.connectorId };
  const samples = samples16(req.transactionData ?? [], now);
  // meterStop is the register reading in Wh at the end (§6.49 StopTransaction.req); as a Transaction.End sample it
  // matches what a 2.0.1 charger sends in TransactionEvent(Ended), unless transactionData has one.
  const hasEndRegister = samples.some(
    (s) => s.context === 'transaction.end' && s.measurand === 'Energy.Active.Import.Register',
  );
  if (!hasEndRegister)
    samples.push({
      at: stoppedAt,
      measurand: 'Energy.Active.Import.Register',
      value: req.meterStop,
      unit: 'Wh',
      phase: null,
      location: null,
      context: 'transaction.end',
      rawContext: null,
      rawUnit: null,
    });
  const { reason, rawReason } = stopReason16(req.reason);
  events.push(...meterSampleEvents(samples, where, id), {
    occurredAt: stoppedAt,
    event: {
      type: 'session.ended',
      transactionId: id,
      meterStopWh: req.meterStop,
      reason,
      rawReason,
      idToken: req.idTag === undefined ? ref.idToken : idToken16(req.idTag),
    },
  });
  return { res, events };
};
