/**
 * The same physical session in OCPP 1.6 and 2.0.1 must yield the same normalized events
 * (DESIGN.md "The normalized model"). Scenario: boot, connector available, plug in, authorize,
 * start, two meter samples, stop, connector available again.
 *
 * What the comparison ignores, and why (everything else must be equal, including event order and
 * times):
 * - `session.updated` events. 2.0.1 reports charging progress inside TransactionEvent
 *   (chargingState, seqNo); 1.6 reports it as StatusNotification Charging/SuspendedEV/Finishing, which
 *   carries no transaction id. The information exists in both, on different channels.
 * - A `connector.status` that repeats the connector's previous normalized status. 1.6 walks
 *   Preparing -> Charging -> Finishing, all `occupied`; 2.0.1 sends Occupied once.
 * - Raw fields, which hold each version's own words by definition: `connector.status.rawStatus`,
 *   `meter.samples[].rawUnit` (1.6 meterStart/meterStop carry no unit string; a 2.0.1 charger may send
 *   "Wh").
 * - `station.booted.reason`: 1.6 BootNotification has no reason field.
 * - `idToken.type`: a 1.6 idTag is an untyped string (`unknown`); 2.0.1 says e.g. ISO14443.
 * The transaction id is made equal on purpose: in 1.6 the edge assigns it (the fake hands out 7),
 * in 2.0.1 the charger does (it sends "7").
 */
import type { StationEvent } from '@voltmesh/contract';
import { describe, expect, it } from 'vitest';
import type { Handler, HandlerTable, NewEvent } from '../src/handler-types.js';
import { handlers16 } from '../src/v16/index.js';
import { handlers201 } from '../src/v201/index.js';
import { fakeContext, FakeStationState } from './golden/fake-station-state.js';
import { expectValidEvents } from './golden/valid-events.js';

type Call = [at: string, action: string, payload: unknown];

const T = {
  boot: '2026-01-15T08:00:00.000Z',
  available: '2026-01-15T08:00:05.000Z',
  plugIn: '2026-01-15T09:00:00.000Z',
  authorize: '2026-01-15T09:00:10.000Z',
  start: '2026-01-15T09:00:15.000Z',
  charging: '2026-01-15T09:00:16.000Z',
  sample1: '2026-01-15T09:15:00.000Z',
  sample2: '2026-01-15T09:30:00.000Z',
  stop: '2026-01-15T09:45:00.000Z',
  finishing: '2026-01-15T09:45:01.000Z',
  unplug: '2026-01-15T09:46:00.000Z',
};

