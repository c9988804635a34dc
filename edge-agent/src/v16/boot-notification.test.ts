import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { bootNotification } from './boot-notification.js';

describe('1.6 BootNotification', () => {
  it('answers from the boot policy and the injected clock', () => {
    const ctx = fakeContext({
      now: '2026-01-15T10:00:00.000Z',
      bootPolicy: { registration: 'pending', heartbeatIntervalS: 60 },
    });
    const { res, events } = bootNotification(
      {
        chargePointVendor: 'ACME',
        chargePointModel: 'X1',
        chargeBoxSerialNumber: 'OLD-1',
        firmwareVersion: '1.2',
      },
      ctx,
    );
    expect(res).toEqual({ status: 'Pending', currentTime: '2026-01-15T10:00:00.000Z', interval: 60 });
    expectValidEvents(events);
    expect(events).toEqual([
      {
        occurredAt: '2026-01-15T10:00:00.000Z',
        event: {
          type: 'station.booted',
          vendor: 'ACME',
          model: 'X1',
          serialNumber: 'OLD-1',
          firmwareVersion: '1.2',
          reason: 'unknown',
          rawReason: null,
          registration: 'pending',
          heartbeatIntervalS: 60,
        },
      },
    ]);
  });

  it('prefers chargePointSerialNumber over the deprecated chargeBoxSerialNumber', () => {
    const { events } = bootNotification(
      {
        chargePointVendor: 'A',
        chargePointModel: 'M',
        chargePointSerialNumber: 'NEW',
        chargeBoxSerialNumber: 'OLD',
      },
      fakeContext(),
    );
    expect(events[0]?.event).toMatchObject({ serialNumber: 'NEW', firmwareVersion: null });
  });
});
