import { describe, expect, it } from 'vitest';
import { canonicalSample, sampleContext, sampleContextOf } from './sampled-value.js';
import { scaleDecimal, toCanonical } from './units.js';

describe('scaleDecimal', () => {
  it('shifts the decimal exponent exactly', () => {
    expect(scaleDecimal('12.345', 3)).toBe(12345);
    expect(scaleDecimal('1.005', 3)).toBe(1005);
    expect(scaleDecimal(' -2.5e1 ', 0)).toBe(-25);
    expect(scaleDecimal('.5', 1)).toBe(5);
    expect(scaleDecimal('-0', 0)).toBe(0);
  });

  it('refuses what a meter does not mean', () => {
    for (const text of [
      '',
      ' ',
      'abc',
      '0x1F',
      'Infinity',
      'NaN',
      '1,5',
      '1e',
      '--1',
      '1e999',
      '1e99999999999999999999',
    ]) {
      expect(scaleDecimal(text, 0), text).toBeNull();
    }
  });
});

describe('toCanonical', () => {
  it('converts the kilo units and temperatures', () => {
    expect(toCanonical({ value: '7.4', unit: 'kW', measurand: 'Power.Active.Import' })).toEqual({
      value: 7400,
      unit: 'W',
    });
    expect(toCanonical({ value: '2', unit: 'kvarh', measurand: 'x' })).toEqual({ value: 2000, unit: 'varh' });
    expect(toCanonical({ value: '212', unit: 'Fahrenheit', measurand: 'Temperature' })).toEqual({
      value: 100,
      unit: 'Celsius',
    });
    expect(toCanonical({ value: 1.5, unit: 'kWh', multiplier: 1, measurand: 'x' })).toEqual({
      value: 15000,
      unit: 'Wh',
    });
  });

  it('uses the measurand unit when the charger sends none', () => {
    expect(toCanonical({ value: '50', unit: null, measurand: 'Frequency' })).toEqual({
      value: 50,
      unit: 'Hz',
    });
    expect(toCanonical({ value: '80', unit: null, measurand: 'SoC' })).toEqual({
      value: 80,
      unit: 'Percent',
    });
    expect(toCanonical({ value: '0.98', unit: null, measurand: 'Power.Factor' })).toEqual({
      value: 0.98,
      unit: 'unknown',
    });
  });

  it('keeps the number of an unknown unit with unit unknown', () => {
    expect(toCanonical({ value: '3', unit: 'MWh', measurand: 'x' })).toEqual({ value: 3, unit: 'unknown' });
  });

  it('returns null for a non-integer multiplier', () => {
    expect(toCanonical({ value: 1, unit: 'Wh', multiplier: 0.5, measurand: 'x' })).toBeNull();
  });
});

describe('canonicalSample', () => {
  it('applies the spec defaults for measurand and context', () => {
    expect(canonicalSample({ value: '10' }, '2026-01-01T00:00:00.000Z')).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      measurand: 'Energy.Active.Import.Register',
      value: 10,
      unit: 'Wh',
      phase: null,
      location: null,
      context: 'sample.periodic',
      rawContext: null,
      rawUnit: null,
    });
  });

  it('maps unknown contexts to unknown, never to a default', () => {
    expect(sampleContext('Sample.Whenever')).toBe('unknown');
    expect(sampleContext('Transaction.Begin')).toBe('transaction.begin');
  });

  it('keeps the raw context beside `unknown`, and only then', () => {
    expect(
      canonicalSample({ value: 1, context: 'Sample.Whenever' }, '2026-01-01T00:00:00.000Z'),
    ).toMatchObject({
      context: 'unknown',
      rawContext: 'Sample.Whenever',
    });
    expect(sampleContextOf('Trigger')).toEqual({ context: 'trigger', rawContext: null });
    expect(sampleContextOf(undefined)).toEqual({ context: 'sample.periodic', rawContext: null });
  });
});
