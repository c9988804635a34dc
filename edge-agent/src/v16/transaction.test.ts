/** 1.6 StartTransaction / StopTransaction through one fake site state. */
import { describe, expect, it } from 'vitest';
import { fakeContext, FakeStationState } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { startTransaction } from './start-transaction.js';
import { stopTransaction } from './stop-transaction.js';

const start = { connectorId: 1, idTag: 'TAG1', meterStart: 1200, timestamp: '2026-01-15T10:00:00Z' };

describe('1.6 StartTransaction', () => {
  it('allocates the id from the site state and emits authorization, session and begin sample', () => {
    const ctx = fakeContext({ state: { nextTransactionId: 42 } });
    const { res, events } = startTransaction(start, ctx);
    expect(res).toEqual({ transactionId: 42, idTagInfo: { status: 'Accepted' } });
    expectValidEvents(events);
    expect(events.map((e) => e.event.type)).toEqual(['token.authorized', 'session.started', 'meter.samples']);
    expect(events[1]).toEqual({
      occurredAt: '2026-01-15T10:00:00.000Z',
      event: {
        type: 'session.started',
        transactionId: '42',
        evseId: 1,
        connectorId: 1,
        idToken: { id: 'TAG1', type: 'unknown' },
        meterStartWh: 1200,
        reservationId: null,
      },
    });
    expect(events[2]?.event).toMatchObject({
      transactionId: '42',
      samples: [
        { measurand: 'Energy.Active.Import.Register', value: 1200, unit: 'Wh', context: 'transaction.begin' },
      ],
    });
  });

  it('gives a replayed start the same id and no events', () => {
    const state = new FakeStationState({ nextTransactionId: 7 });
    const first = startTransaction(start, fakeContext({ state }));
    const replay = startTransaction(start, fakeContext({ state }));
    expect(replay.res).toEqual(first.res);
    expect(replay.events).toEqual([]);
  });

  it('still starts (and reports) a transaction for a blocked tag: the charger stops it itself', () => {
    const ctx = fakeContext({ state: { defaultAuth: { status: 'blocked' } } });
    const { res, events } = startTransaction(start, ctx);
    expect(res.idTagInfo.status).toBe('Blocked');
    expect(events[0]?.event).toMatchObject({ type: 'token.authorized', status: 'blocked' });
  });
});

describe('1.6 StopTransaction', () => {
  function started(): FakeStationState {
    const state = new FakeStationState({ nextTransactionId: 42 });
    startTransaction(start, fakeContext({ state }));
    return state;
  }

  it('emits samples then session.ended, with the stop register as Transaction.End', () => {
    const state = started();
    const { res, events } = stopTransaction(
      {
        transactionId: 42,
        meterStop: 5200,
        timestamp: '2026-01-15T11:00:00Z',
        reason: 'EVDisconnected',
        transactionData: [
          { timestamp: '2026-01-15T10:30:00Z', sampledValue: [{ value: '3.2', unit: 'kWh' }] },
        ],
      },
      fakeContext({ state }),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events.map((e) => e.event.type)).toEqual(['meter.samples', 'session.ended']);
    expect(events[0]?.event).toMatchObject({
      evseId: 1,
      connectorId: 1,
      samples: [
        {
          value: 3200,
          unit: 'Wh',
          rawUnit: 'kWh',
          context: 'sample.periodic',
          at: '2026-01-15T10:30:00.000Z',
        },
        { value: 5200, context: 'transaction.end', at: '2026-01-15T11:00:00.000Z' },
      ],
    });
    expect(events[1]?.event).toEqual({
      type: 'session.ended',
      transactionId: '42',
      meterStopWh: 5200,
      reason: 'ev_disconnected',
      rawReason: 'EVDisconnected',
      idToken: { id: 'TAG1', type: 'unknown' },
    });
  });

  it('does not add a second Transaction.End register when transactionData has one', () => {
    const state = started();
    const { events } = stopTransaction(
      {
        transactionId: 42,
        meterStop: 5200,
        timestamp: '2026-01-15T11:00:00Z',
        transactionData: [
          {
            timestamp: '2026-01-15T11:00:00Z',
            sampledValue: [{ value: '5.2', unit: 'kWh', context: 'Transaction.End' }],
          },
        ],
      },
      fakeContext({ state }),
    );
    expect(events[0]?.event).toMatchObject({ samples: [{ value: 5200, rawUnit: 'kWh' }] });
    expect((events[0]?.event as { samples: unknown[] }).samples).toHaveLength(1);
    // No reason means Local (§6.49 StopTransaction.req).
    expect(events[1]?.event).toMatchObject({ reason: 'local', rawReason: null });
  });

  it('answers a replayed stop normally with no events', () => {
    const state = started();
    const stop = { transactionId: 42, meterStop: 5200, timestamp: '2026-01-15T11:00:00Z', idTag: 'TAG1' };
    stopTransaction(stop, fakeContext({ state }));
    const replay = stopTransaction(stop, fakeContext({ state }));
    expect(replay.res).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(replay.events).toEqual([]);
  });

  it('records a stop for an unknown transaction verbatim instead of inventing a session', () => {
    const stop = { transactionId: 999, meterStop: 1, timestamp: '2026-01-15T11:00:00Z' };
    const { res, events } = stopTransaction(stop, fakeContext());
    expect(res).toEqual({});
    expect(events).toEqual([
      {
        occurredAt: '2026-01-15T10:00:00.000Z',
        event: { type: 'station.record', action: 'StopTransaction', payload: stop },
      },
    ]);
  });

  it('maps every 1.6 reason and keeps unknown ones', () => {
    const state = started();
    const { events } = stopTransaction(
      { transactionId: 42, meterStop: 1, timestamp: '2026-01-15T11:00:00Z', reason: 'Meteor' as never },
      fakeContext({ state }),
    );
    expect(events.at(-1)?.event).toMatchObject({ reason: 'unknown', rawReason: 'Meteor' });
  });
});
