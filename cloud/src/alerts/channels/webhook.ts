/**
 * Webhooks: a JSON POST signed with HMAC-SHA256 over `<timestamp>.<body>` using the webhook's
 * secret, in `X-Voltmesh-Signature: sha256=<hex>` beside `X-Voltmesh-Timestamp` (docs/alerts.md).
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/pool.js';
import { DELIVERY_ERROR_CODES, DeliveryError, type Sender } from './types.js';

export const signWebhook = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export function createWebhookSender(deps: { db: Db; timeoutMs?: number; now: () => Date }): Sender {
  return async function sendWebhook(message) {
    const { rows } = await deps.db.query<{ secret: string; enabled: boolean }>(
      'SELECT secret, enabled FROM alert_webhooks WHERE id = $1',
      [message.webhookId],
    );
    const hook = rows[0];
    if (!hook || !hook.enabled) {
      throw new DeliveryError(DELIVERY_ERROR_CODES.permanent, 'webhook deleted or disabled');
    }
    const timestamp = String(Math.floor(deps.now().getTime() / 1000));
    let response: Response;
    try {
      response = await fetch(message.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'voltmesh-alerts',
          'x-voltmesh-delivery': message.id,
          'x-voltmesh-timestamp': timestamp,
          'x-voltmesh-signature': signWebhook(hook.secret, timestamp, message.body),
        },
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
    } catch (error) {
      throw new DeliveryError(DELIVERY_ERROR_CODES.transient, `webhook: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (response.ok) return { providerId: `HTTP ${response.status}`, status: 'delivered' };
    throw new DeliveryError(
      response.status === 410 ? DELIVERY_ERROR_CODES.permanent : DELIVERY_ERROR_CODES.transient,
      `webhook: HTTP ${response.status}`,
    );
  };
}
