/** What a channel sender gets from the outbox and what it answers. */
import type { Channel, Severity } from '../schemas.js';

export interface OutboxMessage {
  id: string;
  tenantId: string;
  incidentId: string | null;
  reason: 'opened' | 'escalated' | 'recovered' | 'test';
  channel: Channel;
  userId: string | null;
  webhookId: string | null;
  address: string;
  subject: string;
  body: string;
  html: string | null;
  severity: Severity;
  createdAt: Date;
  attempts: number;
}

export interface Delivery {
  /** Twilio message SID, SMTP message id, webhook HTTP status; null when the channel has none. */
  providerId: string | null;
  /** `sent`: handed to the provider (a status callback may follow); `delivered`: final. */
  status: 'sent' | 'delivered';
}

export const DELIVERY_ERROR_CODES = {
  /** The provider could not be reached or asked to retry later (5xx, 429, timeout). */
  transient: 'delivery.transient',
  /** The provider refused the message for good (bad number, unknown mailbox, 410 Gone). */
  permanent: 'delivery.permanent',
  /** The channel is not configured in this process (docs/alerts.md). */
  disabled: 'delivery.channel_disabled',
} as const;
export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[keyof typeof DELIVERY_ERROR_CODES];

export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

export type Sender = (message: OutboxMessage) => Promise<Delivery>;
