import { describe, expect, it } from 'vitest';
import { checkHandshake } from './identity.js';

describe('handshake checks', () => {
  it('accepts a plain identity and prefers 2.0.1 when both are offered', () => {
    expect(checkHandshake('/ocpp/CP-1', 'ocpp1.6, ocpp2.0.1')).toEqual({
      ok: true,
      identity: 'CP-1',
      version: 'ocpp2.0.1',
    });
    expect(checkHandshake('/ocpp/CP%201?x=1', 'ocpp1.6')).toMatchObject({ ok: true, identity: 'CP 1' });
  });

  it.each([
    ['/other/CP-1', 404],
    ['/ocpp/', 400],
    ['/ocpp/a/b', 400],
    ['/ocpp/a%2Fb', 400],
    ['/ocpp/%E0%A4%A', 400],
    ['/ocpp/%00abc', 400],
    [`/ocpp/${'x'.repeat(49)}`, 400],
  ])('refuses %s with %i', (url, status) => {
    expect(checkHandshake(url, 'ocpp1.6')).toMatchObject({ ok: false, status });
  });

  it('refuses a missing or unknown subprotocol, naming the supported ones', () => {
    const r = checkHandshake('/ocpp/CP-1', 'ocpp1.5');
    expect(r).toMatchObject({ ok: false, status: 400 });
    expect(r.ok ? '' : r.message).toMatch(/ocpp1\.6, ocpp2\.0\.1/);
    expect(checkHandshake('/ocpp/CP-1', undefined)).toMatchObject({ ok: false, status: 400 });
  });
});
