/** The 2.0.1 messages that map to status events or are answered and recorded. */
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/golden/fake-station-state.js';
import { expectValidEvents } from '../../test/golden/valid-events.js';
import { handlers201 } from './index.js';
import { dataTransfer } from './data-transfer.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { get15118EVCertificate } from './get-15118-ev-certificate.js';
import { getCertificateStatus } from './get-certificate-status.js';
import { logStatusNotification } from './log-status-notification.js';
import { notifyEVChargingNeeds } from './notify-ev-charging-needs.js';
import { notifyEVChargingSchedule } from './notify-ev-charging-schedule.js';
import { notifyReport } from './notify-report.js';
import { securityEventNotification } from './security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { CHARGER_ACTIONS_201 } from '@voltmesh/ocpp/v201';

const NOW = '2026-01-15T10:00:00.000Z';

describe('2.0.1 routing table', () => {
  it('handles every charger-initiated action and nothing else', () => {
    expect(Object.keys(handlers201).sort()).toEqual([...CHARGER_ACTIONS_201].sort());
  });
});

describe('2.0.1 status notifications', () => {
  it('firmware, log and security notifications become their events', () => {
    const ctx = fakeContext({ now: NOW });
    expect(firmwareStatusNotification({ status: 'Downloading', requestId: 4 }, ctx).events[0]?.event).toEqual(
      {
        type: 'firmware.status',
        status: 'Downloading',
        requestId: 4,
      },
    );
    expect(logStatusNotification({ status: 'Uploaded' }, ctx).events[0]?.event).toEqual({
      type: 'diagnostics.status',
      status: 'Uploaded',
      requestId: null,
    });
    const security = securityEventNotification(
      { type: 'TamperDetectionActivated', timestamp: '2026-01-15T09:00:00+00:00' },
      ctx,
    );
    expectValidEvents(security.events);
    expect(security.events[0]).toEqual({
      occurredAt: '2026-01-15T09:00:00.000Z',
      event: { type: 'security.event', eventType: 'TamperDetectionActivated', techInfo: null },
    });
  });
});

describe('2.0.1 recorded messages', () => {
  it('answers per spec and keeps the request as a station.record', () => {
    const ctx = fakeContext({ now: NOW });
    const report = { requestId: 1, generatedAt: NOW, seqNo: 0, tbc: false };
    expect(notifyReport(report, ctx)).toEqual({
      res: {},
      events: [
        { occurredAt: NOW, event: { type: 'station.record', action: 'NotifyReport', payload: report } },
      ],
    });
    expect(dataTransfer({ vendorId: 'com.acme' }, ctx).res).toEqual({ status: 'UnknownVendorId' });
    expect(signCertificate({ csr: 'x' }, ctx).res.status).toBe('Rejected');
    expect(
      getCertificateStatus(
        {
          ocspRequestData: {
            hashAlgorithm: 'SHA256',
            issuerNameHash: 'a',
            issuerKeyHash: 'b',
            serialNumber: 'c',
            responderURL: 'u',
          },
        },
        ctx,
      ).res.status,
    ).toBe('Failed');
    const ev = get15118EVCertificate(
      { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'AA' },
      ctx,
    );
    expect(ev.res).toMatchObject({ status: 'Failed', exiResponse: '' });
    expect(
      notifyEVChargingNeeds({ evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC' } }, ctx).res.status,
    ).toBe('Rejected');
    expect(
      notifyEVChargingSchedule(
        {
          timeBase: NOW,
          evseId: 1,
          chargingSchedule: {
            id: 1,
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
          },
        },
        ctx,
      ).res.status,
    ).toBe('Accepted');
  });
});
