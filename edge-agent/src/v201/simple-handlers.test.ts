/** Heartbeat, Authorize, StatusNotification and MeterValues in 2.0.1. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { authorize } from './authorize.js';
import { heartbeat } from './heartbeat.js';
import { meterValues } from './meter-values.js';
import { statusNotification } from './status-notification.js';

const NOW = '2026-01-15T10:00:00.000Z';
const at = '2026-01-15T10:00:00Z';

describe('2.0.1 Heartbeat', () => {
  it('returns the edge time and a heartbeat event', () => {
    const { res, events } = heartbeat({}, fakeContext({ now: NOW }));
    expect(res).toEqual({ currentTime: NOW });
    expect(events).toEqual([{ occurredAt: NOW, event: { type: 'station.heartbeat' } }]);
  });
});

describe('2.0.1 Authorize', () => {
  it('maps the decision to IdTokenInfo with a Central group token', () => {
    const ctx = fakeContext({
      state: {
        auth: {
          AB12: {
            status: 'accepted',
            expiresAt: '2026-02-01T00:00:00Z',
            groupId: 'FLEET',
            decidedBy: 'local_list',
          },
        },
      },
    });
    const { res, events } = authorize({ idToken: { idToken: 'AB12', type: 'ISO14443' } }, ctx);
    expect(res).toEqual({
      idTokenInfo: {
        status: 'Accepted',
        cacheExpiryDateTime: '2026-02-01T00:00:00.000Z',
        groupIdToken: { idToken: 'FLEET', type: 'Central' },
      },
    });
    expectValidEvents(events);
    expect(events[0]?.event).toEqual({
      type: 'token.authorized',
      idToken: { id: 'AB12', type: 'ISO14443' },
      status: 'accepted',
      decidedBy: 'local_list',
    });
  });

  it('answers Unknown for unknown tokens', () => {
    const ctx = fakeContext({ state: { defaultAuth: { status: 'unknown', decidedBy: 'policy' } } });
    expect(authorize({ idToken: { idToken: 'X', type: 'Local' } }, ctx).res).toEqual({
      idTokenInfo: { status: 'Unknown' },
    });
  });

  it('decides an empty NoAuthorization token but emits no token event for it', () => {
    const ctx = fakeContext();
    const { res, events } = authorize({ idToken: { idToken: '', type: 'NoAuthorization' } }, ctx);
    expect(res.idTokenInfo.status).toBe('Accepted');
    expect(events).toEqual([]);
  });
});

describe('2.0.1 StatusNotification', () => {
  it('passes EVSE and connector through', () => {
    const { res, events } = statusNotification(
      { evseId: 2, connectorId: 1, connectorStatus: 'Occupied', timestamp: at },
      fakeContext(),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events).toEqual([
      {
        occurredAt: NOW,
        event: {
          type: 'connector.status',
          evseId: 2,
          connectorId: 1,
          status: 'occupied',
          rawStatus: 'Occupied',
          errorCode: null,
          vendorErrorCode: null,
          info: null,
        },
      },
    ]);
  });

  it('keeps an unrecognised status as unknown', () => {
    const req = { evseId: 1, connectorId: 1, connectorStatus: 'Melted', timestamp: at } as never;
    expect(statusNotification(req, fakeContext()).events[0]?.event).toMatchObject({
      status: 'unknown',
      rawStatus: 'Melted',
    });
  });
});

describe('2.0.1 MeterValues', () => {
  it('applies the multiplier before the unit and defaults to Wh for energy', () => {
    const { res, events } = meterValues(
      {
        evseId: 1,
        meterValue: [
          {
            timestamp: at,
            sampledValue: [
              { value: 12.345, unitOfMeasure: { unit: 'kWh' } },
              { value: 12.345, unitOfMeasure: { unit: 'Wh', multiplier: 3 } },
              { value: 7, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW', multiplier: -1 } },
              { value: 50, measurand: 'Frequency' },
              { value: 3, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'MWh' } },
            ],
          },
        ],
      },
      fakeContext(),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events[0]?.event).toMatchObject({ evseId: 1, connectorId: 0, transactionId: null });
    const samples = (
      events[0]?.event as { samples: { value: number; unit: string; rawUnit: string | null }[] }
    ).samples;
    expect(samples.map((s) => [s.value, s.unit, s.rawUnit])).toEqual([
      [12345, 'Wh', 'kWh'],
      [12345, 'Wh', 'Wh'],
      [700, 'W', 'kW'],
      [50, 'Hz', null],
      [3, 'unknown', 'MWh'],
    ]);
  });

  it('drops non-finite values and still answers', () => {
    const req = {
      evseId: 0,
      meterValue: [
        { timestamp: at, sampledValue: [{ value: Number.NaN }, { value: Number.POSITIVE_INFINITY }] },
      ],
    };
    expect(meterValues(req, fakeContext())).toEqual({ res: {}, events: [] });
  });

  it('multiplier m on Wh equals the same value in Wh × 10^m (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -6, max: 6 }),
        (value, m) => {
          const req = {
            evseId: 1,
            meterValue: [
              { timestamp: at, sampledValue: [{ value, unitOfMeasure: { unit: 'Wh', multiplier: m } }] },
            ],
          };
          const { res, events } = meterValues(req, fakeContext());
          expect(res).toEqual({});
          const sample = (events[0]?.event as { samples: { value: number }[] } | undefined)?.samples[0];
          if (!sample) return; // overflowed to Infinity: dropped, not NaN
          expect(Number.isFinite(sample.value)).toBe(true);
          // value × 10^m in floating point, compared with a relative tolerance; subnormals (< 1e-300)
          // lose relative precision in the float product itself, hence the absolute floor.
          const expected = value * 10 ** m;
          expect(Math.abs(sample.value - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-12 + 1e-300);
        },
      ),
    );
  });

  it('never crashes or emits NaN for any value, unit, multiplier or measurand (property)', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        fc.option(fc.integer(), { nil: undefined }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (value, unit, multiplier, measurand) => {
          const unitOfMeasure = {
            ...(unit === undefined ? {} : { unit }),
            ...(multiplier === undefined ? {} : { multiplier }),
          };
          const req = {
            evseId: 1,
            meterValue: [
              {
                timestamp: at,
                sampledValue: [{ value, unitOfMeasure, ...(measurand === undefined ? {} : { measurand }) }],
              },
            ],
          };
          const { res, events } = meterValues(req as never, fakeContext());
          expect(res).toEqual({});
          for (const e of events) {
            for (const s of (e.event as { samples: { value: number }[] }).samples)
              expect(Number.isFinite(s.value)).toBe(true);
          }
        },
      ),
    );
  });

  it('kWh round-trips through Wh (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (kwh) => {
        const req = {
          evseId: 1,
          meterValue: [{ timestamp: at, sampledValue: [{ value: kwh, unitOfMeasure: { unit: 'kWh' } }] }],
        };
        const wh = (meterValues(req, fakeContext()).events[0]?.event as { samples: { value: number }[] })
          .samples[0]!.value;
        const back = {
          evseId: 1,
          meterValue: [
            { timestamp: at, sampledValue: [{ value: wh, unitOfMeasure: { unit: 'Wh', multiplier: -3 } }] },
          ],
        };
        const again = (meterValues(back, fakeContext()).events[0]?.event as { samples: { value: number }[] })
          .samples[0]!.value;
        expect(Math.abs(again - kwh)).toBeLessThanOrEqual(Math.abs(kwh) * 1e-15 + Number.MIN_VALUE);
      }),
    );
  });
});
