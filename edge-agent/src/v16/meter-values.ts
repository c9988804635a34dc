/** 1.6 MeterValues (§4.7): samples in canonical units; an empty or all-unparseable list yields no event. */
import { address16 } from './address.js';
import { meterSampleEvents, samples16 } from './meter-value.js';
import type { Handler16 } from './types.js';

export const meterValues: Handler16<'MeterValues'> = (req, ctx) => {
  const samples = samples16(req.meterValue, ctx.clock.now());
  const transactionId = req.transactionId === undefined ? null : String(req.transactionId);
  return { res: {}, events: meterSampleEvents(samples, address16(req.connectorId), transactionId) };
};
