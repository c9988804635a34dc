/**
 * The envelope every event travels in. `id` is a UUIDv7 made by the edge when it writes the outbox row:
 * it is the JetStream message id (dedupe) and the database key, so a redelivered event is stored once.
 * `seq` increases per (site, station) in outbox order and lets the cloud order events without trusting
 * arrival order; `occurredAt` is the charger's time where the message carries one.
 */
import { z } from 'zod';
import { OcppVersion, StationEvent } from './events.js';

export const ENVELOPE_SCHEMA_VERSION = 1;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const EventSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ocpp'),
    ocppVersion: OcppVersion,
    action: z.string().max(64),
    messageId: z.string().max(64),
  }),
  z.object({ kind: z.literal('edge') }),
]);
export type EventSource = z.infer<typeof EventSource>;

export const Envelope = z.object({
  schemaVersion: z.literal(ENVELOPE_SCHEMA_VERSION),
  id: z.string().regex(UUID_V7, 'must be a lowercase UUIDv7'),
  siteId: z.string().min(1).max(64),
  /** null for events about the edge agent itself (`edge.status`). */
  stationId: z.string().min(1).max(48).nullable(),
  seq: z.number().int().min(0),
  occurredAt: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
  source: EventSource,
  event: StationEvent,
});
export type Envelope = z.infer<typeof Envelope>;

export class EnvelopeError extends Error {
  readonly code = 'VM_ENVELOPE_INVALID';
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnvelopeError';
  }
}

/** Parses raw bytes from NATS; throws EnvelopeError naming every offending field. */
export function decodeEnvelope(data: Uint8Array): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch (cause) {
    throw new EnvelopeError('envelope is not valid JSON', [], { cause });
  }
  const parsed = Envelope.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new EnvelopeError(
      `envelope rejected: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}
