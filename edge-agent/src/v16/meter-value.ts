/**
 * 1.6 MeterValue lists (MeterValues.req, StopTransaction.req transactionData) to canonical samples.
 * Values that are not numbers (including `format: SignedData`, an opaque signed blob) are dropped;
 * the message is still answered normally because a charger may discard refused meter data.
 */
import { canonicalSample, normaliseTimestamp } from '@voltmesh/ocpp';
import type { MeterSample } from '@voltmesh/contract';
import type { MeterValuesRequest } from '@voltmesh/ocpp/v16';
import type { NewEvent } from '../handler-types.js';
import type { Address } from './address.js';

export type MeterValue16 = MeterValuesRequest['meterValue'][number];

/** The contract caps one meter.samples event at 2000 samples. */
const MAX_SAMPLES_PER_EVENT = 2000;

export function samples16(meterValues: readonly MeterValue16[], now: Date): MeterSample[] {
  const out: MeterSample[] = [];
  for (const meterValue of meterValues) {
    const at = normaliseTimestamp(meterValue.timestamp, now);
    for (const sampled of meterValue.sampledValue) {
      if (sampled.format === 'SignedData') continue;
      const sample = canonicalSample(sampled, at);
      if (sample) out.push(sample);
    }
  }
  return out;
}

/**
 * meter.samples events (none when nothing survived conversion), timed at their first sample.
 * Version-neutral: 2.0.1 MeterValues and TransactionEvent use it too.
 */
export function meterSampleEvents(
  samples: readonly MeterSample[],
  where: Address,
  transactionId: string | null,
): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < samples.length; i += MAX_SAMPLES_PER_EVENT) {
    const batch = samples.slice(i, i + MAX_SAMPLES_PER_EVENT);
    events.push({
      occurredAt: batch[0]!.at,
      event: { type: 'meter.samples', ...where, transactionId, samples: batch },
    });
  }
  return events;
}
