/**
 * The authorization matrix (issue #5): every endpoint × two tenants × every role, plus an operator
 * and an admin limited to one site, and the same two limited to that site's city. The list of
 * endpoints comes from the app itself (its OpenAPI document and its router), so a new endpoint
 * without a row in MATRIX or PUBLIC fails here by name.
 *
 * Rules the matrix enforces (docs/api.md, "Permissions", documents the same table):
 * - an allowed role on an object of its own tenant (and scope) gets 2xx;
 * - a role that may not use the endpoint gets 403 `auth.forbidden`: the role is checked before any
 *   object is looked up, so the answer is the same whether the object exists or not;
 * - an object of another tenant, or of a site outside the caller's grant, does not exist for the
 *   caller: 404 (a disallowed role may get its 403 first);
 * - no answer to a user ever contains an id, name, code or e-mail of another tenant (or of a site
 *   outside a site-scoped grant): this covers list endpoints and every error body;
 * - without a session, with a forged cookie or an expired session: 401 `auth.required`; a
 *   state-changing call with the session cookie but without `x-csrf-token`: 403 `auth.csrf_failed`.
 * Login throttling (account lockout and per-IP limit, 429 with Retry-After) is covered in
 * api.test.ts ("locks an account…", "throttles one IP…") and not repeated here.
 */
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/auth/roles.js';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { buildWorld, TENANTS, type TenantKey, type View, type World } from './authorization-support.js';
import { DEFAULT_SYSTEM_SETTINGS } from '../src/accounts/system-settings.js';
import { HAND_EXAMPLE } from '../src/billing/example.js';
import { count, PASSWORD, type Json } from './support.js';
import { withTransaction, type Db } from '../src/db/pool.js';
import { recordSessionCharge } from '../src/ledger/ledger.js';

interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

interface Entry {
  /** Roles that may call it on objects of their own tenant and scope. */
  allow: readonly Role[];
  /**
   * The request names an object that belongs to a site (station, session, site, city, site token):
   * built from another site's view, an operator limited to one site gets 404.
   */
  siteBound: boolean;
  /** Needs a grant on the whole tenant: a site-scoped user gets 403 even where the role may. */
  tenantWide?: boolean;
  /**
   * How a site-scoped user whose role may call it fares with the own-site request: `forbidden`, the
   * endpoint refuses grants limited to one site (403); `outside`, the request's fresh object (a new
   * city or site) lies outside the grant (404).
   */
  siteScoped?: 'forbidden' | 'outside';
  /**
   * The same for a user limited to the city of that site, where it differs: a city-scoped admin
   * manages their own city and the sites in it (`allowed`), and a fresh city is outside it.
   */
  cityScoped?: 'forbidden' | 'outside' | 'allowed';
  /**
   * Where the request names an object of the tenant: in the path, in the body (a reference), or
   * nowhere (lists, creates without references), which has no foreign variant.
   */
  foreign: 'path' | 'body' | null;
  build(v: View): Promise<Req> | Req;
  /** More checks of an own-tenant 2xx answer. */
  check?(body: Json, v: View, scope: 'tenant' | 'site'): void;
  /** The call ends the caller's session: it runs on a session of its own. */
  ownSession?: boolean;
  /**
   * Someone else's object that only the allowed roles may act on: to the other roles it does not
   * exist (404), so its existence is not revealed.
   */
  hiddenFromOthers?: boolean;
}

const ALL = ROLES;
const TOKEN_READERS = ['admin', 'operator', 'technician', 'analyst'] as const satisfies readonly Role[];
const COMMANDERS = ['admin', 'operator', 'technician'] as const satisfies readonly Role[];
const WRITERS = ['admin', 'operator'] as const satisfies readonly Role[];
const ADMIN = ['admin'] as const satisfies readonly Role[];
const TARIFF_READERS = ['admin', 'operator', 'analyst'] as const satisfies readonly Role[];
const LEDGER_READERS = ['admin', 'operator', 'analyst'] as const satisfies readonly Role[];

const get = (path: string): Req => ({ method: 'GET', path });
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const recent = () => new Date(Date.now() - 3 * 3_600_000).toISOString();
const sumEnergy = (points: { energyWh: number }[]) => points.reduce((s, p) => s + p.energyWh, 0);

/** Endpoints that answer without a session. */
const PUBLIC: Record<string, Req> = {
  'POST /api/auth/login': {
    method: 'POST',
    path: '/api/auth/login',
    body: { email: 'x@y.z', password: 'x' },
  },
  'GET /api/settings/public': get('/api/settings/public'),
  'GET /api/openapi.json': get('/api/openapi.json'),
  'GET /api/docs': get('/api/docs'),
  'GET /health': get('/health'),
  'GET /metrics': get('/metrics'),
  'POST /api/alerts/twilio/status': { method: 'POST', path: '/api/alerts/twilio/status' },
};

