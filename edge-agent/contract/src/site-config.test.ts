import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeKeyToken,
  DEFAULT_SITE_POLICY,
  encodeKeyToken,
  parseSiteConfigKey,
  siteConfigKeys,
  SitePolicy,
} from './site-config.js';

const KV_KEY = /^[-/_=.a-zA-Z0-9]+$/;

describe('site-config KV keys', () => {
  it('keeps plain ids readable and escapes the rest with =HH', () => {
    expect(siteConfigKeys.station('CP-001_a')).toBe('station.CP-001_a');
    expect(siteConfigKeys.station('CP.1 *')).toBe('station.CP=2E1=20=2A');
    expect(siteConfigKeys.token('04:A2:ff')).toBe('token.04=3AA2=3Aff');
  });

  it('round-trips any id into a single valid KV key token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 48, unit: 'grapheme' }), (id) => {
        const token = encodeKeyToken(id);
        expect(token).toMatch(/^[A-Za-z0-9_=-]+$/);
        expect(`station.${token}`).toMatch(KV_KEY);
        expect(decodeKeyToken(token)).toBe(id);
        expect(parseSiteConfigKey(siteConfigKeys.station(id))).toEqual({ kind: 'station', identity: id });
        expect(parseSiteConfigKey(siteConfigKeys.token(id))).toEqual({ kind: 'token', idToken: id });
      }),
    );
  });

  it('refuses malformed escapes', () => {
    expect(() => decodeKeyToken('a=zz')).toThrow(/bad escape/);
  });

  it('reads the policy key and ignores keys it does not know', () => {
    expect(parseSiteConfigKey('policy')).toEqual({ kind: 'policy' });
    expect(parseSiteConfigKey('tariff.x')).toBeNull();
    expect(parseSiteConfigKey('station.')).toBeNull();
    expect(parseSiteConfigKey('station.a.b')).toBeNull();
    expect(parseSiteConfigKey('policy.x')).toBeNull();
  });
});

describe('site policy value', () => {
  it('parses a value written before unknownStations and bootRetryIntervalS existed', () => {
    expect(SitePolicy.parse({ unknownTokenWhileOffline: 'accept', heartbeatIntervalS: 120 })).toEqual({
      unknownTokenWhileOffline: 'accept',
      heartbeatIntervalS: 120,
      unknownStations: 'reject',
      bootRetryIntervalS: 60,
    });
  });

  it('has defaults that parse as a value', () => {
    expect(SitePolicy.parse(DEFAULT_SITE_POLICY)).toEqual(DEFAULT_SITE_POLICY);
  });
});
