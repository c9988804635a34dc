/**
 * The ingest loop: a durable pull consumer on VM_EVENTS whose messages are written in batches, one
 * database transaction per batch, and acknowledged only after commit. This is the one place where
 * ingest errors meet JetStream: transient database trouble → nak with backoff (nothing is lost);
 * bad input → dead_letters row + term; other database errors → the batch is split to isolate the
 * message that cannot be stored.
 */
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeEnvelope, EnvelopeError, STREAM_EVENTS } from '@voltmesh/contract';
import { classifyDbError, DB_FAILURES, withTransaction, type Db } from '../db/pool.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { DEAD_LETTER_CODES, insertDeadLetters, type DeadLetter } from './dead-letters.js';
import type { BatchEffects } from './effects.js';
import { ensureEventStream, ensureIngestConsumer, INGEST_CONSUMER } from './stream.js';
import { writeBatch, type InboundMessage } from './write-batch.js';

export interface IngestDeps {
  nc: NatsConnection;
  db: Db;
  log: Logger;
  metrics: Metrics;
  /** Called after each commit with what changed; failures are logged, never retried. */
  onCommitted: (effects: BatchEffects) => Promise<void>;
  batchSize?: number;
  consumerName?: string;
}

export interface Ingest {
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 5_000;

export async function startIngest(deps: IngestDeps): Promise<Ingest> {
  const { nc, db, log, metrics } = deps;
  const batchSize = deps.batchSize ?? 250;
  const jsm = await jetstreamManager(nc);
  await ensureEventStream(jsm);
  await ensureIngestConsumer(jsm, deps.consumerName ?? INGEST_CONSUMER);
  const consumer = await jetstream(nc).consumers.get(STREAM_EVENTS, deps.consumerName ?? INGEST_CONSUMER);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: batchSize * 2 });
  let failures = 0;

  /** Decodes, writes in one transaction, then acks/terms. Returns false when the database is unavailable. */
  const handle = async (batch: JsMsg[]): Promise<boolean> => {
    const valid: { msg: JsMsg; inbound: InboundMessage }[] = [];
    const invalid: { msg: JsMsg; letter: DeadLetter }[] = [];
    for (const msg of batch) {
      try {
        const envelope = decodeEnvelope(msg.data);
        valid.push({ msg, inbound: { envelope, streamSeq: msg.seq, subject: msg.subject, raw: msg.data } });
      } catch (error) {
        if (!(error instanceof EnvelopeError)) throw error;
        invalid.push({ msg, letter: letterFor(msg, DEAD_LETTER_CODES.invalidEnvelope, error.message) });
      }
    }
    try {
      const result = await withTransaction(db, async (tx) => {
        await insertDeadLetters(
          tx,
          invalid.map((i) => i.letter),
        );
        return writeBatch(
          tx,
          valid.map((v) => v.inbound),
        );
      });
      const terminated = new Set(result.deadLettered.map((d) => d.streamSeq));
      for (const { msg, letter } of invalid) {
        msg.term(letter.code);
        metrics.deadLetters.inc({ code: letter.code });
      }
      for (const { msg } of valid) {
        if (terminated.has(msg.seq)) {
          msg.term(DEAD_LETTER_CODES.unknownSite);
          metrics.deadLetters.inc({ code: DEAD_LETTER_CODES.unknownSite });
        } else msg.ack();
      }
      if (invalid.length + result.deadLettered.length > 0) {
        log.warn(
          {
            deadLettered: [...invalid.map((i) => i.letter), ...result.deadLettered].map((d) => ({
              seq: d.streamSeq,
              code: d.code,
              reason: d.reason,
            })),
          },
          'ingest: messages moved to dead_letters',
        );
      }
      metrics.ingestBatchSize.observe(batch.length);
      metrics.ingestRows.inc({ table: 'station_events' }, result.insertedEvents);
      metrics.ingestRows.inc({ table: 'meter_samples' }, result.insertedSamples);
      const newest = Math.max(...valid.map((v) => Date.parse(v.inbound.envelope.receivedAt)));
      if (Number.isFinite(newest)) metrics.ingestLagS.set(Math.max(0, (Date.now() - newest) / 1000));
      try {
        await deps.onCommitted(result.effects);
      } catch (error) {
        log.error({ err: error }, 'live fan-out failed after commit');
      }
      return true;
    } catch (error) {
      const failure = classifyDbError(error);
      if (failure === DB_FAILURES.unavailable) {
        metrics.ingestFailures.inc({ kind: failure });
        const delayMs = backoffMs(failures + 1);
        for (const msg of batch) msg.nak(delayMs);
        log.warn(
          { err: error, batch: batch.length, retryInMs: delayMs },
          'ingest: database unavailable, batch nak-ed',
        );
        return false;
      }
      if (batch.length > 1) {
        // Split to find the message that fails; the others still get stored.
        const mid = Math.ceil(batch.length / 2);
        if (await handle(batch.slice(0, mid))) return handle(batch.slice(mid));
        for (const msg of batch.slice(mid)) msg.nak(backoffMs(failures + 1));
        return false;
      }
      metrics.ingestFailures.inc({ kind: failure });
      if (failure === DB_FAILURES.rejected) return rejectOne(batch[0]!, error);
      // A bug or a schema mismatch: keep the message (it is not bad data) and retry it alone, later.
      const msg = batch[0]!;
      msg.nak(MAX_BACKOFF_MS);
      log.error(
        { err: error, seq: msg.seq, subject: msg.subject },
        'ingest: event failed unexpectedly, will retry',
      );
      return true;
    }
  };

  const rejectOne = async (msg: JsMsg, error: unknown): Promise<boolean> => {
    const reason = `database refused the event: ${(error as Error).message}`;
    try {
      await insertDeadLetters(db, [letterFor(msg, DEAD_LETTER_CODES.rejectedByDatabase, reason)]);
    } catch (inner) {
      msg.nak(backoffMs(failures + 1));
      log.warn({ err: inner }, 'ingest: could not dead-letter a refused message, nak-ed');
      return false;
    }
    msg.term(DEAD_LETTER_CODES.rejectedByDatabase);
    metrics.deadLetters.inc({ code: DEAD_LETTER_CODES.rejectedByDatabase });
    log.error(
      { err: error, seq: msg.seq, subject: msg.subject },
      'ingest: event refused by the database, dead-lettered',
    );
    return true;
  };

  // The iterator feeds a bounded queue; the writer takes whatever has queued up (up to batchSize)
  // as one batch, so batches grow under load and stay small (low latency) when traffic is light.
  const queue: JsMsg[] = [];
  const wake: { writer: (() => void) | null; reader: (() => void) | null } = { writer: null, reader: null };
  let closed = false;

  const reader = (async () => {
    for await (const msg of messages) {
      queue.push(msg);
      wake.writer?.();
      if (queue.length >= batchSize * 2) await new Promise<void>((r) => (wake.reader = r));
    }
    closed = true;
    wake.writer?.();
  })();

  const writer = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (closed) return;
        await new Promise<void>((r) => (wake.writer = r));
        wake.writer = null;
        continue;
      }
      const current = queue.splice(0, batchSize);
      wake.reader?.();
      wake.reader = null;
      metrics.ingestPending.set(queue.length);
      let ok: boolean;
      try {
        ok = await handle(current);
      } catch (error) {
        // Unexpected (a bug, not bad input): leave the messages to redeliver after ack_wait.
        log.error({ err: error }, 'ingest: batch failed unexpectedly');
        ok = false;
      }
      failures = ok ? 0 : failures + 1;
      if (!ok) await sleep(backoffMs(failures));
    }
  })();

  return {
    async stop() {
      await messages.close();
      await reader;
      await writer;
    },
  };
}

function letterFor(msg: JsMsg, code: DeadLetter['code'], reason: string): DeadLetter {
  return { stream: STREAM_EVENTS, streamSeq: msg.seq, subject: msg.subject, raw: msg.data, code, reason };
}

function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt, 10));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
