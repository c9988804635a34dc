/**
 * 2.0.1 MeterValues (J01): samples outside transactions (transaction samples arrive in
 * TransactionEvent). evseId 0 is the station's main meter.
 */
import { meterSampleEvents } from '../v16/meter-value.js';
import { samples201 } from './meter-value.js';
import type { Handler201 } from './types.js';

export const meterValues: Handler201<'MeterValues'> = (req, ctx) => {
  const samples = samples201(req.meterValue, ctx.clock.now());
  const where = { evseId: req.evseId, connectorId: 0 };
  return { res: {}, events: meterSampleEvents(samples, where, null) };
};