const scenario16: Call[] = [
  [
    T.boot,
    'BootNotification',
    {
      chargePointVendor: 'ACME',
      chargePointModel: 'Volt-22',
      chargePointSerialNumber: 'SN-1',
      firmwareVersion: '3.0',
    },
  ],
  [
    T.available,
    'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: T.available },
  ],
  [
    T.plugIn,
    'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: T.plugIn },
  ],
  [T.authorize, 'Authorize', { idTag: 'TAG-1' }],
  [T.start, 'StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: T.start }],
  [
    T.charging,
    'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: T.charging },
  ],
  [
    T.sample1,
    'MeterValues',
    {
      connectorId: 1,
      transactionId: 7,
      meterValue: [
        {
          timestamp: T.sample1,
          sampledValue: [
            { value: '2.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
            { value: '7.2', unit: 'kW', measurand: 'Power.Active.Import' },
          ],
        },
      ],
    },
  ],
  [
    T.sample2,
    'MeterValues',
    {
      connectorId: 1,
      transactionId: 7,
      meterValue: [
        {
          timestamp: T.sample2,
          sampledValue: [{ value: '4000', unit: 'Wh', measurand: 'Energy.Active.Import.Register' }],
        },
      ],
    },
  ],
  [
    T.stop,
    'StopTransaction',
    { transactionId: 7, idTag: 'TAG-1', meterStop: 5000, timestamp: T.stop, reason: 'Local' },
  ],
  [
    T.finishing,
    'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Finishing', timestamp: T.finishing },
  ],
  [
    T.unplug,
    'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: T.unplug },
  ],
];

const token201 = { idToken: 'TAG-1', type: 'ISO14443' };
const evse = { id: 1, connectorId: 1 };
const energy = (at: string, valueWh: number, context?: string) => ({
  timestamp: at,
  sampledValue: [
    {
      value: valueWh,
      measurand: 'Energy.Active.Import.Register',
      ...(context ? { context } : {}),
      unitOfMeasure: { unit: 'Wh' },
    },
  ],
});

const scenario201: Call[] = [
  [
    T.boot,
    'BootNotification',
    {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'ACME', model: 'Volt-22', serialNumber: 'SN-1', firmwareVersion: '3.0' },
    },
  ],
  [
    T.available,
    'StatusNotification',
    { timestamp: T.available, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  ],
  [
    T.plugIn,
    'StatusNotification',
    { timestamp: T.plugIn, connectorStatus: 'Occupied', evseId: 1, connectorId: 1 },
  ],
  [T.authorize, 'Authorize', { idToken: token201 }],
  [
    T.start,
    'TransactionEvent',
    {
      eventType: 'Started',
      timestamp: T.start,
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: '7', chargingState: 'Charging' },
      evse,
      idToken: token201,
      meterValue: [energy(T.start, 1000, 'Transaction.Begin')],
    },
  ],
  [
    T.sample1,
    'TransactionEvent',
    {
      eventType: 'Updated',
      timestamp: T.sample1,
      triggerReason: 'MeterValuePeriodic',
      seqNo: 1,
      transactionInfo: { transactionId: '7', chargingState: 'Charging' },
      evse,
      meterValue: [
        {
          timestamp: T.sample1,
          sampledValue: [
            { value: 2.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
            { value: 7200, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
          ],
        },
      ],
    },
  ],
  [
    T.sample2,
    'TransactionEvent',
    {
      eventType: 'Updated',
      timestamp: T.sample2,
      triggerReason: 'MeterValuePeriodic',
      seqNo: 2,
      transactionInfo: { transactionId: '7' },
      evse,
      meterValue: [energy(T.sample2, 4000)],
    },
  ],
  [
    T.stop,
    'TransactionEvent',
    {
      eventType: 'Ended',
      timestamp: T.stop,
      triggerReason: 'StopAuthorized',
      seqNo: 3,
      transactionInfo: { transactionId: '7', chargingState: 'EVConnected', stoppedReason: 'Local' },
      evse,
      idToken: token201,
      meterValue: [energy(T.stop, 5000, 'Transaction.End')],
    },
  ],
  [
    T.unplug,
    'StatusNotification',
    { timestamp: T.unplug, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  ],
];

function play(handlers: HandlerTable, calls: Call[], ocppVersion: 'ocpp1.6' | 'ocpp2.0.1'): NewEvent[] {
  const state = new FakeStationState({ nextTransactionId: 7 });
  const events: NewEvent[] = [];
  for (const [at, action, payload] of calls) {
    const handler = handlers[action] as Handler<unknown, unknown>;
    events.push(...handler(payload, fakeContext({ now: at, state, ocppVersion })).events);
  }
  return events;
}

/** Applies exactly the exclusions listed in the header. */
function comparable(events: NewEvent[]): { occurredAt: string; event: StationEvent }[] {
  const lastStatus = new Map<string, string>();
  const out: { occurredAt: string; event: StationEvent }[] = [];
  for (const { occurredAt, event } of events) {
    if (event.type === 'session.updated') continue;
    if (event.type === 'connector.status') {
      const key = JSON.stringify([event.evseId, event.connectorId]);
      if (lastStatus.get(key) === event.status) continue;
      lastStatus.set(key, event.status);
      out.push({ occurredAt, event: { ...event, rawStatus: '' } });
      continue;
    }
    if (event.type === 'station.booted') {
      out.push({ occurredAt, event: { ...event, reason: '' } });
      continue;
    }
    if (event.type === 'meter.samples') {
      out.push({
        occurredAt,
        event: { ...event, samples: event.samples.map((s) => ({ ...s, rawUnit: null })) },
      });
      continue;
    }
    if ('idToken' in event && event.idToken) {
      out.push({ occurredAt, event: { ...event, idToken: { ...event.idToken, type: '' } } });
      continue;
    }
    out.push({ occurredAt, event });
  }
  return out;
}

describe('1.6 / 2.0.1 equivalence', () => {
  const events16 = play(handlers16, scenario16, 'ocpp1.6');
  const events201 = play(handlers201, scenario201, 'ocpp2.0.1');

  it('both versions produce contract-valid events', () => {
    expectValidEvents(events16);
    expectValidEvents(events201);
  });

  it('states every raw field in both versions (null when the value was recognised)', () => {
    for (const { event } of [...events16, ...events201]) {
      if (event.type === 'meter.samples') for (const s of event.samples) expect(s.rawContext).toBeNull();
      if (event.type === 'session.updated') expect(event.rawChargingState).toBeNull();
      if (event.type === 'station.booted') expect(event.rawReason).toBeNull();
    }
  });

  it('yields the same normalized events for the same session', () => {
    expect(comparable(events201)).toEqual(comparable(events16));
  });

  it('covers the whole lifecycle', () => {
    expect(comparable(events16).map((e) => e.event.type)).toEqual([
      'station.booted',
      'connector.status',
      'connector.status',
      'token.authorized',
      'token.authorized',
      'session.started',
      'meter.samples',
      'meter.samples',
      'meter.samples',
      'token.authorized',
      'meter.samples',
      'session.ended',
      'connector.status',
    ]);
  });

  it('agrees on session energy inputs: start 1000 Wh, stop 5000 Wh', () => {
    for (const events of [events16, events201]) {
      expect(events.find((e) => e.event.type === 'session.started')?.event).toMatchObject({
        meterStartWh: 1000,
      });
      expect(events.find((e) => e.event.type === 'session.ended')?.event).toMatchObject({
        meterStopWh: 5000,
        reason: 'local',
      });
    }
  });
});
