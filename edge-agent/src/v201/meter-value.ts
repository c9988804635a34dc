/**
 * 2.0.1 MeterValueType lists (MeterValues, TransactionEvent) to canonical samples. The value is a
 * number already; `unitOfMeasure.multiplier` is a power of ten applied before unit conversion
 * (2.0.1 UnitOfMeasureType). Non-finite values are dropped; the message is still answered normally.
 */
import type { MeterSample } from '@voltmesh/contract';
import { canonicalSample, normaliseTimestamp } from '@voltmesh/ocpp';
import type { MeterValueType } from '@voltmesh/ocpp/v201';

export function samples201(meterValues: readonly MeterValueType[], now: Date): MeterSample[] {
  const out: MeterSample[] = [];
  for (const meterValue of meterValues) {
    const at = normaliseTimestamp(meterValue.timestamp, now);
    for (const sampled of meterValue.sampledValue) {
      const sample = canonicalSample(
        {
          value: sampled.value,
          measurand: sampled.measurand,
          context: sampled.context,
          phase: sampled.phase,
          location: sampled.location,
          unit: sampled.unitOfMeasure?.unit,
          multiplier: sampled.unitOfMeasure?.multiplier,
        },
        at,
      );
      if (sample) out.push(sample);
    }
  }
  return out;
}

/** The Energy.Active.Import.Register reading in one context, e.g. Transaction.Begin -> meterStartWh. */
export function registerReading(
  samples: readonly MeterSample[],
  context: MeterSample['context'],
): number | null {
  const sample = samples.find(
    (s) => s.context === context && s.measurand === 'Energy.Active.Import.Register' && s.unit === 'Wh',
  );
  return sample ? sample.value : null;
}
