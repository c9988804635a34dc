/**
 * Alerts on the live stream. Any cloud process may change an incident or deliver an in-app
 * notification; it publishes on NATS core `vm.alerts.<tenant>` and every process relays to its own
 * Socket.IO clients: `incident:update` to the sockets whose scope covers the incident's site,
 * `notification:new` to the recipient's sockets.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { encodeToken } from '@voltmesh/contract';
import type { Server } from 'socket.io';
import type { Identity } from '../auth/sessions.js';
import type { Logger } from '../observability/logger.js';
import type { IncidentWithPlacement } from './incident-store.js';
import { ALERT_SOCKET_EVENTS, type InboxItem } from './schemas.js';

export const ALERTS_SUBJECT_ROOT = 'vm.alerts';
export const alertsSubject = (tenantId: string) => `${ALERTS_SUBJECT_ROOT}.${encodeToken(tenantId)}`;

export type AlertLiveMessage =
  | ({ type: 'incident' } & IncidentWithPlacement)
  | { type: 'notification'; tenantId: string; userId: string; item: InboxItem };

/** The rooms live/socket-server.ts puts a socket in, by the scope of its grant. */
const scopeRooms = (tenantId: string, siteId: string, cityId: string | null): string[] => [
  `tenant:${tenantId}`,
  `site:${siteId}`,
  ...(cityId ? [`city:${cityId}`] : []),
];
const userRoom = (tenantId: string, userId: string) => `alerts-user:${tenantId}:${userId}`;

export function publishAlert(nc: NatsConnection, message: AlertLiveMessage): void {
  nc.publish(alertsSubject(message.tenantId), JSON.stringify(message));
}

export interface AlertRelay {
  close(): Promise<void>;
}

export function startAlertRelay(deps: { io: Server; nc: NatsConnection; log: Logger }): AlertRelay {
  deps.io.on('connection', (socket) => {
    const identity = (socket.data as { identity?: Identity }).identity;
    if (identity) void socket.join(userRoom(identity.tenantId, identity.userId));
  });
  const sub: Subscription = deps.nc.subscribe(`${ALERTS_SUBJECT_ROOT}.>`);
  const pump = (async () => {
    for await (const msg of sub) {
      try {
        const m = msg.json<AlertLiveMessage>();
        if (m.type === 'incident') {
          deps.io
            .to(scopeRooms(m.tenantId, m.incident.target.siteId, m.cityId))
            .emit(ALERT_SOCKET_EVENTS.incidentUpdate, m.incident);
        } else {
          deps.io.to(userRoom(m.tenantId, m.userId)).emit(ALERT_SOCKET_EVENTS.notificationNew, m.item);
        }
      } catch (error) {
        deps.log.warn({ err: error, subject: msg.subject }, 'bad alert live message ignored');
      }
    }
  })();
  return {
    async close() {
      sub.unsubscribe();
      await pump;
    },
  };
}
