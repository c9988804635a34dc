/**
 * Socket.IO on the HTTP server: authenticates each connection with the vm_session cookie (browsers)
 * or an API token (machine clients: `auth: { token: 'vmt_…' }` in the handshake or an
 * `Authorization: Bearer vmt_…` header; same identity and scope as on the REST API), puts it in
 * the rooms of its scope (tenant, or one site or city), and relays LiveBatches from NATS to those
 * rooms. Meter updates go only to sockets subscribed to the station, coalesced to one per station per
 * second; KPIs to each scope, at most one per second.
 */
import type { Server as HttpServer } from 'node:http';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { parse as parseCookie } from 'hono/utils/cookie';
import { Server, type Socket } from 'socket.io';
import { API_TOKEN_PREFIX, type ApiTokenStore } from '../auth/api-tokens.js';
import { SESSION_COOKIE, type Identity, type SessionStore } from '../auth/sessions.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Scope, StationQueries } from '../stations/queries.js';
import {
  LIVE_SUBJECT_ROOT,
  SESSION_ENDED_SUBJECT,
  type LiveBatch,
  type MeterLive,
  type Placement,
} from './messages.js';
import { keyedThrottle } from './throttle.js';

export interface LiveServerDeps {
  httpServer: HttpServer;
  nc: NatsConnection;
  sessions: SessionStore;
  /** API tokens for machine clients; without it only cookie sessions connect. */
  apiTokens?: ApiTokenStore;
  stations: StationQueries;
  log: Logger;
  metrics: Metrics;
}

export interface LiveServer {
  readonly io: Server;
  close(): Promise<void>;
}

export const SOCKET_PATH = '/socket.io';
const KPI_INTERVAL_MS = 1000;
/**
 * setTimeout's ceiling (~24.8 days): a longer-lived API token's socket is dropped then and the client
 * reconnects (re-authenticated); a revoked token's sockets are closed at once (vm.sessions.ended).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;
const METER_INTERVAL_MS = 1000;

type SubscribeReply =
  { ok: true } | { ok: false; code: 'request.invalid' | 'station.not_found' | 'service.unavailable' };

const roomsOf = (tenantId: string, p: Placement): string[] => [
  `tenant:${tenantId}`,
  `site:${p.siteId}`,
  ...(p.cityId ? [`city:${p.cityId}`] : []),
];

/** Sockets that subscribed to one station (its event log and meter values). */
const stationRoom = (stationId: string): string => `station:${stationId}`;

/** The one room a user's scope maps to. */
const scopeRoom = (s: Scope): string =>
  s.siteId ? `site:${s.siteId}` : s.cityId ? `city:${s.cityId}` : `tenant:${s.tenantId}`;

