/** In-app: the notification row is the inbox item; delivery is a live push to the user's sockets. */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Db } from '../../db/pool.js';
import { publishAlert } from '../live.js';
import { INBOX_SELECT, toInboxItem, type InboxRow } from '../notification-store.js';
import type { Sender } from './types.js';

export function createInAppSender(deps: { db: Db; nc: NatsConnection; publicUrl: string }): Sender {
  return async function sendInApp(message) {
    const { rows } = await deps.db.query<InboxRow>(`${INBOX_SELECT} WHERE n.id = $1`, [message.id]);
    const row = rows[0];
    if (row && message.userId) {
      publishAlert(deps.nc, {
        type: 'notification',
        tenantId: message.tenantId,
        userId: message.userId,
        item: toInboxItem(row, deps.publicUrl),
      });
    }
    return { providerId: null, status: 'delivered' };
  };
}
