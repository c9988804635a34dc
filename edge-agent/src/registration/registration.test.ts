import { DEFAULT_SITE_POLICY, type StationEntry } from '@voltmesh/contract';
import { describe, expect, it } from 'vitest';
import { registrationRules16 } from '../v16/registration-rules.js';
import { registrationRules201 } from '../v201/registration-rules.js';
import { bootIntervalS, decideRegistration } from './registration.js';

const entry = (over: Partial<StationEntry> = {}): StationEntry => ({
  identity: 'CP-1',
  passwordHash: null,
  securityProfile: 0,
  enabled: true,
  ...over,
});
const unauth = { authenticated: false, securityProfile: 0 };
const parking = { ...DEFAULT_SITE_POLICY, unknownStations: 'pending' as const };

describe('decideRegistration', () => {
  it('unknown stations: rejected, pending by policy, accepted in development', () => {
    const base = { entry: null, session: unauth, acceptUnknownStations: false };
    expect(decideRegistration({ ...base, policy: DEFAULT_SITE_POLICY })).toBe('rejected');
    expect(decideRegistration({ ...base, policy: parking })).toBe('pending');
    expect(decideRegistration({ ...base, policy: parking, acceptUnknownStations: true })).toBe('accepted');
  });

  it('listed stations: enabled decides, and credentials the entry asks for must have been presented', () => {
    const d = (e: StationEntry, session = unauth) =>
      decideRegistration({ entry: e, session, policy: parking, acceptUnknownStations: false });
    expect(d(entry())).toBe('accepted');
    expect(d(entry({ enabled: false }))).toBe('rejected');
    expect(d(entry({ securityProfile: 1, passwordHash: '$scrypt$x$y' }))).toBe('pending');
    expect(d(entry({ securityProfile: 1 }), { authenticated: true, securityProfile: 1 })).toBe('accepted');
    expect(d(entry({ securityProfile: 3 }), { authenticated: true, securityProfile: 2 })).toBe('pending');
  });

  it('uses the retry interval unless accepted', () => {
    const policy = { ...DEFAULT_SITE_POLICY, heartbeatIntervalS: 300, bootRetryIntervalS: 30 };
    expect(bootIntervalS('accepted', policy)).toBe(300);
    expect(bootIntervalS('pending', policy)).toBe(30);
    expect(bootIntervalS('rejected', policy)).toBe(30);
  });
});

describe('registration rules per version', () => {
  it('1.6: everything but remote start/stop while Pending; TriggerMessage solicits its message', () => {
    expect(registrationRules16.mayCallWhilePending('GetConfiguration')).toBe(true);
    expect(registrationRules16.mayCallWhilePending('RemoteStartTransaction')).toBe(false);
    expect(registrationRules16.mayCallWhilePending('RemoteStopTransaction')).toBe(false);
    expect(registrationRules16.solicitedBy('TriggerMessage', { requestedMessage: 'Heartbeat' })).toEqual([
      'Heartbeat',
    ]);
    expect(registrationRules16.solicitedBy('GetConfiguration', {})).toEqual([]);
    expect(
      registrationRules16.solicitedBy('ExtendedTriggerMessage', {
        requestedMessage: 'SignChargePointCertificate',
      }),
    ).toEqual(['SignCertificate']);
  });

  it('2.0.1: device model and TriggerMessage only while Pending; reports solicit NotifyReport', () => {
    for (const a of ['GetVariables', 'SetVariables', 'GetBaseReport', 'GetReport', 'TriggerMessage'])
      expect(registrationRules201.mayCallWhilePending(a)).toBe(true);
    for (const a of ['RequestStartTransaction', 'RequestStopTransaction', 'Reset', 'ChangeAvailability'])
      expect(registrationRules201.mayCallWhilePending(a)).toBe(false);
    expect(registrationRules201.solicitedBy('GetBaseReport', { requestId: 1 })).toEqual(['NotifyReport']);
    expect(
      registrationRules201.solicitedBy('TriggerMessage', { requestedMessage: 'SignV2GCertificate' }),
    ).toEqual(['SignCertificate']);
    expect(registrationRules201.solicitedBy('TriggerMessage', { requestedMessage: 'Nope' })).toEqual([]);
  });
});
