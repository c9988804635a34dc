import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { bootNotification } from './boot-notification.js';

describe('2.0.1 BootNotification', () => {
  it('answers from the boot policy and records the boot reason in snake case', () => {
    const ctx = fakeContext({
      now: '2026-01-15T10:00:00.000Z',
      bootPolicy: { registration: 'accepted', heartbeatIntervalS: 120 },
    });
    const { res, events } = bootNotification(
      {
        reason: 'PowerUp',
        chargingStation: { vendorName: 'ACME', model: 'X2', serialNumber: 'S1', firmwareVersion: '2.0' },
      },
      ctx,
    );
    expect(res).toEqual({ status: 'Accepted', currentTime: '2026-01-15T10:00:00.000Z', interval: 120 });
    expectValidEvents(events);
    expect(events[0]?.event).toEqual({
      type: 'station.booted',
      vendor: 'ACME',
      model: 'X2',
      serialNumber: 'S1',
      firmwareVersion: '2.0',
      reason: 'power_up',
      rawReason: null,
      registration: 'accepted',
      heartbeatIntervalS: 120,
    });
  });

  it('says rejected and keeps an unknown reason as unknown with the raw value', () => {
    const ctx = fakeContext({ bootPolicy: { registration: 'rejected', heartbeatIntervalS: 600 } });
    const req = { reason: 'CosmicRay', chargingStation: { vendorName: 'A', model: 'M' } } as never;
    const { res, events } = bootNotification(req, ctx);
    expect(res.status).toBe('Rejected');
    expect(events[0]?.event).toMatchObject({
      reason: 'unknown',
      rawReason: 'CosmicRay',
      serialNumber: null,
      registration: 'rejected',
    });
  });
});