/** Every other endpoint: who may call it and how to build a request for one tenant's objects. */
const MATRIX: Record<string, Entry> = {
  // ---- auth
  'GET /api/auth/me': { allow: ALL, siteBound: false, foreign: null, build: () => get('/api/auth/me') },
  'POST /api/auth/logout': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    ownSession: true,
    build: () => ({ method: 'POST', path: '/api/auth/logout' }),
  },

  // ---- stations (reads)
  'GET /api/stations': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/stations?limit=1000'),
    check: (body, v) => expect(body.items.map((s: Json) => s.id)).toContain(v.stationId),
  },
  'GET /api/stations/{id}': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}`),
  },
  'GET /api/stations/{id}/settings': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/settings`),
  },
  'GET /api/live/snapshot': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/live/snapshot'),
    check: (body, v) => expect(body.stations.map((s: Json) => s.id)).toContain(v.stationId),
  },

  // ---- stations (writes)
  'POST /api/stations': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'body',
    build: (v) => ({
      method: 'POST',
      path: '/api/stations',
      body: {
        siteId: v.siteId,
        identity: v.fresh.name('new-st').toUpperCase(),
        name: v.fresh.name('station'),
      },
    }),
  },
  'PATCH /api/stations/{id}': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: (v) => ({ method: 'PATCH', path: `/api/stations/${v.stationId}`, body: { enabled: true } }),
  },
  'DELETE /api/stations/{id}': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/stations/${await v.fresh.station()}` }),
  },
  'PUT /api/stations/{id}/connectors': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PUT',
      path: `/api/stations/${await v.fresh.station()}/connectors`,
      body: { connectors: [{ evseId: 1, connectorId: 1, type: 'CCS2', maxPowerW: 150_000 }] },
    }),
  },
  'POST /api/stations/{id}/password': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/stations/${await v.fresh.station({ password: true })}/password`,
    }),
  },

  // ---- commands
  'POST /api/stations/{id}/commands': {
    allow: COMMANDERS,
    siteBound: true,
    foreign: 'path',
    // No edge agent runs: the outcome is `offline`, and nothing reaches a charger.
    build: (v) => ({
      method: 'POST',
      path: `/api/stations/${v.stationId}/commands`,
      body: { type: 'clear_cache' },
    }),
  },
  'GET /api/stations/{id}/commands': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/commands`),
  },
  'GET /api/stations/{id}/active-sessions': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/active-sessions`),
  },
  'POST /api/sessions/{id}/force-stop': {
    allow: COMMANDERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/sessions/${await v.fresh.activeSession()}/force-stop`,
      body: { reason: 'authorization matrix' },
    }),
  },

  // ---- tariffs (tenant-level; assignments follow the target's site)
  'GET /api/tariffs': {
    allow: TARIFF_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/tariffs?limit=500'),
  },
  'POST /api/tariffs': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/tariffs',
      body: { name: v.fresh.name('tariff'), spec: HAND_EXAMPLE.tariff },
    }),
  },
  'GET /api/tariffs/{id}': {
    allow: TARIFF_READERS,
    siteBound: false,
    foreign: 'path',
    build: async (v) => get(`/api/tariffs/${await freshTariff(v)}`),
  },
  'PATCH /api/tariffs/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/tariffs/${await freshTariff(v)}`,
      body: { description: 'matrix' },
    }),
  },
  'DELETE /api/tariffs/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/tariffs/${await freshTariff(v)}` }),
  },
  'POST /api/tariffs/{id}/versions': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/tariffs/${await freshTariff(v)}/versions`,
      body: { validFrom: '2030-01-01T00:00:00Z', spec: HAND_EXAMPLE.tariff },
    }),
  },
  'GET /api/tariff-assignments': {
    allow: TARIFF_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/tariff-assignments'),
  },
  'PUT /api/tariff-assignments': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'body',
    build: async (v) => ({
      method: 'PUT',
      path: '/api/tariff-assignments',
      body: { targetType: 'site', targetId: v.siteId, tariffId: await freshTariff(v) },
    }),
  },

  // ---- sessions
  'GET /api/sessions': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/sessions?limit=500'),
    check: (body, v) => expect(body.items.map((s: Json) => s.id)).toContain(v.sessionId),
  },
  'GET /api/sessions/{id}': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/sessions/${v.sessionId}`),
    check: (body, v) => expect(body.energyWh).toBe(v.energyWh),
  },
  'GET /api/sessions/{id}/report.csv': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/sessions/${v.sessionId}/report.csv`),
  },
  'POST /api/sessions/{id}/dispute': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/sessions/${await endedSession(v)}/dispute`,
      body: { reason: 'authorization matrix' },
    }),
  },

  // ---- audit
  'GET /api/audit': {
    allow: ADMIN,
    siteBound: false,
    // Entries name every site of the tenant: refused to site- and city-scoped grants.
    tenantWide: true,
    foreign: null,
    build: () => get('/api/audit?limit=200'),
  },

  // ---- history
  'GET /api/history/power': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get(`/api/history/power?from=${recent()}&bucket=1h`),
    check: (body, v, scope) =>
      expect(sumEnergy(body.points)).toBe(scope === 'site' ? v.energyWh : tenantEnergy(v.tenant)),
  },
  'GET /api/history/energy': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/history/energy?groupBy=site&bucket=1h'),
    check: (body, v) => expect(body.rows.map((r: Json) => r.key)).toContain(v.siteId),
  },
  'GET /api/history/fleet-status': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/history/fleet-status'),
  },
  'GET /api/stations/{id}/meter': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/meter?from=${recent()}`),
    check: (body) => expect(body.points.length).toBeGreaterThan(0),
  },
  'GET /api/stations/{id}/timeline': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/timeline`),
  },
  'GET /api/stations/{id}/sessions': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/stations/${v.stationId}/sessions`),
    check: (body, v) => expect(body.items.map((s: Json) => s.id)).toContain(v.sessionId),
  },

  // ---- station event log (filters narrow: another tenant's or site's station gives an empty log)
  'GET /api/events': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: (v) => get(`/api/events?stationId=${v.stationId}`),
  },
  'GET /api/events/counts': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: (v) => get(`/api/events/counts?siteId=${v.siteId}`),
  },
  'GET /api/events.csv': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: (v) => get(`/api/events.csv?stationId=${v.stationId}`),
  },

  // ---- settings
  'GET /api/settings/ui': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/settings/ui'),
  },

  // ---- cities and sites
  'GET /api/cities': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/cities'),
    check: (body, v) => expect(body.items.map((c: Json) => c.id)).toContain(v.cityId),
  },
  'POST /api/cities': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/cities',
      body: { name: v.fresh.name('city'), countryCode: 'DE' },
    }),
  },
  'PATCH /api/cities/{id}': {
    allow: ADMIN,
    siteScoped: 'forbidden',
    cityScoped: 'allowed',
    siteBound: true,
    foreign: 'path',
    build: (v) => ({ method: 'PATCH', path: `/api/cities/${v.cityId}`, body: { countryCode: 'DE' } }),
  },
  'DELETE /api/cities/{id}': {
    allow: ADMIN,
    siteScoped: 'forbidden',
    cityScoped: 'outside',
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/cities/${await v.fresh.city()}` }),
  },
  'GET /api/sites': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/sites'),
    check: (body, v) => expect(body.items.map((s: Json) => s.id)).toContain(v.siteId),
  },
  'POST /api/sites': {
    allow: ADMIN,
    siteScoped: 'forbidden',
    cityScoped: 'allowed',
    siteBound: true,
    foreign: 'body',
    build: (v) => ({
      method: 'POST',
      path: '/api/sites',
      body: { code: v.fresh.name('site'), name: v.fresh.name('site'), cityId: v.cityId },
    }),
  },
  'GET /api/sites/{id}': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/sites/${v.siteId}`),
  },
  'PATCH /api/sites/{id}': {
    allow: ADMIN,
    siteBound: true,
    foreign: 'path',
    build: (v) => ({ method: 'PATCH', path: `/api/sites/${v.siteId}`, body: { gridCapacityKw: 400 } }),
  },
  'DELETE /api/sites/{id}': {
    allow: ADMIN,
    siteScoped: 'outside',
    cityScoped: 'allowed',
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/sites/${await v.fresh.site()}` }),
  },
  'POST /api/sites/{id}/credentials': {
    allow: ADMIN,
    siteScoped: 'outside',
    cityScoped: 'allowed',
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({ method: 'POST', path: `/api/sites/${await v.fresh.site()}/credentials` }),
  },
  'GET /api/sites/nats-authorization': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: () => get('/api/sites/nats-authorization'),
  },

  // ---- RFID tokens, holders, groups
  'GET /api/tokens': {
    allow: TOKEN_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/tokens?limit=500'),
    check: (body, v) => expect(body.items.map((t: Json) => t.id)).toContain(v.tokenId),
  },
  'POST /api/tokens': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'body',
    build: (v) => ({
      method: 'POST',
      path: '/api/tokens',
      body: { uid: v.fresh.name('card').toUpperCase(), siteId: v.siteId, status: 'blocked' },
    }),
  },
  'GET /api/tokens/{id}': {
    allow: TOKEN_READERS,
    siteBound: true,
    foreign: 'path',
    build: (v) => get(`/api/tokens/${v.tokenId}`),
  },
  'PATCH /api/tokens/{id}': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: (v) => ({ method: 'PATCH', path: `/api/tokens/${v.tokenId}`, body: { status: 'accepted' } }),
  },
  'DELETE /api/tokens/{id}': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/tokens/${await v.fresh.token()}` }),
  },
  'GET /api/token-holders': {
    allow: TOKEN_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/token-holders?limit=500'),
    check: (body, v) => expect(body.items.map((h: Json) => h.id)).toContain(v.holderId),
  },
  'POST /api/token-holders': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({ method: 'POST', path: '/api/token-holders', body: { name: v.fresh.name('holder') } }),
  },
  'GET /api/token-holders/{id}': {
    allow: TOKEN_READERS,
    siteBound: false,
    foreign: 'path',
    build: (v) => get(`/api/token-holders/${v.holderId}`),
  },
  'PATCH /api/token-holders/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/token-holders/${await v.fresh.holder()}`,
      body: { company: 'Matrix Ltd' },
    }),
  },
  'DELETE /api/token-holders/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/token-holders/${await v.fresh.holder()}` }),
  },
  'GET /api/token-groups': {
    allow: TOKEN_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/token-groups?limit=500'),
    check: (body, v) => expect(body.items.map((g: Json) => g.id)).toContain(v.groupId),
  },
  'POST /api/token-groups': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/token-groups',
      body: { name: v.fresh.name('group'), kind: 'personal' },
    }),
  },
  'GET /api/token-groups/{id}': {
    allow: TOKEN_READERS,
    siteBound: false,
    foreign: 'path',
    build: (v) => get(`/api/token-groups/${v.groupId}`),
  },
  'PATCH /api/token-groups/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/token-groups/${await v.fresh.group()}`,
      body: { kind: 'corporate' },
    }),
  },
  'DELETE /api/token-groups/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/token-groups/${await v.fresh.group()}` }),
  },

  // ---- users, grants, API tokens, system settings (tenant-wide administrators, or oneself)
  'GET /api/users': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: () => get('/api/users?limit=200'),
  },
  'POST /api/users': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/users',
      body: {
        email: `${v.fresh.name('new')}@${v.tag}.test`,
        name: v.fresh.name('new'),
        password: PASSWORD,
        grant: { role: 'viewer' },
      },
    }),
  },
  'GET /api/users/{id}': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => get(`/api/users/${(await v.fresh.user()).userId}`),
  },
  'PATCH /api/users/{id}': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/users/${(await v.fresh.user()).userId}`,
      body: { name: v.fresh.name('renamed') },
    }),
  },
  'POST /api/users/{id}/password': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/users/${(await v.fresh.user()).userId}/password`,
      body: { password: PASSWORD },
    }),
  },
  'GET /api/users/{id}/grants': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => get(`/api/users/${(await v.fresh.user()).userId}/grants`),
  },
  'POST /api/users/{id}/grants': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/users/${(await v.fresh.user()).userId}/grants`,
      body: { role: 'analyst', siteId: v.siteId },
    }),
  },
  'DELETE /api/users/{id}/grants/{grantId}': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => {
      const { userId, grantId } = await v.fresh.user();
      return { method: 'DELETE', path: `/api/users/${userId}/grants/${grantId}` };
    },
  },
  'POST /api/auth/password': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    // Ends the caller's other sessions, so it runs on a session of its own.
    ownSession: true,
    build: () => ({
      method: 'POST',
      path: '/api/auth/password',
      body: { currentPassword: PASSWORD, newPassword: PASSWORD },
    }),
  },
  'GET /api/api-tokens': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/api-tokens'),
  },
  'POST /api/api-tokens': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: (v) => ({ method: 'POST', path: '/api/api-tokens', body: { name: v.fresh.name('token') } }),
  },
  'DELETE /api/api-tokens/{id}': {
    // Someone else's token: only a tenant-wide admin may revoke it; to anyone else it does not exist.
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    hiddenFromOthers: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/api-tokens/${await v.fresh.apiToken()}` }),
  },
  'GET /api/settings/system': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/settings/system'),
  },
  'PUT /api/settings/system': {
    allow: ADMIN,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: () => ({ method: 'PUT', path: '/api/settings/system', body: DEFAULT_SYSTEM_SETTINGS }),
  },

  // ---- ledger
  'GET /api/ledger': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/ledger'),
  },
  'GET /api/ledger.csv': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/ledger.csv'),
  },
  'GET /api/ledger/balances': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/ledger/balances?by=holder'),
  },
  'POST /api/ledger/adjustments': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'body',
    build: (v) => ({
      method: 'POST',
      path: '/api/ledger/adjustments',
      body: { sessionId: v.sessionId, amount: '1.00', currency: 'EUR', reason: 'authorization matrix' },
    }),
  },
  'POST /api/ledger/refunds': {
    allow: WRITERS,
    siteBound: true,
    foreign: 'body',
    build: async (v) => {
      // The session's charge (a no-op when it has one): each allowed call refunds a cent of it.
      await withTransaction(matrixDb!, (tx) =>
        recordSessionCharge(tx, {
          tenantId: v.tenantId,
          sessionId: v.sessionId,
          amount: '100.00',
          currency: 'EUR',
          idToken: null,
          occurredAt: new Date(),
        }),
      );
      return {
        method: 'POST',
        path: '/api/ledger/refunds',
        body: { sessionId: v.sessionId, amount: '0.01', reason: 'authorization matrix' },
      };
    },
  },
  'GET /api/reports/consumption': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/consumption?groupBy=token'),
  },
  'GET /api/reports/consumption.csv': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/consumption.csv'),
  },
  'GET /api/reports/energy': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/energy?interval=day'),
  },
  'GET /api/reports/revenue': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/revenue'),
  },
  'GET /api/reports/peak-hours': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/peak-hours'),
  },
  'GET /api/reports/utilisation': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/utilisation?by=connector'),
  },
  'GET /api/reports/uptime': {
    allow: LEDGER_READERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/reports/uptime'),
  },
  'POST /api/ledger/import': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/ledger/import',
      body: {
        csv: `external_ref,occurred_at,amount,currency\n${v.fresh.name('order')},2026-12-01T10:00:00Z,5.00,EUR\n`,
      },
    }),
  },

  // ---- alerts (issue #7): rules, webhooks and on-call groups are tenant configuration (written with
  // a tenant-wide grant); incidents and groups of a site follow the site's scope.
  'GET /api/alerts/rules': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/alerts/rules?limit=500'),
    check: (body) => expect(body.items.map((r: Json) => r.kind)).toContain('station_offline'),
  },
  'POST /api/alerts/rules': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/alerts/rules',
      body: {
        name: v.fresh.name('rule'),
        kind: 'station_offline',
        severity: 'warning',
        params: { durationMinutes: 15 },
      },
    }),
  },
  'GET /api/alerts/rules/{id}': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: 'path',
    build: async (v) => get(`/api/alerts/rules/${await freshRule(v)}`),
  },
  'PATCH /api/alerts/rules/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/alerts/rules/${await freshRule(v)}`,
      body: { cooldownMinutes: 20 },
    }),
  },
  'DELETE /api/alerts/rules/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/alerts/rules/${await freshRule(v)}` }),
  },
  'GET /api/alerts/webhooks': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/alerts/webhooks?limit=500'),
  },
  'POST /api/alerts/webhooks': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: null,
    build: (v) => ({
      method: 'POST',
      path: '/api/alerts/webhooks',
      body: { name: v.fresh.name('hook'), url: 'https://hooks.example.test/voltmesh' },
    }),
  },
  'GET /api/alerts/webhooks/{id}': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: 'path',
    build: async (v) => get(`/api/alerts/webhooks/${await freshWebhook(v)}`),
  },
  'PATCH /api/alerts/webhooks/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/alerts/webhooks/${await freshWebhook(v)}`,
      body: { enabled: false },
    }),
  },
  'DELETE /api/alerts/webhooks/{id}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/alerts/webhooks/${await freshWebhook(v)}` }),
  },
  'GET /api/oncall-groups': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/oncall-groups?limit=500'),
  },
  'POST /api/oncall-groups': {
    allow: WRITERS,
    siteBound: true,
    tenantWide: true,
    foreign: 'body',
    build: (v) => ({
      method: 'POST',
      path: '/api/oncall-groups',
      body: { name: v.fresh.name('crew'), siteId: v.siteId },
    }),
  },
  'GET /api/oncall-groups/{id}': {
    allow: COMMANDERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => get(`/api/oncall-groups/${await freshCrew(v)}`),
  },
  'PATCH /api/oncall-groups/{id}': {
    allow: WRITERS,
    siteBound: true,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PATCH',
      path: `/api/oncall-groups/${await freshCrew(v)}`,
      body: { description: 'matrix' },
    }),
  },
  'DELETE /api/oncall-groups/{id}': {
    allow: WRITERS,
    siteBound: true,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({ method: 'DELETE', path: `/api/oncall-groups/${await freshCrew(v)}` }),
  },
  'GET /api/alerts/recipients': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/alerts/recipients?limit=500'),
  },
  'PUT /api/alerts/recipients/{userId}': {
    allow: WRITERS,
    siteBound: false,
    tenantWide: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'PUT',
      path: `/api/alerts/recipients/${(await v.fresh.user()).userId}`,
      body: { phone: '+4915100000009', channels: ['email', 'in_app'], quietHours: null },
    }),
  },
  'GET /api/incidents': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: async (v) => {
      await freshIncident(v);
      return get('/api/incidents?limit=500');
    },
  },
  'GET /api/incidents/{id}': {
    allow: ALL,
    siteBound: true,
    foreign: 'path',
    build: async (v) => get(`/api/incidents/${await freshIncident(v)}`),
    check: (body) => expect(body.events.map((e: Json) => e.type)).toContain('opened'),
  },
  'POST /api/incidents/{id}/acknowledge': {
    allow: COMMANDERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/incidents/${await freshIncident(v)}/acknowledge`,
      body: { comment: 'on it' },
    }),
  },
  'POST /api/incidents/{id}/resolve': {
    allow: COMMANDERS,
    siteBound: true,
    foreign: 'path',
    build: async (v) => ({
      method: 'POST',
      path: `/api/incidents/${await freshIncident(v)}/resolve`,
      body: { comment: 'fixed' },
    }),
    check: (body) => expect(body.status).toBe('resolved'),
  },
  'GET /api/notifications': {
    allow: COMMANDERS,
    siteBound: false,
    foreign: null,
    build: () => get('/api/notifications?limit=500'),
  },
  'GET /api/notifications/inbox': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => get('/api/notifications/inbox'),
  },
  'POST /api/notifications/inbox/read': {
    allow: ALL,
    siteBound: false,
    foreign: null,
    build: () => ({ method: 'POST', path: '/api/notifications/inbox/read', body: { all: true } }),
  },
};

let world: World;
/** The cloud's pool, for requests that need a ledger charge first. */
let matrixDb: Db | undefined;
/** Remembers an id as the view's tenant's (and the other initech site's, for site-scoped checks). */
const own = (v: View, id: string) => {
  world.markers[v.tenant].add(id);
  if (v.siteId === world.views.initech.other.siteId) world.otherSiteMarkers.add(id);
  return id;
};

/** A rule of the view's tenant (tenant-level: not marked as the other site's). */
async function freshRule(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    `INSERT INTO alert_rules (tenant_id, name, kind, severity, params)
     VALUES ($1, $2, 'session_stuck', 'info', '{"hours": 12}') RETURNING id`,
    [v.tenantId, v.fresh.name('rule')],
  );
  world.markers[v.tenant].add(rows[0]!.id);
  return rows[0]!.id;
}

async function freshWebhook(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    `INSERT INTO alert_webhooks (tenant_id, name, url, secret) VALUES ($1, $2, 'https://hooks.example.test/x', 'whsec_matrix')
     RETURNING id`,
    [v.tenantId, v.fresh.name('hook')],
  );
  world.markers[v.tenant].add(rows[0]!.id);
  return rows[0]!.id;
}

/** The on-call crew of the view's site. */
async function freshCrew(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    'INSERT INTO oncall_groups (tenant_id, name, site_id) VALUES ($1, $2, $3) RETURNING id',
    [v.tenantId, v.fresh.name('crew'), v.siteId],
  );
  return own(v, rows[0]!.id);
}

/** An open incident about one (made-up) connector of the view's station. */
let incidentConnector = 100;
async function freshIncident(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    `WITH i AS (
       INSERT INTO incidents (tenant_id, rule_id, kind, severity, site_id, station_id, evse_id, connector_id, title,
                              since, opened_at)
       SELECT r.tenant_id, r.id, r.kind, r.severity, $2, $3, 1, $4, 'connector faulted (matrix)', now(), now()
         FROM alert_rules r WHERE r.tenant_id = $1 AND r.kind = 'connector_faulted' AND r.is_default
       RETURNING id)
     INSERT INTO incident_events (incident_id, at, type) SELECT id, now(), 'opened' FROM i RETURNING incident_id AS id`,
    [v.tenantId, v.siteId, v.stationId, ++incidentConnector],
  );
  return own(v, rows[0]!.id);
}

/** A tariff of the view's tenant with one version (the worked example of docs/tariffs.md). */
async function freshTariff(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    `WITH t AS (INSERT INTO tariffs (tenant_id, name) VALUES ($1, $2) RETURNING id, tenant_id)
     INSERT INTO tariff_versions (tenant_id, tariff_id, valid_from, spec)
     SELECT tenant_id, id, now(), $3 FROM t RETURNING tariff_id AS id`,
    [v.tenantId, v.fresh.name('tariff'), JSON.stringify(HAND_EXAMPLE.tariff)],
  );
  return own(v, rows[0]!.id);
}

/** An ended session on the view's station (disputes need one; the view's own session stays as it is). */
async function endedSession(v: View): Promise<string> {
  const { rows } = await matrixDb!.query<{ id: string }>(
    `INSERT INTO sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, started_at, ended_at, status)
     VALUES ($1, $2, 1, 1, $3, now() - interval '1 hour', now(), 'completed') RETURNING id`,
    [v.tenantId, v.stationId, v.fresh.name('tx')],
  );
  return own(v, rows[0]!.id);
}
const tenantEnergy = (t: TenantKey) => world.views[t].main.energyWh + world.views[t].other.energyWh;

interface Login {
  cookie: string;
  csrf: string;
}
interface Answer {
  status: number;
  code: string | undefined;
  text: string;
  json: Json;
}

describe('authorization matrix', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let cloud: Cloud;
  const logins = new Map<string, Login>();

  const login = async (email: string): Promise<Login> => {
    const res = await cloud.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };

  const send = async (who: Login | null, req: Req, options: { csrf?: boolean } = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (who) headers['cookie'] = who.cookie;
    if (who && options.csrf !== false) headers['x-csrf-token'] = who.csrf;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const res = await cloud.app.request(req.path, {
      method: req.method,
      headers,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    });
    const text = await res.text();
    let json: Json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, code: json?.code, text, json };
  };

  /** Strings of `markers` in the answer that the request did not itself contain. */
  const leaks = (answer: Answer, req: Req, markers: Iterable<string>): string[] => {
    const asked = `${req.path} ${JSON.stringify(req.body ?? null)}`.toLowerCase();
    const text = answer.text.toLowerCase();
    return [...markers].filter((m) => text.includes(m.toLowerCase()) && !asked.includes(m.toLowerCase()));
  };

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_authz');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      siteConfigIntervalMs: 3_600_000,
      rollupIntervalMs: 3_600_000,
    });
    world = await buildWorld(cloud.db);
    matrixDb = cloud.db;
    await loginEveryone();
  }, 120_000);

  /** One session per user, shared by the cases; renewed after a case that may end a user's other sessions. */
  async function loginEveryone() {
    for (const tenant of TENANTS) {
      for (const role of ROLES) logins.set(`${tenant}:${role}`, await login(world.emails[tenant][role]));
    }
    logins.set('scoped', await login(world.emails.scoped));
    logins.set('scopedAdmin', await login(world.emails.scopedAdmin));
    logins.set('cityScoped', await login(world.emails.cityScoped));
    logins.set('cityScopedAdmin', await login(world.emails.cityScopedAdmin));
  }

  afterAll(async () => {
    await cloud?.stop();
    await testDb?.drop();
    await nats?.dispose();
  });

  it('has a row for every endpoint the app serves, and none for endpoints it does not', async () => {
    const doc = (await (await cloud.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Routes registered without the OpenAPI document (health, metrics, docs) must be listed too.
    const routed = cloud.app.routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const served = new Set([...documented, ...routed]);
    const listed = new Set([...Object.keys(MATRIX), ...Object.keys(PUBLIC)]);
    const missing = [...served].filter((k) => !listed.has(k)).sort();
    const stale = [...listed].filter((k) => !served.has(k)).sort();
    expect(missing, `endpoints without a row in MATRIX or PUBLIC: ${missing.join(', ')}`).toEqual([]);
    expect(stale, `rows for endpoints the app does not serve: ${stale.join(', ')}`).toEqual([]);
    for (const key of Object.keys(MATRIX))
      expect(PUBLIC[key], `${key} is both public and in MATRIX`).toBeUndefined();
  });

  it('answers the public endpoints without a session', async () => {
    for (const [key, req] of Object.entries(PUBLIC)) {
      const answer = await send(null, req);
      // Login with wrong credentials still answers (401 invalid credentials, not auth.required).
      if (key === 'POST /api/auth/login') expect(answer.code, key).toBe('auth.invalid_credentials');
      // Twilio's callback answers only requests signed with the account's auth token.
      else if (key === 'POST /api/alerts/twilio/status') expect(answer.code, key).toBe('auth.bad_signature');
      else expect(answer.status, key).toBe(200);
    }
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    it(`${key}: allowed roles act on their own tenant, nobody reaches another tenant or site`, async () => {
      const failures: string[] = [];
      const expectAnswer = (label: string, answer: Answer, ok: (a: Answer) => boolean, want: string) => {
        if (!ok(answer))
          failures.push(`${label}: want ${want}, got ${answer.status} ${answer.text.slice(0, 300)}`);
      };
      const noLeak = (label: string, answer: Answer, req: Req, markers: Iterable<string>) => {
        const found = leaks(answer, req, markers);
        if (found.length > 0) failures.push(`${label}: the answer contains ${found.join(', ')}`);
      };
      const is2xx = (a: Answer) => a.status >= 200 && a.status < 300;
      const forbidden = (a: Answer) => a.status === 403 && a.code === 'auth.forbidden';
      const notFound = (a: Answer) => a.status === 404;
      const caller = async (name: string) => (entry.ownSession ? login(name) : logins.get(name)!);

      for (const tenant of TENANTS) {
        const other = TENANTS.find((t) => t !== tenant)!;
        const own = world.views[tenant].main;
        for (const role of ROLES) {
          const who = await caller(entry.ownSession ? world.emails[tenant][role] : `${tenant}:${role}`);
          const label = `${role}@${tenant}`;
          const allowed = entry.allow.includes(role);

          const req = await entry.build(own);
          const answer = await send(who, req);
          if (allowed) {
            expectAnswer(`${label} own`, answer, is2xx, '2xx');
            if (is2xx(answer) && entry.check) {
              try {
                entry.check(answer.json, own, 'tenant');
              } catch (error) {
                failures.push(`${label} own: ${(error as Error).message}`);
              }
            }
          } else if (entry.hiddenFromOthers) expectAnswer(`${label} own`, answer, notFound, '404');
          else expectAnswer(`${label} own`, answer, forbidden, '403 auth.forbidden');
          noLeak(`${label} own`, answer, req, world.markers[other]);

          if (entry.foreign === null) continue;
          const foreignReq = await entry.build(world.views[other].main);
          const foreign = await send(
            entry.ownSession ? await caller(world.emails[tenant][role]) : who,
            foreignReq,
          );
          if (allowed) expectAnswer(`${label} foreign`, foreign, notFound, '404');
          else expectAnswer(`${label} foreign`, foreign, (a) => forbidden(a) || notFound(a), '403 or 404');
          noLeak(`${label} foreign`, foreign, foreignReq, world.markers[other]);
        }
      }

      // An operator and an admin whose grants cover only the first site of initech, and the same
      // roles limited to that site's city (it holds no other site): the same answers.
      for (const [who, role, me] of [
        ['scoped', 'operator', 'site-scoped operator'],
        ['scopedAdmin', 'admin', 'site-scoped admin'],
        ['cityScoped', 'operator', 'city-scoped operator'],
        ['cityScopedAdmin', 'admin', 'city-scoped admin'],
      ] as const) {
        const session = entry.ownSession ? await login(world.emails[who]) : logins.get(who)!;
        const may = entry.allow.includes(role) && !entry.tenantWide;
        const limit =
          who.startsWith('city') && entry.cityScoped !== undefined
            ? entry.cityScoped === 'allowed'
              ? undefined
              : entry.cityScoped
            : entry.siteScoped;
        const inSite = world.views.initech.main;
        const req = await entry.build(inSite);
        const answer = await send(session, req);
        if (!may && entry.hiddenFromOthers) expectAnswer(`${me}, own site`, answer, notFound, '404');
        else if (!may || limit === 'forbidden')
          expectAnswer(`${me}, own site`, answer, forbidden, '403 auth.forbidden');
        else if (limit === 'outside') expectAnswer(`${me}, own site`, answer, notFound, '404');
        else {
          expectAnswer(`${me}, own site`, answer, is2xx, '2xx');
          if (is2xx(answer) && entry.check) {
            try {
              entry.check(answer.json, inSite, 'site');
            } catch (error) {
              failures.push(`${me}, own site: ${(error as Error).message}`);
            }
          }
        }
        noLeak(`${me}, own site`, answer, req, [...world.otherSiteMarkers, ...world.markers.globex]);

        if (entry.ownSession) continue;
        const outReq = await entry.build(world.views.initech.other);
        const out = await send(session, outReq);
        if (!may || limit === 'forbidden')
          expectAnswer(`${me}, other site`, out, (a) => forbidden(a) || notFound(a), '403/404');
        else if (entry.siteBound) expectAnswer(`${me}, other site`, out, notFound, '404');
        else expectAnswer(`${me}, other site`, out, is2xx, '2xx');
        noLeak(`${me}, other site`, out, outReq, [...world.otherSiteMarkers, ...world.markers.globex]);
      }

      // A path id that is not a UUID is an unknown object, not a bad request.
      if (entry.foreign === 'path') {
        const own = await entry.build(world.views.initech.main);
        const malformed = { ...own, path: own.path.replace(UUID, 'not-a-uuid') };
        expectAnswer(
          'admin, malformed id',
          await send(logins.get('initech:admin')!, malformed),
          notFound,
          '404',
        );
      }

      // A password change ends the caller's other sessions, the shared ones included.
      if (entry.ownSession) await loginEveryone();
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }

  it("shows a site-scoped admin nothing of the tenant's other sites in the audit log", async () => {
    const other = world.views.initech.other;
    const admin = logins.get('initech:admin')!;
    // Entries about the other site: its edge credentials rotated, a command to its station.
    expect(
      (await send(admin, { method: 'POST', path: `/api/sites/${other.siteId}/credentials` })).status,
    ).toBe(200);
    const command = {
      method: 'POST',
      path: `/api/stations/${other.stationId}/commands`,
      body: { type: 'clear_cache' },
    };
    expect((await send(admin, command as Req)).status).toBe(200);
    const tenantWide = await send(admin, get('/api/audit?limit=200'));
    expect(leaks(tenantWide, get('/api/audit'), world.otherSiteMarkers)).not.toEqual([]);

    const req = get('/api/audit?limit=200');
    const answer = await send(await login(world.emails.scopedAdmin), req);
    // Either refused like the tenant-wide NATS block, or narrowed to the grant's site.
    expect([200, 403]).toContain(answer.status);
    const found = leaks(answer, req, world.otherSiteMarkers);
    expect(
      found,
      `GET /api/audit as a site-scoped admin (${answer.status}) shows entries about other sites: ${found.join(', ')}`,
    ).toEqual([]);
  });

  it('narrows list filters naming another tenant or an out-of-scope site to nothing', async () => {
    const g = world.views.globex.main;
    const i2 = world.views.initech.other;
    const failures: string[] = [];
    const cases: [string, string, Req, Iterable<string>, (body: Json) => boolean][] = [
      ...(
        [
          ['initech:admin', g, world.markers.globex],
          ['scoped', i2, world.otherSiteMarkers],
        ] as const
      ).flatMap(([who, v, markers]): [string, string, Req, Iterable<string>, (body: Json) => boolean][] => [
        [who, 'stations by site', get(`/api/stations?siteId=${v.siteId}`), markers, (b) => b.total === 0],
        [who, 'stations by city', get(`/api/stations?cityId=${v.cityId}`), markers, (b) => b.total === 0],
        [
          who,
          'power of a station',
          get(`/api/history/power?stationId=${v.stationId}&from=${recent()}&bucket=1h`),
          markers,
          (b) => sumEnergy(b.points) === 0,
        ],
        [
          who,
          'power of a site',
          get(`/api/history/power?siteId=${v.siteId}&from=${recent()}&bucket=1h`),
          markers,
          (b) => sumEnergy(b.points) === 0,
        ],
        [who, 'tokens by site', get(`/api/tokens?siteId=${v.siteId}`), markers, (b) => b.total === 0],
        [
          who,
          'events of a station',
          get(`/api/events?stationId=${v.stationId}`),
          markers,
          (b) => b.total === 0,
        ],
        [who, 'events of a site', get(`/api/events?siteId=${v.siteId}`), markers, (b) => b.total === 0],
        // Not filters, but other groupings of the same rows: nothing outside the caller's scope.
        ...(['station', 'token'] as const).map(
          (by): [string, string, Req, Iterable<string>, (body: Json) => boolean] => [
            who,
            `energy by ${by}`,
            get(`/api/history/energy?groupBy=${by}&bucket=1h`),
            markers,
            (b) => b.rows.length > 0,
          ],
        ),
      ]),
      [
        'initech:admin',
        'tokens by holder',
        get(`/api/tokens?holderId=${g.holderId}`),
        world.markers.globex,
        (b) => b.total === 0,
      ],
      [
        'initech:admin',
        'tokens by group',
        get(`/api/tokens?groupId=${g.groupId}`),
        world.markers.globex,
        (b) => b.total === 0,
      ],
      [
        'initech:admin',
        'audit by actor',
        get(`/api/audit?actor=admin@globex.test`),
        world.markers.globex,
        (b) => b.total === 0,
      ],
    ];
    for (const [who, label, req, markers, empty] of cases) {
      const answer = await send(logins.get(who)!, req);
      const found = leaks(answer, req, markers);
      if (answer.status !== 200 || !empty(answer.json) || found.length > 0)
        failures.push(`${who} ${label}: ${answer.status} ${found.join(', ')} ${answer.text.slice(0, 200)}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('refuses writes that reference another tenant or an out-of-scope site (404), changing nothing', async () => {
    const i = world.views.initech.main;
    const i2 = world.views.initech.other;
    const g = world.views.globex.main;
    const token = await i.fresh.token();
    const failures: string[] = [];
    const cases: [string, Req][] = [
      [
        'initech:admin',
        { method: 'PATCH', path: `/api/stations/${i.stationId}`, body: { siteId: g.siteId } },
      ],
      ['initech:admin', { method: 'PATCH', path: `/api/sites/${i.siteId}`, body: { cityId: g.cityId } }],
      ['initech:admin', { method: 'PATCH', path: `/api/tokens/${token}`, body: { siteId: g.siteId } }],
      ['initech:admin', { method: 'PATCH', path: `/api/tokens/${token}`, body: { holderId: g.holderId } }],
      ['initech:admin', { method: 'PATCH', path: `/api/tokens/${token}`, body: { groupId: g.groupId } }],
      [
        'initech:admin',
        {
          method: 'POST',
          path: '/api/tokens',
          body: { uid: 'INITECH-REF-1', siteId: i.siteId, holderId: g.holderId },
        },
      ],
      [
        'initech:admin',
        {
          method: 'POST',
          path: '/api/tokens',
          body: { uid: 'INITECH-REF-2', siteId: i.siteId, groupId: g.groupId },
        },
      ],
      ['scoped', { method: 'PATCH', path: `/api/stations/${i.stationId}`, body: { siteId: i2.siteId } }],
      ['scoped', { method: 'PATCH', path: `/api/tokens/${token}`, body: { siteId: i2.siteId } }],
      ['scoped', { method: 'POST', path: '/api/tokens', body: { uid: 'INITECH-REF-3', siteId: i2.siteId } }],
    ];
    for (const [who, req] of cases) {
      const answer = await send(logins.get(who)!, req);
      const markers = who === 'scoped' ? world.otherSiteMarkers : world.markers.globex;
      const found = leaks(answer, req, markers);
      if (answer.status !== 404 || found.length > 0)
        failures.push(
          `${who} ${req.method} ${req.path} ${JSON.stringify(req.body)}: ${answer.status} ${found.join(', ')}`,
        );
    }
    expect(failures, failures.join('\n')).toEqual([]);
    const { rows } = await cloud.db.query<{
      site_id: string;
      holder_id: string | null;
      token_group_id: string | null;
    }>(
      `SELECT (SELECT site_id FROM stations WHERE id = $1) AS site_id, holder_id, token_group_id
         FROM id_tokens WHERE id = $2`,
      [i.stationId, token],
    );
    expect(rows[0]).toEqual({ site_id: i.siteId, holder_id: null, token_group_id: null });
    expect(await count(cloud.db, `id_tokens WHERE id_token LIKE 'INITECH-REF-%'`)).toBe(0);
  });

  describe('sessions and CSRF on every endpoint', () => {
    const guarded = Object.entries(MATRIX);

    it('answers 401 auth.required without a session, with a forged cookie and with an expired session', async () => {
      const expired = await login(world.emails.initech.viewer);
      // Only this session: the other logins of the viewer stay valid for the matrix.
      await cloud.db.query(
        `UPDATE auth_sessions SET expires_at = now() - interval '1 second'
          WHERE csrf_token = $1`,
        [expired.csrf],
      );
      const forged: Login = {
        cookie: 'vm_session=forged-session-token-value-0123456789abcdef',
        csrf: 'forged',
      };
      const failures: string[] = [];
      for (const [key, entry] of guarded) {
        for (const [label, who] of [
          ['no session', null],
          ['forged cookie', forged],
          ['expired session', expired],
        ] as const) {
          const req = await entry.build(world.views.initech.main);
          const answer = await send(who, req);
          if (answer.status !== 401 || answer.code !== 'auth.required')
            failures.push(`${key} with ${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });

    it('refuses every state-changing call without x-csrf-token (403 auth.csrf_failed)', async () => {
      const admin = logins.get('initech:admin')!;
      const failures: string[] = [];
      for (const [key, entry] of guarded) {
        const req = await entry.build(world.views.initech.main);
        if (req.method === 'GET') continue;
        const answer = await send(admin, req, { csrf: false });
        if (answer.status !== 403 || answer.code !== 'auth.csrf_failed')
          failures.push(`${key}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
      expect(failures, failures.join('\n')).toEqual([]);
      // The admin's session is untouched (logout without the token did not end it).
      expect((await send(admin, get('/api/auth/me'))).status).toBe(200);
    });
  });
});
