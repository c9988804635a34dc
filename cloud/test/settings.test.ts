/** /api/settings/* and MAP_STYLE_URL, without a database: sessions come from an in-memory store. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app.js';
import type { UiSettings } from '../src/api/routes/settings.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin } from '../src/auth/login.js';
import type { Identity, SessionStore } from '../src/auth/sessions.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createStationQueries } from '../src/stations/queries.js';

const TOKEN = 'valid-token';
const identity: Identity = {
  sessionId: 'ab12',
  userId: 'u-1',
  email: 'viewer@acme.test',
  name: 'Vera Viewer',
  role: 'viewer',
  tenantId: 't-1',
  tenantName: 'Acme',
  siteId: 's-1',
  cityId: null,
  csrfToken: 'csrf',
  expiresAt: new Date(Date.now() + 3600_000),
};

const sessions: SessionStore = {
  create: () => Promise.reject(new Error('not used')),
  find: (token) => Promise.resolve(token === TOKEN ? identity : null),
  delete: () => Promise.resolve(),
  purgeExpired: () => Promise.resolve(0),
  endForUser: () => Promise.resolve([]),
};

function appWith(settings: UiSettings) {
  // Never connected: the settings routes must not touch the database.
  const db = createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1);
  return createApp({
    log: pino({ level: 'silent' }),
    auth: {
      login: createLogin({ db, sessions, ipThrottle: createIpThrottle({ maxFailures: 1, windowMs: 1 }) }),
      sessions,
      secureCookies: false,
      sessionEnded: () => {},
    },
    stations: createStationQueries(db, { trigram: false }),
    ops: {
      health: { database: () => Promise.resolve(), nats: () => true },
      registry: createMetrics().registry,
    },
    settings,
    webDistDir: null,
  });
}

const signedIn = { headers: { cookie: `vm_session=${TOKEN}` } };
const STYLE = 'https://tiles.example.com/styles/streets/style.json?key=abc';

describe('GET /api/settings/ui', () => {
  it('needs a session', async () => {
    const res = await appWith({ mapStyleUrl: STYLE, mode: 'production' }).request('/api/settings/ui');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'auth.required' });
  });

  it('gives any signed-in role the style URL and the mode', async () => {
    const res = await appWith({ mapStyleUrl: STYLE, mode: 'production' }).request(
      '/api/settings/ui',
      signedIn,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ mapStyleUrl: STYLE, demo: false });
  });

  it('answers null when no style is configured', async () => {
    const res = await appWith({ mapStyleUrl: null, mode: 'demo' }).request('/api/settings/ui', signedIn);
    expect(await res.json()).toEqual({ mapStyleUrl: null, demo: true });
  });
});

describe('GET /api/settings/public', () => {
  it('tells anyone whether this is a demo, and nothing else', async () => {
    const demo = await appWith({ mapStyleUrl: STYLE, mode: 'demo' }).request('/api/settings/public');
    expect(demo.status).toBe(200);
    expect(await demo.json()).toEqual({ demo: true });
    const prod = await appWith({ mapStyleUrl: STYLE, mode: 'production' }).request('/api/settings/public');
    expect(await prod.json()).toEqual({ demo: false });
  });

  it('is listed in the OpenAPI document next to the signed-in route', async () => {
    const doc = (await (
      await appWith({ mapStyleUrl: null, mode: 'production' }).request('/api/openapi.json')
    ).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/settings/public', '/api/settings/ui']),
    );
  });
});

describe('MAP_STYLE_URL', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/vm',
    NATS_URL: 'nats://127.0.0.1:4222',
    VOLTMESH_MODE: 'demo',
  };

  it('is optional: unset or empty means the built-in basemap', () => {
    expect(loadConfig(base).mapStyleUrl).toBeNull();
    expect(loadConfig({ ...base, MAP_STYLE_URL: '' }).mapStyleUrl).toBeNull();
  });

  it('accepts an http(s) URL', () => {
    expect(loadConfig({ ...base, MAP_STYLE_URL: STYLE }).mapStyleUrl).toBe(STYLE);
    expect(loadConfig({ ...base, MAP_STYLE_URL: 'http://10.0.0.5/style.json' }).mapStyleUrl).toBe(
      'http://10.0.0.5/style.json',
    );
  });

  it.each(['tiles.example.com/style.json', 'ftp://tiles.example.com/style.json', 'not a url'])(
    'refuses %s with a message naming the variable',
    (value) => {
      const error = (() => {
        try {
          loadConfig({ ...base, MAP_STYLE_URL: value });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        'MAP_STYLE_URL: must be an http(s) URL of a MapLibre style JSON',
      ]);
    },
  );
});
