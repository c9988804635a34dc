/**
 * Meter readings in canonical units. OCPP sends energy as Wh or kWh, power as W or kW, 2.0.1 adds a
 * power-of-ten `multiplier`; everything leaving the edge is Wh, W, A, V, Hz, Celsius, Percent,
 * varh, var or VA. Scaling is done on the decimal text (shifting the exponent) so `12.345 kWh`
 * becomes exactly 12345 Wh instead of 12344.999999999998.
 */
export const CANONICAL_UNITS = [
  'Wh',
  'W',
  'A',
  'V',
  'Hz',
  'Celsius',
  'Percent',
  'varh',
  'var',
  'VA',
  'unknown',
] as const;
export type CanonicalUnit = (typeof CANONICAL_UNITS)[number];

type Conversion =
  | { unit: CanonicalUnit; powerOf10: number }
  | { unit: 'Celsius'; powerOf10: 0; from: 'kelvin' | 'fahrenheit' };

/** The OCPP 1.6 UnitOfMeasure enumeration and the standard units of the OCPP 2.0.1 appendices. */
const UNITS: Readonly<Record<string, Conversion>> = {
  Wh: { unit: 'Wh', powerOf10: 0 },
  kWh: { unit: 'Wh', powerOf10: 3 },
  varh: { unit: 'varh', powerOf10: 0 },
  kvarh: { unit: 'varh', powerOf10: 3 },
  W: { unit: 'W', powerOf10: 0 },
  kW: { unit: 'W', powerOf10: 3 },
  VA: { unit: 'VA', powerOf10: 0 },
  kVA: { unit: 'VA', powerOf10: 3 },
  var: { unit: 'var', powerOf10: 0 },
  kvar: { unit: 'var', powerOf10: 3 },
  A: { unit: 'A', powerOf10: 0 },
  V: { unit: 'V', powerOf10: 0 },
  Hz: { unit: 'Hz', powerOf10: 0 },
  Celsius: { unit: 'Celsius', powerOf10: 0 },
  // The 1.6 schema lists this misspelling beside Celsius; chargers send both.
  Celcius: { unit: 'Celsius', powerOf10: 0 },
  K: { unit: 'Celsius', powerOf10: 0, from: 'kelvin' },
  Fahrenheit: { unit: 'Celsius', powerOf10: 0, from: 'fahrenheit' },
  Percent: { unit: 'Percent', powerOf10: 0 },
};

/**
 * The unit a measurand is expressed in when the charger leaves `unit` out. The OCPP 1.6 SampledValue type makes Wh
 * the default for energy; 2.0.1 UnitOfMeasureType says "Wh" too, which is only meaningful for
 * energy, so every other measurand gets its own SI unit (1.6 has no unit for Frequency at all).
 * Power.Factor and RPM have no canonical unit and stay `unknown`.
 */
function defaultUnit(measurand: string): CanonicalUnit {
  if (/^Energy\.Active\.(Import|Export)\.(Register|Interval)$/.test(measurand)) return 'Wh';
  if (/^Energy\.Reactive\.(Import|Export)\.(Register|Interval)$/.test(measurand)) return 'varh';
  if (/^Power\.Active\.(Import|Export)$/.test(measurand) || measurand === 'Power.Offered') return 'W';
  if (/^Power\.Reactive\.(Import|Export)$/.test(measurand)) return 'var';
  if (/^Current\.(Import|Export|Offered)$/.test(measurand)) return 'A';
  const others: Readonly<Record<string, CanonicalUnit>> = {
    Voltage: 'V',
    Frequency: 'Hz',
    Temperature: 'Celsius',
    SoC: 'Percent',
  };
  return others[measurand] ?? 'unknown';
}

const DECIMAL = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;

/**
 * `text × 10^powerOf10` as a finite number, or null. Strict on purpose: `Number()` would read
 * '' as 0, '0x1F' as 31 and 'Infinity' as Infinity, none of which a meter means.
 */
export function scaleDecimal(text: string, powerOf10: number): number | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const exponent = (match[3] === undefined ? 0 : Number(match[3])) + powerOf10;
  if (!Number.isSafeInteger(exponent)) return null;
  const value = Number(`${match[1]}${match[2]}e${exponent}`);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}

export interface CanonicalValue {
  value: number;
  unit: CanonicalUnit;
}

/**
 * Converts one reading. `value` is the 1.6 string or the 2.0.1 number; `multiplier` is the 2.0.1
 * UnitOfMeasureType power of ten (default 0). An unrecognised unit keeps the (multiplied) number with
 * unit `unknown`, the caller keeps the raw unit beside it. Null when the value is not a number.
 */
export function toCanonical(input: {
  value: string | number;
  unit: string | null;
  multiplier?: number | null;
  measurand: string;
}): CanonicalValue | null {
  const multiplier = input.multiplier ?? 0;
  if (!Number.isSafeInteger(multiplier)) return null;
  const text = typeof input.value === 'number' ? String(input.value) : input.value;
  if (input.unit === null) {
    const value = scaleDecimal(text, multiplier);
    return value === null ? null : { value, unit: defaultUnit(input.measurand) };
  }
  const conversion = UNITS[input.unit];
  if (!conversion) {
    const value = scaleDecimal(text, multiplier);
    return value === null ? null : { value, unit: 'unknown' };
  }
  const scaled = scaleDecimal(text, multiplier + conversion.powerOf10);
  if (scaled === null) return null;
  if (!('from' in conversion)) return { value: scaled, unit: conversion.unit };
  const celsius = conversion.from === 'kelvin' ? scaled - 273.15 : ((scaled - 32) * 5) / 9;
  return Number.isFinite(celsius) ? { value: celsius, unit: 'Celsius' } : null;
}