export function startLiveServer(deps: LiveServerDeps): LiveServer {
  const { log, metrics } = deps;
  const io = new Server(deps.httpServer, { path: SOCKET_PATH, serveClient: false });
  /** Scopes with at least one socket on this node, per tenant: whose KPIs to compute. */
  const scopes = new Map<string, Map<string, { scope: Scope; sockets: number }>>();

  /** The handshake's API token, if it brings one (handshake `auth.token` or a Bearer header). */
  const apiTokenOf = (socket: Socket): string | null => {
    const auth: unknown = socket.handshake.auth;
    const fromAuth =
      typeof auth === 'object' && auth !== null && 'token' in auth && typeof auth.token === 'string'
        ? auth.token
        : null;
    const fromHeader = /^Bearer\s+(\S+)\s*$/i.exec(socket.request.headers.authorization ?? '')?.[1] ?? null;
    const token = fromAuth ?? fromHeader;
    return token !== null && token.startsWith(API_TOKEN_PREFIX) ? token : null;
  };

  io.use((socket, next) => {
    const apiToken = apiTokenOf(socket);
    const cookie = parseCookie(socket.request.headers.cookie ?? '', SESSION_COOKIE)[SESSION_COOKIE];
    const lookup =
      apiToken !== null && deps.apiTokens
        ? deps.apiTokens.authenticate(apiToken)
        : cookie
          ? deps.sessions.find(cookie)
          : null;
    if (!lookup) return next(new Error('auth.required'));
    lookup.then(
      (identity) => {
        if (!identity) return next(new Error('auth.required'));
        (socket.data as { identity: Identity }).identity = identity;
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'socket auth failed');
        next(new Error('service.unavailable'));
      },
    );
  });

  io.on('connection', (socket: Socket) => {
    const identity = (socket.data as { identity: Identity }).identity;
    const scope: Scope = { tenantId: identity.tenantId, siteId: identity.siteId, cityId: identity.cityId };
    const room = scopeRoom(scope);
    void socket.join(room);
    const perTenant = scopes.get(scope.tenantId) ?? new Map<string, { scope: Scope; sockets: number }>();
    scopes.set(scope.tenantId, perTenant);
    const entry = perTenant.get(room) ?? { scope, sockets: 0 };
    entry.sockets++;
    perTenant.set(room, entry);
    // The socket lives no longer than the session that opened it.
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.min(MAX_TIMER_MS, Math.max(0, identity.expiresAt.getTime() - Date.now())),
    );
    // A station page asks for that station's event log; only stations within the scope are joined.
    socket.on('station:subscribe', (stationId: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: SubscribeReply) => void) : () => {};
      if (typeof stationId !== 'string') return reply({ ok: false, code: 'request.invalid' });
      deps.stations.visible(scope, stationId).then(
        (visible) => {
          if (!visible) return reply({ ok: false, code: 'station.not_found' });
          void socket.join(stationRoom(stationId));
          reply({ ok: true });
        },
        (error: unknown) => {
          log.warn({ err: error }, 'station subscribe failed');
          reply({ ok: false, code: 'service.unavailable' });
        },
      );
    });
    socket.on('station:unsubscribe', (stationId: unknown) => {
      if (typeof stationId === 'string') void socket.leave(stationRoom(stationId));
    });
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      entry.sockets--;
      if (entry.sockets === 0) perTenant.delete(room);
      if (perTenant.size === 0) scopes.delete(scope.tenantId);
    });
  });

  // Only a station page charts meter values, so they go to the sockets that subscribed to the station
  // (joining checked the station is in the socket's scope), not to the whole scope.
  const meters = keyedThrottle<MeterLive>(METER_INTERVAL_MS, (stationId, meter) => {
    io.to(stationRoom(stationId)).emit('meter:update', meter);
    metrics.liveEmits.inc({ event: 'meter:update' });
  });

  const kpis = keyedThrottle<true>(KPI_INTERVAL_MS, (tenantId) => {
    for (const [room, { scope }] of scopes.get(tenantId) ?? []) {
      deps.stations.kpis(scope).then(
        (k) => {
          io.to(room).emit('kpis', k);
          metrics.liveEmits.inc({ event: 'kpis' });
        },
        (error: unknown) => log.warn({ err: error, tenantId }, 'kpi computation failed'),
      );
    }
  });

  const relay = (batch: LiveBatch) => {
    for (const station of batch.stations) {
      io.to(roomsOf(batch.tenantId, { siteId: station.siteId, cityId: station.cityId })).emit(
        'station:update',
        station,
      );
      metrics.liveEmits.inc({ event: 'station:update' });
    }
    for (const { activity, placement } of batch.activities) {
      io.to(roomsOf(batch.tenantId, placement)).emit('activity', activity);
      metrics.liveEmits.inc({ event: 'activity' });
    }
    for (const { stationId, ...event } of batch.stationEvents) {
      io.to(stationRoom(stationId)).emit('station:event', { stationId, ...event });
      metrics.liveEmits.inc({ event: 'station:event' });
    }
    for (const { meter } of batch.meters) {
      if (io.of('/').adapter.rooms.has(stationRoom(meter.stationId))) meters.push(meter.stationId, meter);
    }
    if (scopes.has(batch.tenantId)) kpis.push(batch.tenantId, true);
  };

  const ended: Subscription = deps.nc.subscribe(SESSION_ENDED_SUBJECT);
  const endSessions = (async () => {
    for await (const msg of ended) {
      const sessionId = msg.string();
      for (const socket of io.of('/').sockets.values()) {
        if ((socket.data as { identity: Identity }).identity.sessionId === sessionId) socket.disconnect(true);
      }
    }
  })();

  const sub: Subscription = deps.nc.subscribe(`${LIVE_SUBJECT_ROOT}.>`);
  const pump = (async () => {
    for await (const msg of sub) {
      try {
        relay(msg.json<LiveBatch>());
      } catch (error) {
        log.warn({ err: error, subject: msg.subject }, 'bad live message ignored');
      }
    }
  })();

  return {
    io,
    async close() {
      sub.unsubscribe();
      ended.unsubscribe();
      await Promise.all([pump, endSessions]);
      meters.close();
      kpis.close();
      await io.close();
    },
  };
}
