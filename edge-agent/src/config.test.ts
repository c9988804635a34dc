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
      natsCreds: null,
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

  it('reports an unreadable credentials file', () => {
    expect(() =>
      loadConfig({ SITE_ID: 's', NATS_URL: 'nats://x', NATS_CREDS: '/nonexistent/creds' }),
    ).toThrow(/NATS_CREDS: cannot read/);
  });
});
