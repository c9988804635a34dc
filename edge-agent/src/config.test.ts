import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ SITE_ID: 'berlin-01', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(c).toMatchObject({
      siteId: 'berlin-01',
      ocppHost: '127.0.0.1',
      ocppPort: 9000,
      tls: null,
      natsAuth: null,
      acceptUnknownStations: false,
      logLevel: 'info',
    });
    expect(c.dataDir).toMatch(/\.data\/edge-berlin-01$/);
    expect(c.outboxBudgetBytes).toBe(4096 * 1024 * 1024);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({
        SITE_ID: 'a b',
        OCPP_PORT: '70000',
        EDGE_ACCEPT_UNKNOWN_STATIONS: 'yes',
        OCPP_TLS_CERT: '/x',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of [
        'SITE_ID',
        'NATS_URL',
        'OCPP_PORT',
        'EDGE_ACCEPT_UNKNOWN_STATIONS',
        'OCPP_TLS_KEY',
      ]) {
        expect(problems).toContain(name);
      }
    }
  });

  it('reads the site user and password, set together and not with a credentials file', () => {
    const base = { SITE_ID: 's', NATS_URL: 'nats://x' };
    expect(loadConfig({ ...base, NATS_USER: 'edge-s', NATS_PASSWORD: 'pw 1' }).natsAuth).toEqual({
      kind: 'password',
      user: 'edge-s',
      password: 'pw 1',
    });
    expect(() => loadConfig({ ...base, NATS_USER: 'edge-s' })).toThrow(
      /NATS_USER and NATS_PASSWORD must be set together/,
    );
    expect(() => loadConfig({ ...base, NATS_PASSWORD: 'pw' })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...base, NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_CREDS: '/x' })).toThrow(
      /NATS_CREDS and NATS_USER\/NATS_PASSWORD are alternatives/,
    );
    // A bad configuration names the variables, never the password.
    try {
      loadConfig({ ...base, NATS_PASSWORD: 'Very-Secret-9' });
    } catch (error) {
      expect(String(error)).not.toContain('Very-Secret-9');
    }
  });

  it('reports an unreadable credentials file', () => {
    expect(() =>
      loadConfig({ SITE_ID: 's', NATS_URL: 'nats://x', NATS_CREDS: '/nonexistent/creds' }),
    ).toThrow(/NATS_CREDS: cannot read/);
  });
});
