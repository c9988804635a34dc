/**
 * Delivers the outbox. A pass claims due rows with FOR UPDATE SKIP LOCKED and leases them (status
 * `sending`, next attempt pushed past the lease), so several processes share the work and a process
 * that dies mid-send leaves its rows to be retried after the lease. A transient failure is retried
 * with exponential backoff; a permanent one, or the last attempt, marks the row `failed`.
 */
import { withTransaction, type Db } from '../db/pool.js';
import { DELIVERY_ERROR_CODES, DeliveryError, type OutboxMessage, type Sender } from './channels/types.js';
import type { Channel } from './schemas.js';

export const OUTBOX_POLICY = {
  maxAttempts: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 3600_000,
  leaseMs: 300_000,
  batch: 20,
} as const;

/** Delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped at 1 h. */
export const backoffMs = (attempts: number): number =>
  Math.min(OUTBOX_POLICY.maxDelayMs, OUTBOX_POLICY.baseDelayMs * 2 ** Math.max(0, attempts - 1));

export interface DispatcherDeps {
  db: Db;
  /** A channel without a sender is disabled: its rows fail with `delivery.channel_disabled`. */
  senders: Partial<Record<Channel, Sender>>;
  now: () => Date;
  /** After a row reached a final or retry state (for metrics and logs). */
  onResult?: (
    message: OutboxMessage,
    outcome: 'sent' | 'delivered' | 'retry' | 'failed',
    error?: unknown,
  ) => void;
}

export interface Dispatcher {
  /** One pass: delivers what is due now; returns how many rows it handled. */
  runOnce(): Promise<number>;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  incident_id: string | null;
  reason: OutboxMessage['reason'];
  channel: Channel;
  user_id: string | null;
  webhook_id: string | null;
  address: string;
  subject: string;
  body: string;
  html: string | null;
  severity: OutboxMessage['severity'];
  created_at: Date;
  attempts: number;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const claim = (now: Date) =>
    withTransaction(deps.db, async (tx) => {
      const { rows } = await tx.query<ClaimedRow>(
        `UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1,
                next_attempt_at = $1::timestamptz + make_interval(secs => $2::double precision / 1000), updated_at = now()
          WHERE n.id IN (SELECT id FROM notifications
                          WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1
                          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING n.id, n.tenant_id, n.incident_id, n.reason, n.channel, n.user_id, n.webhook_id, n.address,
                    n.subject, n.body, n.html, n.severity, n.created_at, n.attempts`,
        [now, OUTBOX_POLICY.leaseMs, OUTBOX_POLICY.batch],
      );
      return rows;
    });

  const deliver = async (row: ClaimedRow) => {
    const message: OutboxMessage = {
      id: row.id,
      tenantId: row.tenant_id,
      incidentId: row.incident_id,
      reason: row.reason,
      channel: row.channel,
      userId: row.user_id,
      webhookId: row.webhook_id,
      address: row.address,
      subject: row.subject,
      body: row.body,
      html: row.html,
      severity: row.severity,
      createdAt: row.created_at,
      attempts: row.attempts,
    };
    // Renew the lease just before sending, and only while the row is still ours: a process that
    // waited longer than the lease may have lost it to another, which then owns this attempt.
    const { rowCount: mine } = await deps.db.query(
      `UPDATE notifications
          SET next_attempt_at = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [row.id, row.attempts, deps.now(), OUTBOX_POLICY.leaseMs],
    );
    if (mine === 0) return;
    const sender = deps.senders[row.channel];
    try {
      if (!sender) {
        throw new DeliveryError(
          DELIVERY_ERROR_CODES.disabled,
          `the ${row.channel} channel is not configured`,
        );
      }
      const result = await sender(message);
      const now = deps.now();
      await deps.db.query(
        `UPDATE notifications SET status = $2, provider_id = $3, sent_at = $4,
                delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END,
                last_error = NULL, updated_at = now()
          WHERE id = $1`,
        [row.id, result.status, result.providerId, now],
      );
      deps.onResult?.(message, result.status);
    } catch (error) {
      const code = error instanceof DeliveryError ? error.code : DELIVERY_ERROR_CODES.transient;
      const final = code !== DELIVERY_ERROR_CODES.transient || row.attempts >= OUTBOX_POLICY.maxAttempts;
      const text = `${code}: ${(error as Error).message}`.slice(0, 500);
      await deps.db.query(
        `UPDATE notifications SET status = $2, last_error = $3, updated_at = now(),
                next_attempt_at = $4::timestamptz + make_interval(secs => $5::double precision / 1000)
          WHERE id = $1 AND status = 'sending' AND attempts = $6`,
        [row.id, final ? 'failed' : 'queued', text, deps.now(), backoffMs(row.attempts), row.attempts],
      );
      deps.onResult?.(message, final ? 'failed' : 'retry', error);
    }
  };

  return {
    async runOnce() {
      const rows = await claim(deps.now());
      // One at a time per pass: providers rate-limit, and the order of an incident's messages matters.
      for (const row of rows) await deliver(row);
      return rows.length;
    },
  };
}
