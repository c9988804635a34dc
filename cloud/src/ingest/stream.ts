/**
 * The JetStream stream the edges publish into and the cloud's durable pull consumer on it. Both are
 * created idempotently at start; an existing stream is left as its operator configured it.
 *
 * Limits: file storage, 7 days or 8 GiB (oldest discarded first), 1 MiB per message, 2 minute
 * duplicate window (an edge retrying a publish with the same Nats-Msg-Id within it is stored once;
 * beyond it the database's unique keys still deduplicate).
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { EVENTS_SUBJECT_ROOT, STREAM_EVENTS } from '@voltmesh/contract';

export const INGEST_CONSUMER = 'cloud-ingest';
export const STREAM_LIMITS = {
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxBytes: 8 * 1024 ** 3,
  maxMsgSize: 1024 * 1024,
  duplicateWindowMs: 2 * 60 * 1000,
} as const;

export async function ensureEventStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(STREAM_EVENTS);
    return;
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
  }
  await jsm.streams.add({
    name: STREAM_EVENTS,
    subjects: [`${EVENTS_SUBJECT_ROOT}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(STREAM_LIMITS.maxAgeMs),
    max_bytes: STREAM_LIMITS.maxBytes,
    max_msg_size: STREAM_LIMITS.maxMsgSize,
    duplicate_window: nanos(STREAM_LIMITS.duplicateWindowMs),
  });
}

/** Durable, explicit ack, never gives up on a message (max_deliver -1): the database may be down for hours. */
export async function ensureIngestConsumer(jsm: JetStreamManager, name = INGEST_CONSUMER): Promise<void> {
  await jsm.consumers.add(STREAM_EVENTS, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${EVENTS_SUBJECT_ROOT}.>`,
    ack_wait: nanos(30_000),
    max_deliver: -1,
    max_ack_pending: 20_000,
  });
}
