/** Static serving of the built web app and the service endpoints, without a database. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin } from '../src/auth/login.js';
import { createSessionStore } from '../src/auth/sessions.js';
import { createPool } from '../src/db/pool.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createStationQueries } from '../src/stations/queries.js';

function appWith(webDistDir: string | null, health: { database: () => Promise<void>; nats: () => boolean }) {
  // Never connected: these routes must not touch the database.
  const db = createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1);
  const sessions = createSessionStore(db, 'x'.repeat(32));
  return createApp({
    log: pino({ level: 'silent' }),
    auth: {
      login: createLogin({ db, sessions, ipThrottle: createIpThrottle({ maxFailures: 1, windowMs: 1 }) }),
      sessions,
      secureCookies: false,
      sessionEnded: () => {},
    },
    stations: createStationQueries(db, { trigram: false }),
    ops: { health, registry: createMetrics().registry },
    webDistDir,
  });
}

const up = { database: () => Promise.resolve(), nats: () => true };

describe('web app serving', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-dist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Voltmesh</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.info(1)');
  const app = appWith(dir, up);
  const html = { accept: 'text/html,application/xhtml+xml' };

  it('serves files, and index.html for client-side routes', async () => {
    const js = await app.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await (await app.request('/', { headers: html })).text()).toContain('<title>Voltmesh</title>');
    const deep = await app.request('/stations/123/history', { headers: html });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Voltmesh</title>');
  });

  it('keeps API and missing assets as 404 problems, never the SPA page', async () => {
    const api = await app.request('/api/nothing-here', { headers: html });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });
});

describe('health', () => {
  it('answers 503 naming what is down', async () => {
    const dbDown = appWith(null, {
      database: () => Promise.reject(new Error('ECONNREFUSED')),
      nats: () => true,
    });
    const res = await dbDown.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', checks: { database: false, nats: true } });
    const natsDown = appWith(null, { database: () => Promise.resolve(), nats: () => false });
    expect((await natsDown.request('/health')).status).toBe(503);
    expect(await (await appWith(null, up).request('/health')).json()).toEqual({ status: 'ok' });
  });
});
