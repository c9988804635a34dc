import { describe, expect, it } from 'vitest';
import type { TransactionEventRequest } from '@voltmesh/ocpp/v201';
import { fakeContext, FakeStationState } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { transactionEvent } from './transaction-event.js';

const idToken = { idToken: 'AB12', type: 'ISO14443' } as const;

function started(overrides: Partial<TransactionEventRequest> = {}): TransactionEventRequest {
  return {
    eventType: 'Started',
    timestamp: '2026-01-15T10:00:00Z',
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId: 'TX-1', chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 },
    idToken,
    meterValue: [
      {
        timestamp: '2026-01-15T10:00:00Z',
        sampledValue: [
          { value: 0, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' },
        ],
      },
    ],
    ...overrides,
  };
}

describe('2.0.1 TransactionEvent', () => {
  it('Started: authorization, session.started with a 0 Transaction.Begin passed through, state, samples', () => {
    const { res, events } = transactionEvent(started(), fakeContext());
    expect(res).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expectValidEvents(events);
    expect(events.map((e) => e.event.type)).toEqual([
      'token.authorized',
      'session.started',
      'session.updated',
      'meter.samples',
    ]);
    expect(events[1]?.event).toEqual({
      type: 'session.started',
      transactionId: 'TX-1',
      evseId: 1,
      connectorId: 1,
      idToken: { id: 'AB12', type: 'ISO14443' },
      meterStartWh: 0,
      reservationId: null,
    });
    expect(events[2]?.event).toMatchObject({ seqNo: 0, chargingState: 'charging' });
  });

  it('keeps a charging state and a sample context it does not know beside `unknown`', () => {
    // Unreachable through strict schema validation, which is why the mapper must not guess either.
    const req = started({
      transactionInfo: { transactionId: 'TX-1', chargingState: 'Hovering' as never },
      meterValue: [
        { timestamp: '2026-01-15T10:00:00Z', sampledValue: [{ value: 5, context: 'Whenever' as never }] },
      ],
    });
    const { events } = transactionEvent(req, fakeContext());
    expectValidEvents(events);
    expect(events[2]?.event).toMatchObject({ chargingState: 'unknown', rawChargingState: 'Hovering' });
    expect(events[3]?.event).toMatchObject({ samples: [{ context: 'unknown', rawContext: 'Whenever' }] });
  });

  it('Started without a Transaction.Begin register has meterStartWh null', () => {
    const { events } = transactionEvent(started({ meterValue: [], idToken: undefined }), fakeContext());
    expect(events.map((e) => e.event.type)).toEqual(['session.started', 'session.updated']);
    expect(events[0]?.event).toMatchObject({ meterStartWh: null, idToken: null });
  });

  it('a duplicate (transactionId, seqNo) gets the normal reply and no events', () => {
    const state = new FakeStationState();
    transactionEvent(started(), fakeContext({ state }));
    const dup = transactionEvent(started(), fakeContext({ state }));
    expect(dup.res).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(dup.events).toEqual([]);
  });

  it('Updated: session.updated and samples; EVSE from the site state when the event omits it', () => {
    const state = new FakeStationState({
      transactions: [{ transactionId: 'TX-1', evseId: 3, connectorId: 2, idToken: null, meterStartWh: null }],
    });
    const { res, events } = transactionEvent(
      {
        eventType: 'Updated',
        timestamp: '2026-01-15T10:15:00Z',
        triggerReason: 'MeterValuePeriodic',
        seqNo: 1,
        transactionInfo: { transactionId: 'TX-1' },
        meterValue: [
          {
            timestamp: '2026-01-15T10:15:00Z',
            sampledValue: [{ value: 2.5, unitOfMeasure: { unit: 'kWh' } }],
          },
        ],
      },
      fakeContext({ state }),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events[0]?.event).toEqual({
      type: 'session.updated',
      transactionId: 'TX-1',
      seqNo: 1,
      chargingState: null,
      rawChargingState: null,
      idToken: null,
    });
    expect(events[1]?.event).toMatchObject({
      evseId: 3,
      connectorId: 2,
      transactionId: 'TX-1',
      samples: [{ value: 2500 }],
    });
  });

  it('Ended: samples first, then session.ended with the Transaction.End register and reason', () => {
    const { events } = transactionEvent(
      {
        eventType: 'Ended',
        timestamp: '2026-01-15T11:00:00Z',
        triggerReason: 'EVCommunicationLost',
        seqNo: 5,
        evse: { id: 1 },
        transactionInfo: { transactionId: 'TX-1', stoppedReason: 'SOCLimitReached' },
        meterValue: [
          {
            timestamp: '2026-01-15T11:00:00Z',
            sampledValue: [{ value: 4.2, context: 'Transaction.End', unitOfMeasure: { unit: 'kWh' } }],
          },
        ],
      },
      fakeContext(),
    );
    expectValidEvents(events);
    expect(events.map((e) => e.event.type)).toEqual(['meter.samples', 'session.ended']);
    expect(events[0]?.event).toMatchObject({ evseId: 1, connectorId: 0 });
    expect(events[1]).toEqual({
      occurredAt: '2026-01-15T11:00:00.000Z',
      event: {
        type: 'session.ended',
        transactionId: 'TX-1',
        meterStopWh: 4200,
        reason: 'other',
        rawReason: 'SOCLimitReached',
        idToken: null,
      },
    });
  });

  it('Ended without stoppedReason means Local; unknown reasons stay unknown', () => {
    const base = {
      eventType: 'Ended',
      timestamp: '2026-01-15T11:00:00Z',
      triggerReason: 'StopAuthorized',
      seqNo: 9,
    } as const;
    const local = transactionEvent({ ...base, transactionInfo: { transactionId: 'A' } }, fakeContext());
    expect(local.events.at(-1)?.event).toMatchObject({ reason: 'local', rawReason: null, meterStopWh: null });
    const odd = transactionEvent(
      { ...base, transactionInfo: { transactionId: 'B', stoppedReason: 'Gremlins' as never } },
      fakeContext(),
    );
    expect(odd.events.at(-1)?.event).toMatchObject({ reason: 'unknown', rawReason: 'Gremlins' });
  });

  it('drops unparseable samples and still replies normally', () => {
    const { res, events } = transactionEvent(
      started({
        idToken: undefined,
        transactionInfo: { transactionId: 'TX-9' },
        meterValue: [{ timestamp: '2026-01-15T10:00:00Z', sampledValue: [{ value: Number.NaN }] }],
      }),
      fakeContext(),
    );
    expect(res).toEqual({});
    expect(events.map((e) => e.event.type)).toEqual(['session.started']);
  });
});
