/**
 * Drains the outbox to JetStream: `eventSubject(site, station)`, message id = envelope id (the
 * stream's duplicate window makes a re-send after a crash harmless). A batch of rows is published
 * with all publishes in flight at once on one connection (the server stores them in publish order);
 * only acknowledged rows are deleted, the rest are retried first in the next round after a backoff.
 * The stream is created by the cloud; until it exists publishes fail and we keep backing off.
 */
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { eventSubject } from '@voltmesh/contract';
import type { Outbox, OutboxRow } from '../outbox/outbox.js';
import type { NatsLink } from '../nats/nats-link.js';
import { sleep } from '../sleep.js';

export interface ForwarderOptions {
  siteId: string;
  batchSize?: number;
  publishTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  idlePollMs?: number;
}

export interface ForwarderObserver {
  onPublishFailed?: (info: { failed: number; acked: number; error: unknown; backoffMs: number }) => void;
}

const RATE_WINDOW_S = 10;

export class Forwarder {
  private running = false;
  private stopper = new AbortController();
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private backoffMs: number;
  private forwardedTotal = 0;
  private readonly perSecond = new Map<number, number>();
  private readonly o: Required<ForwarderOptions>;

  constructor(
    private readonly outbox: Outbox,
    private readonly link: NatsLink,
    options: ForwarderOptions,
    private readonly observer: ForwarderObserver = {},
  ) {
    this.o = {
      batchSize: 512,
      publishTimeoutMs: 5000,
      minBackoffMs: 200,
      maxBackoffMs: 5000,
      idlePollMs: 1000,
      ...options,
    };
    this.backoffMs = this.o.minBackoffMs;
    outbox.onCommit(() => this.wake());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopper = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopper.abort();
    this.wake();
    await this.loop;
  }

  get forwarded(): number {
    return this.forwardedTotal;
  }

  /** Events acknowledged per second over the last 10 s. */
  ratePerS(): number {
    const nowS = Math.floor(Date.now() / 1000);
    let sum = 0;
    for (const [s, n] of this.perSecond) {
      if (s > nowS - RATE_WINDOW_S) sum += n;
      else this.perSecond.delete(s);
    }
    return sum / RATE_WINDOW_S;
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const nc = await this.link.whenReady(this.stopper.signal);
    if (!nc) return;
    const js = jetstream(nc);
    while (this.running) {
      const rows = this.outbox.peek(this.o.batchSize);
      if (rows.length === 0) {
        await this.sleep(this.o.idlePollMs);
        continue;
      }
      const failed = await this.publishBatch(js, rows);
      if (failed > 0) {
        await this.sleepUnwakeable(this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, this.o.maxBackoffMs);
      } else {
        this.backoffMs = this.o.minBackoffMs;
      }
    }
  }

  /** Returns how many rows were not acknowledged. */
  private async publishBatch(js: JetStreamClient, rows: OutboxRow[]): Promise<number> {
    const results = await Promise.allSettled(
      rows.map((row) =>
        js.publish(eventSubject(this.o.siteId, row.stationId), row.body, {
          msgID: row.eventId,
          timeout: this.o.publishTimeoutMs,
        }),
      ),
    );
    const acked: OutboxRow[] = [];
    let firstError: unknown;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') acked.push(rows[i]!);
      else firstError ??= r.reason;
    });
    this.outbox.ack(acked);
    this.forwardedTotal += acked.length;
    const s = Math.floor(Date.now() / 1000);
    this.perSecond.set(s, (this.perSecond.get(s) ?? 0) + acked.length);
    const failed = rows.length - acked.length;
    if (failed > 0) {
      this.observer.onPublishFailed?.({
        failed,
        acked: acked.length,
        error: firstError,
        backoffMs: this.backoffMs,
      });
    }
    return failed;
  }

  /** A backoff that new commits do not cut short, but stop() does. */
  private sleepUnwakeable(ms: number): Promise<void> {
    return sleep(ms, this.stopper.signal);
  }
}
