import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { meterValues } from './meter-values.js';

const at = '2026-01-15T10:00:00Z';

describe('1.6 MeterValues', () => {
  it('converts to canonical units and applies the spec defaults for absent fields', () => {
    const { res, events } = meterValues(
      {
        connectorId: 1,
        transactionId: 42,
        meterValue: [
          {
            timestamp: at,
            sampledValue: [
              {
                value: '12.345',
                unit: 'kWh',
                measurand: 'Energy.Active.Import.Register',
                context: 'Sample.Clock',
              },
              { value: '7.4', unit: 'kW', measurand: 'Power.Active.Import', phase: 'L1', location: 'Outlet' },
              { value: '230', measurand: 'Voltage' },
              { value: '1000' },
              { value: '25', unit: 'Celcius', measurand: 'Temperature' },
              { value: '300', unit: 'K', measurand: 'Temperature' },
            ],
          },
        ],
      },
      fakeContext(),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toMatchObject({
      type: 'meter.samples',
      evseId: 1,
      connectorId: 1,
      transactionId: '42',
    });
    const samples = (events[0]?.event as { samples: unknown[] }).samples;
    expect(samples).toEqual([
      {
        at: '2026-01-15T10:00:00.000Z',
        measurand: 'Energy.Active.Import.Register',
        value: 12345,
        unit: 'Wh',
        phase: null,
        location: null,
        context: 'sample.clock',
        rawContext: null,
        rawUnit: 'kWh',
      },
      {
        at: '2026-01-15T10:00:00.000Z',
        measurand: 'Power.Active.Import',
        value: 7400,
        unit: 'W',
        phase: 'L1',
        location: 'Outlet',
        context: 'sample.periodic',
        rawContext: null,
        rawUnit: 'kW',
      },
      {
        at: '2026-01-15T10:00:00.000Z',
        measurand: 'Voltage',
        value: 230,
        unit: 'V',
        phase: null,
        location: null,
        context: 'sample.periodic',
        rawContext: null,
        rawUnit: null,
      },
      {
        at: '2026-01-15T10:00:00.000Z',
        measurand: 'Energy.Active.Import.Register',
        value: 1000,
        unit: 'Wh',
        phase: null,
        location: null,
        context: 'sample.periodic',
        rawContext: null,
        rawUnit: null,
      },
      {
        at: '2026-01-15T10:00:00.000Z',
        measurand: 'Temperature',
        value: 25,
        unit: 'Celsius',
        phase: null,
        location: null,
        context: 'sample.periodic',
        rawContext: null,
        rawUnit: 'Celcius',
      },
      expect.objectContaining({ measurand: 'Temperature', unit: 'Celsius', value: expect.closeTo(26.85, 9) }),
    ]);
  });

  it('drops unparseable and signed values but still answers normally', () => {
    const { res, events } = meterValues(
      {
        connectorId: 1,
        meterValue: [
          {
            timestamp: at,
            sampledValue: [
              { value: 'abc' },
              { value: '' },
              { value: '0x10' },
              { value: 'Infinity' },
              { value: 'MIIBsignedblob', format: 'SignedData' },
            ],
          },
        ],
      },
      fakeContext(),
    );
    expect(res).toEqual({});
    expect(events).toEqual([]);
  });

  it('keeps a context it does not know as unknown, with the raw value beside it', () => {
    const req = {
      connectorId: 0,
      meterValue: [{ timestamp: at, sampledValue: [{ value: '1', context: 'Whenever' }] }],
    };
    const { events } = meterValues(req as never, fakeContext());
    expect(events[0]?.event).toMatchObject({
      evseId: 0,
      connectorId: 0,
      transactionId: null,
      samples: [{ context: 'unknown', rawContext: 'Whenever' }],
    });
    expectValidEvents(events);
  });

  it('splits more than 2000 samples into several events', () => {
    const sampledValue = Array.from({ length: 2500 }, (_, i) => ({ value: String(i) }));
    const { events } = meterValues(
      { connectorId: 1, meterValue: [{ timestamp: at, sampledValue }] },
      fakeContext(),
    );
    expect(events.map((e) => (e.event as { samples: unknown[] }).samples.length)).toEqual([2000, 500]);
  });

  it('never crashes and never emits NaN for arbitrary strings and units (property)', () => {
    const units = ['Wh', 'kWh', 'W', 'kW', 'varh', 'kvarh', 'K', 'Fahrenheit', 'Percent', 'bogus'];
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...units), (value, unit) => {
        const req = { connectorId: 1, meterValue: [{ timestamp: at, sampledValue: [{ value, unit }] }] };
        const { res, events } = meterValues(req as never, fakeContext());
        expect(res).toEqual({});
        for (const e of events) {
          for (const s of (e.event as { samples: { value: number }[] }).samples) {
            expect(Number.isFinite(s.value)).toBe(true);
          }
        }
      }),
    );
  });

  it('kWh is exactly Wh × 1000 for decimal strings (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 999 }), (whole, milli) => {
        const kwh = `${whole}.${String(milli).padStart(3, '0')}`;
        const wh = `${whole < 0 ? '-' : ''}${Math.abs(whole) * 1000 + milli}`;
        const req = {
          connectorId: 1,
          meterValue: [
            {
              timestamp: at,
              sampledValue: [
                { value: kwh, unit: 'kWh' },
                { value: wh, unit: 'Wh' },
              ],
            },
          ],
        };
        const { events } = meterValues(req as never, fakeContext());
        const [a, b] = (events[0]?.event as { samples: { value: number }[] }).samples;
        expect(a!.value).toBe(b!.value);
      }),
    );
  });
});
