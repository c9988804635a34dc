/**
 * The running cost of live sessions over Socket.IO. A session page emits `session:subscribe` with
 * the session id (joined only when the session is in the socket's scope); after each ingest batch
 * with meter values of that session's station, at most once per second per session, the socket gets
 * `session:cost`: energy, power, voltage and current of the latest readings and the running cost from
 * the one cost function. Rides on the live fan-out of LiveBatches over NATS, so any node may ingest
 * and any node may serve the browser.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Server, Socket } from 'socket.io';
import type { Identity } from '../auth/sessions.js';
import type { Db } from '../db/pool.js';
import { LIVE_SUBJECT_ROOT, type LiveBatch } from '../live/messages.js';
import { keyedThrottle } from '../live/throttle.js';
import type { Logger } from '../observability/logger.js';
import { latestReadings } from './latest-readings.js';
import { priceSession } from './session-cost.js';

export const SESSION_COST_INTERVAL_MS = 1000;

export interface SessionCostLive {
  sessionId: string;
  status: string;
  at: string | null;
  energyWh: number;
  powerW: number | null;
  voltageV: number | null;
  currentA: number | null;
  chargingSeconds: number;
  idleSeconds: number;
  cost: { net: string; tax: string; total: string; currency: string } | null;
}

const room = (sessionId: string) => `session:${sessionId}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Reply =
  { ok: true } | { ok: false; code: 'request.invalid' | 'session.not_found' | 'service.unavailable' };

export function startLiveCost(deps: { io: Server; nc: NatsConnection; db: Db; log: Logger }) {
  const { io, db, log } = deps;

  const visible = async (identity: Identity, sessionId: string) => {
    const { rows } = await db.query(
      `SELECT 1 FROM sessions x JOIN stations st ON st.id = x.station_id JOIN sites si ON si.id = st.site_id
        WHERE x.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)
          AND x.id = $4`,
      [identity.tenantId, identity.siteId, identity.cityId, sessionId],
    );
    return rows.length > 0;
  };

  const onConnection = (socket: Socket) => {
    const identity = (socket.data as { identity: Identity }).identity;
    socket.on('session:subscribe', (sessionId: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: Reply) => void) : () => {};
      if (typeof sessionId !== 'string' || !UUID.test(sessionId))
        return reply({ ok: false, code: 'request.invalid' });
      visible(identity, sessionId).then(
        (ok) => {
          if (!ok) return reply({ ok: false, code: 'session.not_found' });
          void socket.join(room(sessionId));
          reply({ ok: true });
        },
        (error: unknown) => {
          log.warn({ err: error }, 'session subscribe failed');
          reply({ ok: false, code: 'service.unavailable' });
        },
      );
    });
    socket.on('session:unsubscribe', (sessionId: unknown) => {
      if (typeof sessionId === 'string') void socket.leave(room(sessionId));
    });
  };
  io.on('connection', onConnection);

  const snapshot = async (sessionId: string): Promise<SessionCostLive | null> => {
    const priced = await priceSession(db, sessionId);
    if (!priced) return null;
    const readings = await latestReadings(db, sessionId);
    const last = priced.timeline.at(-1);
    const c = priced.cost;
    return {
      sessionId,
      status: readings?.status ?? 'active',
      at: last ? new Date(last.atMs).toISOString() : null,
      energyWh: last?.energyWh ?? 0,
      powerW: readings?.powerW ?? null,
      voltageV: readings?.voltageV ?? null,
      currentA: readings?.currentA ?? null,
      chargingSeconds: priced.chargingSeconds,
      idleSeconds: priced.idleSeconds,
      cost: c && { net: c.net, tax: c.tax, total: c.total, currency: c.currency },
    };
  };

  const emits = keyedThrottle<true>(SESSION_COST_INTERVAL_MS, (sessionId) => {
    snapshot(sessionId).then(
      (live) => {
        if (live) io.to(room(sessionId)).emit('session:cost', live);
      },
      (error: unknown) => log.warn({ err: error, sessionId }, 'running cost failed'),
    );
  });

  /** Sessions someone watches on this node, among those the batch's meter values belong to. */
  const watched = async (batch: LiveBatch) => {
    const rooms = io.of('/').adapter.rooms;
    if (![...rooms.keys()].some((r) => r.startsWith('session:'))) return [];
    const pairs = batch.meters.flatMap(({ meter }) =>
      meter.transactionId === null
        ? []
        : [{ stationId: meter.stationId, transactionId: meter.transactionId }],
    );
    // A start or stop changes a session without meter values: its station's watched sessions hear it.
    const stations = [
      ...new Set(batch.stationEvents.filter((e) => e.type.startsWith('session.')).map((e) => e.stationId)),
    ];
    if (pairs.length === 0 && stations.length === 0) return [];
    const { rows } = await db.query<{ id: string }>(
      `SELECT x.id FROM sessions x
         JOIN unnest($1::uuid[], $2::text[]) AS u(station_id, transaction_id)
           ON x.station_id = u.station_id AND x.transaction_id = u.transaction_id
        WHERE x.tenant_id = $3
       UNION
       SELECT x.id FROM sessions x WHERE x.tenant_id = $3 AND x.station_id = ANY($4::uuid[])
          AND x.updated_at > now() - interval '1 day'`,
      [pairs.map((p) => p.stationId), pairs.map((p) => p.transactionId), batch.tenantId, stations],
    );
    return rows.map((r) => r.id).filter((id) => rooms.has(room(id)));
  };

  const sub: Subscription = deps.nc.subscribe(`${LIVE_SUBJECT_ROOT}.>`);
  const pump = (async () => {
    for await (const msg of sub) {
      try {
        for (const id of await watched(msg.json<LiveBatch>())) emits.push(id, true);
      } catch (error) {
        log.warn({ err: error, subject: msg.subject }, 'live cost relay failed');
      }
    }
  })();

  return {
    /** For tests and the session page's first paint: the same payload as `session:cost`. */
    snapshot,
    async stop() {
      sub.unsubscribe();
      await pump;
      emits.close();
      io.off('connection', onConnection);
    },
  };
}

export type LiveCost = ReturnType<typeof startLiveCost>;
