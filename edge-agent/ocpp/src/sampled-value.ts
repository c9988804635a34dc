/**
 * One OCPP SampledValue (1.6 or 2.0.1: the measurand, context, phase and location vocabularies are
 * identical) turned into a canonical sample. Absent fields take the defaults the specs define;
 * values we do not recognise become `unknown` and the raw value stays in the sample.
 */
import { toCanonical, type CanonicalUnit } from './units.js';

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
export type SampleContext = (typeof SAMPLE_CONTEXTS)[number];

const CONTEXTS: Readonly<Record<string, SampleContext>> = {
  'Sample.Periodic': 'sample.periodic',
  'Sample.Clock': 'sample.clock',
  'Transaction.Begin': 'transaction.begin',
  'Transaction.End': 'transaction.end',
  Trigger: 'trigger',
  'Interruption.Begin': 'interruption.begin',
  'Interruption.End': 'interruption.end',
  Other: 'other',
};

/** Both versions' default measurand (OCPP 1.6 SampledValue, 2.0.1 SampledValueType). */
export const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';

export interface RawSampledValue {
  value: string | number;
  measurand?: string | undefined;
  context?: string | undefined;
  phase?: string | undefined;
  location?: string | undefined;
  unit?: string | undefined;
  multiplier?: number | undefined;
}

/** Shape-compatible with the contract's MeterSample (this package does not depend on the contract). */
export interface CanonicalSample {
  at: string;
  measurand: string;
  value: number;
  unit: CanonicalUnit;
  phase: string | null;
  location: string | null;
  context: SampleContext;
  /** The context as sent, when it is not one of the vocabulary's values (`context` is then `unknown`). */
  rawContext: string | null;
  rawUnit: string | null;
}

export function sampleContext(raw: string | undefined): SampleContext {
  // Absent context means Sample.Periodic by definition (OCPP 1.6 SampledValue, 2.0.1 SampledValueType),
  // this is the spec's default, not a guess; an unrecognised value is `unknown`.
  if (raw === undefined) return 'sample.periodic';
  return CONTEXTS[raw] ?? 'unknown';
}

/** The context and, when it is not recognised, the raw value kept beside `unknown`. */
export function sampleContextOf(raw: string | undefined): {
  context: SampleContext;
  rawContext: string | null;
} {
  const context = sampleContext(raw);
  return { context, rawContext: context === 'unknown' ? (raw ?? null) : null };
}

/** Null when the value is not a finite number: the caller drops it and still answers normally. */
export function canonicalSample(raw: RawSampledValue, at: string): CanonicalSample | null {
  const measurand = raw.measurand ?? DEFAULT_MEASURAND;
  const converted = toCanonical({
    value: raw.value,
    unit: raw.unit ?? null,
    multiplier: raw.multiplier ?? null,
    measurand,
  });
  if (!converted) return null;
  return {
    at,
    measurand,
    value: converted.value,
    unit: converted.unit,
    phase: raw.phase ?? null,
    location: raw.location ?? null,
    ...sampleContextOf(raw.context),
    rawUnit: raw.unit ?? null,
  };
}
