/** Heartbeat, Authorize, StatusNotification and the notification-only 1.6 messages. */
import { CHARGER_ACTIONS_16 } from '@voltmesh/ocpp/v16';
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { authorize } from './authorize.js';
import { dataTransfer } from './data-transfer.js';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { heartbeat } from './heartbeat.js';
import { handlers16 } from './index.js';
import { logStatusNotification } from './log-status-notification.js';
import { securityEventNotification } from './security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { signedFirmwareStatusNotification } from './signed-firmware-status-notification.js';
import { statusNotification } from './status-notification.js';

const NOW = '2026-01-15T10:00:00.000Z';

describe('1.6 routing table', () => {
  it('handles every charger-initiated action, security whitepaper included, and nothing else', () => {
    expect(Object.keys(handlers16).sort()).toEqual([...CHARGER_ACTIONS_16].sort());
  });
});

describe('1.6 Heartbeat', () => {
  it('returns the edge time and a heartbeat event', () => {
    const { res, events } = heartbeat({}, fakeContext({ now: NOW }));
    expect(res).toEqual({ currentTime: NOW });
    expect(events).toEqual([{ occurredAt: NOW, event: { type: 'station.heartbeat' } }]);
  });
});

describe('1.6 Authorize', () => {
  it('maps the site decision to idTagInfo and records token.authorized', () => {
    const ctx = fakeContext({
      state: {
        auth: {
          TAG1: { status: 'accepted', expiresAt: '2026-02-01T00:00:00Z', groupId: 'G1', decidedBy: 'cache' },
        },
      },
    });
    const { res, events } = authorize({ idTag: 'TAG1' }, ctx);
    expect(res).toEqual({
      idTagInfo: { status: 'Accepted', expiryDate: '2026-02-01T00:00:00.000Z', parentIdTag: 'G1' },
    });
    expectValidEvents(events);
    expect(events[0]?.event).toEqual({
      type: 'token.authorized',
      idToken: { id: 'TAG1', type: 'unknown' },
      status: 'accepted',
      decidedBy: 'cache',
    });
  });

  it('answers Invalid for an unknown token because 1.6 has no Unknown status', () => {
    const { res, events } = authorize(
      { idTag: 'NOPE' },
      fakeContext({ state: { defaultAuth: { status: 'unknown', decidedBy: 'policy' } } }),
    );
    expect(res).toEqual({ idTagInfo: { status: 'Invalid' } });
    expect(events[0]?.event).toMatchObject({ status: 'unknown', decidedBy: 'policy' });
  });
});

describe('1.6 StatusNotification', () => {
  it('maps connector N to EVSE N connector 1 and the 1.6 occupied family to occupied', () => {
    for (const raw of ['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing'] as const) {
      const { events } = statusNotification(
        { connectorId: 2, errorCode: 'NoError', status: raw, timestamp: '2026-01-15T09:59:00+01:00' },
        fakeContext(),
      );
      expectValidEvents(events);
      expect(events).toEqual([
        {
          occurredAt: '2026-01-15T08:59:00.000Z',
          event: {
            type: 'connector.status',
            evseId: 2,
            connectorId: 1,
            status: 'occupied',
            rawStatus: raw,
            errorCode: null,
            vendorErrorCode: null,
            info: null,
          },
        },
      ]);
    }
  });

  it('addresses connector 0 as the whole station and keeps error details', () => {
    const { res, events } = statusNotification(
      { connectorId: 0, errorCode: 'GroundFailure', status: 'Faulted', vendorErrorCode: 'E42', info: 'rcd' },
      fakeContext({ now: NOW }),
    );
    expect(res).toEqual({});
    expect(events[0]).toEqual({
      occurredAt: NOW,
      event: expect.objectContaining({
        evseId: 0,
        connectorId: 0,
        status: 'faulted',
        errorCode: 'GroundFailure',
        vendorErrorCode: 'E42',
        info: 'rcd',
      }),
    });
  });

  it('keeps an unrecognised status as unknown with the raw value', () => {
    const req = { connectorId: 1, errorCode: 'NoError', status: 'Exploded' } as never;
    const { events } = statusNotification(req, fakeContext());
    expect(events[0]?.event).toMatchObject({ status: 'unknown', rawStatus: 'Exploded' });
  });
});

describe('1.6 notifications', () => {
  it('DataTransfer answers UnknownVendorId and records the payload', () => {
    const req = { vendorId: 'com.acme', messageId: 'x', data: '{}' };
    const { res, events } = dataTransfer(req, fakeContext({ now: NOW }));
    expect(res).toEqual({ status: 'UnknownVendorId' });
    expect(events).toEqual([
      { occurredAt: NOW, event: { type: 'station.record', action: 'DataTransfer', payload: req } },
    ]);
  });

  it('firmware and diagnostics statuses become their events', () => {
    const ctx = fakeContext({ now: NOW });
    expect(firmwareStatusNotification({ status: 'Installing' }, ctx).events[0]?.event).toEqual({
      type: 'firmware.status',
      status: 'Installing',
      requestId: null,
    });
    expect(
      signedFirmwareStatusNotification({ status: 'InvalidSignature', requestId: 7 }, ctx).events[0]?.event,
    ).toEqual({
      type: 'firmware.status',
      status: 'InvalidSignature',
      requestId: 7,
    });
    expect(diagnosticsStatusNotification({ status: 'Uploaded' }, ctx).events[0]?.event).toEqual({
      type: 'diagnostics.status',
      status: 'Uploaded',
      requestId: null,
    });
    expect(logStatusNotification({ status: 'Uploading', requestId: 3 }, ctx).events[0]?.event).toEqual({
      type: 'diagnostics.status',
      status: 'Uploading',
      requestId: 3,
    });
  });

  it('SecurityEventNotification is timed by the charger', () => {
    const { res, events } = securityEventNotification(
      { type: 'FirmwareUpdated', timestamp: '2026-01-15T09:00:00Z', techInfo: 'v2' },
      fakeContext(),
    );
    expect(res).toEqual({});
    expectValidEvents(events);
    expect(events[0]).toEqual({
      occurredAt: '2026-01-15T09:00:00.000Z',
      event: { type: 'security.event', eventType: 'FirmwareUpdated', techInfo: 'v2' },
    });
  });

  it('SignCertificate is rejected (no CA integration) and the CSR is recorded', () => {
    const { res, events } = signCertificate({ csr: '-----BEGIN CERTIFICATE REQUEST-----' }, fakeContext());
    expect(res).toEqual({ status: 'Rejected' });
    expect(events[0]?.event).toMatchObject({ type: 'station.record', action: 'SignCertificate' });
  });
});
