import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/vm', NATS_URL: 'nats://127.0.0.1:4222' };

describe('loadConfig', () => {
  it('applies defaults and generates a session secret in demo mode only', () => {
    const c = loadConfig({ ...base, VOLTMESH_MODE: 'demo' });
    expect(c).toMatchObject({
      httpHost: '127.0.0.1',
      httpPort: 8080,
      mode: 'demo',
      webDistDir: null,
      secureCookies: false,
      logLevel: 'info',
    });
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(c.sessionSecretGenerated).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', HTTP_PORT: 'abc', VOLTMESH_MODE: 'staging' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { issues, code } = error as ConfigError;
      expect(code).toBe('VM_CONFIG_INVALID');
      expect(issues.map((i) => i.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'HTTP_PORT',
        'NATS_URL',
        'VOLTMESH_MODE',
      ]);
    }
  });

  it('requires SESSION_SECRET in production and treats empty variables as unset', () => {
    expect(() => loadConfig({ ...base, SESSION_SECRET: '' })).toThrow(
      /SESSION_SECRET: is required in production/,
    );
    expect(() => loadConfig({ ...base, SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/);
    const c = loadConfig({ ...base, SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://cms.example.com' });
    expect(c).toMatchObject({ mode: 'production', secureCookies: true, sessionSecretGenerated: false });
  });

  it('checks WEB_DIST_DIR holds a built app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-web-'));
    expect(() => loadConfig({ ...base, VOLTMESH_MODE: 'demo', WEB_DIST_DIR: join(dir, 'missing') })).toThrow(
      /is not a directory/,
    );
    expect(() => loadConfig({ ...base, VOLTMESH_MODE: 'demo', WEB_DIST_DIR: dir })).toThrow(
      /has no index.html/,
    );
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    expect(loadConfig({ ...base, VOLTMESH_MODE: 'demo', WEB_DIST_DIR: dir }).webDistDir).toBe(dir);
    rmSync(dir, { recursive: true, force: true });
  });
});
