/**
 * The durable outbox: every event is committed here before the charger gets its reply, and the
 * forwarder deletes a row only after JetStream acknowledged it.
 *
 * Appends are group-committed: everything appended during one event-loop turn is written in one
 * fsync'd transaction on the next `setImmediate`, and every caller's promise settles with that
 * commit. The outbox assigns the envelope (UUIDv7 id, per-station seq, receivedAt), so handlers
 * never see ids. Over the disk budget it thins meter samples, oldest first; session, status and
 * every other event are never dropped (the budget is then exceeded rather than lose them).
 */
import {
  ENVELOPE_SCHEMA_VERSION,
  StationEvent,
  type Envelope,
  type EventSource,
  type StationEvent as StationEventT,
} from '@voltmesh/contract';
import { v7 as uuidv7 } from 'uuid';
import { OutboxError } from '../errors.js';
import type { EdgeDatabase } from './database.js';

export interface OutboxAppend {
  stationId: string | null;
  occurredAt: string;
  source: EventSource;
  event: StationEventT;
}

export interface OutboxRow {
  rowId: number;
  eventId: string;
  stationId: string | null;
  bytes: number;
  body: string;
}

export interface OutboxStats {
  depth: number;
  bytes: number;
  oldestAgeS: number;
  thinnedTotal: number;
}

export interface OutboxOptions {
  siteId: string;
  budgetBytes: number;
  now?: () => Date;
}

/** Work run inside the group transaction: its own SQLite writes plus the events it produced. */
export type OutboxWork<T> = () => { value: T; entries: OutboxAppend[] };

interface Pending {
  work: OutboxWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const EDGE_KEY = '';
const THIN_BATCH = 1000;

export class Outbox {
  private readonly siteId: string;
  private readonly budgetBytes: number;
  private readonly now: () => Date;
  private readonly nextSeq = new Map<string, number>();
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private bytes: number;
  private depth: number;
  private thinned = 0;
  private readonly stmt;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: EdgeDatabase,
    options: OutboxOptions,
  ) {
    this.siteId = options.siteId;
    this.budgetBytes = options.budgetBytes;
    this.now = options.now ?? (() => new Date());
    this.stmt = {
      insert: db.prepare(
        'INSERT INTO outbox (event_id, station_id, seq, thinnable, created_ms, body) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      readSeq: db.prepare<[string], { next_seq: number }>(
        'SELECT next_seq FROM outbox_seq WHERE station_key = ?',
      ),
      writeSeq: db.prepare(
        'INSERT INTO outbox_seq (station_key, next_seq) VALUES (?, ?) ON CONFLICT (station_key) DO UPDATE SET next_seq = excluded.next_seq',
      ),
      peek: db.prepare<
        [number, number],
        { row_id: number; event_id: string; station_id: string | null; body: string }
      >('SELECT row_id, event_id, station_id, body FROM outbox WHERE row_id > ? ORDER BY row_id LIMIT ?'),
      delete: db.prepare('DELETE FROM outbox WHERE row_id = ?'),
      oldest: db.prepare<[], { created_ms: number }>('SELECT created_ms FROM outbox ORDER BY row_id LIMIT 1'),
      thinCandidates: db.prepare<[number], { row_id: number; bytes: number }>(
        'SELECT row_id, length(CAST(body AS BLOB)) AS bytes FROM outbox WHERE thinnable = 1 ORDER BY row_id LIMIT ?',
      ),
    };
    const totals = db
      .prepare<[], { n: number; b: number }>(
        'SELECT count(*) AS n, coalesce(sum(length(CAST(body AS BLOB))), 0) AS b FROM outbox',
      )
      .get()!;
    this.depth = totals.n;
    this.bytes = totals.b;
  }

  /** Resolves once the events are committed to disk (WAL, synchronous=FULL). */
  append(entries: OutboxAppend[]): Promise<void> {
    if (entries.length === 0 && !this.closed) return Promise.resolve();
    return this.transact(() => ({ value: undefined, entries }));
  }

  /**
   * Runs `work` inside the next group transaction (in its own savepoint) and resolves with its
   * value once its writes and its events are committed together. A handler's state changes and the
   * events describing them therefore land in the same commit, or neither does.
   */
  transact<T>(work: OutboxWork<T>): Promise<T> {
    if (this.closed) return Promise.reject(new OutboxError('outbox is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued so far in one transaction. Called by the tick and on shutdown. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const receivedAt = this.now().toISOString();
    const createdMs = this.now().getTime();
    let addedBytes = 0;
    let added = 0;
    const touched = new Map<string, number>();
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const runOne = this.db.transaction((p: Pending) => {
      const { value, entries } = p.work();
      const local = new Map<string, number>();
      let bytes = 0;
      for (const entry of entries) {
        const event = validate(entry);
        const key = entry.stationId ?? EDGE_KEY;
        const seq = local.get(key) ?? touched.get(key) ?? this.loadSeq(key);
        const envelope: Envelope = {
          schemaVersion: ENVELOPE_SCHEMA_VERSION,
          id: uuidv7(),
          siteId: this.siteId,
          stationId: entry.stationId,
          seq,
          occurredAt: entry.occurredAt,
          receivedAt,
          source: entry.source,
          event,
        };
        const body = JSON.stringify(envelope);
        this.stmt.insert.run(
          envelope.id,
          entry.stationId,
          seq,
          isThinnable(entry.event) ? 1 : 0,
          createdMs,
          body,
        );
        local.set(key, seq + 1);
        bytes += Buffer.byteLength(body);
      }
      for (const [key, next] of local) {
        this.stmt.writeSeq.run(key, next);
        touched.set(key, next);
      }
      addedBytes += bytes;
      added += entries.length;
      return value;
    });
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          const savedTouched = new Map(touched);
          const savedBytes = addedBytes;
          const savedAdded = added;
          try {
            outcomes.push({ ok: true, value: runOne(p) });
          } catch (error) {
            // The savepoint rolled back this item's writes; forget its in-memory effects too.
            touched.clear();
            for (const [k, v] of savedTouched) touched.set(k, v);
            addedBytes = savedBytes;
            added = savedAdded;
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (cause) {
      const error = new OutboxError('outbox commit failed', { cause });
      for (const p of batch) p.reject(error);
      return;
    }
    for (const [key, next] of touched) this.nextSeq.set(key, next);
    this.depth += added;
    this.bytes += addedBytes;
    if (this.bytes > this.budgetBytes) this.thin();
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
    for (const listener of this.listeners) listener();
  }

  /** Called after every commit, e.g. to wake the forwarder. */
  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The oldest rows after `afterRowId`, in commit order. */
  peek(limit: number, afterRowId = 0): OutboxRow[] {
    return this.stmt.peek.all(afterRowId, limit).map((r) => ({
      rowId: r.row_id,
      eventId: r.event_id,
      stationId: r.station_id,
      bytes: Buffer.byteLength(r.body),
      body: r.body,
    }));
  }

  /** Deletes rows JetStream acknowledged. */
  ack(rows: readonly OutboxRow[]): void {
    if (rows.length === 0) return;
    let removed = 0;
    let removedBytes = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        if (this.stmt.delete.run(row.rowId).changes === 1) {
          removed++;
          removedBytes += row.bytes;
        }
      }
    })();
    this.depth -= removed;
    this.bytes -= removedBytes;
  }

  stats(): OutboxStats {
    const oldest = this.depth > 0 ? this.stmt.oldest.get() : undefined;
    const oldestAgeS = oldest ? Math.max(0, (this.now().getTime() - oldest.created_ms) / 1000) : 0;
    return { depth: this.depth, bytes: this.bytes, oldestAgeS, thinnedTotal: this.thinned };
  }

  /** Commits what is pending and refuses further appends. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private loadSeq(key: string): number {
    const cached = this.nextSeq.get(key);
    if (cached !== undefined) return cached;
    return this.stmt.readSeq.get(key)?.next_seq ?? 0;
  }

  /** Drops every second thinnable row, oldest first, until under budget or nothing is left to thin. */
  private thin(): void {
    while (this.bytes > this.budgetBytes) {
      const candidates = this.stmt.thinCandidates.all(THIN_BATCH);
      const victims = candidates.filter((_, i) => i % 2 === 1 || candidates.length === 1);
      if (victims.length === 0) return;
      this.db.transaction(() => {
        for (const v of victims) this.stmt.delete.run(v.row_id);
      })();
      for (const v of victims) this.bytes -= v.bytes;
      this.depth -= victims.length;
      this.thinned += victims.length;
    }
  }
}

/** The event as the contract defines it (unknown keys stripped); throws OutboxError naming each bad field. */
function validate(entry: OutboxAppend): StationEventT {
  const parsed = StationEvent.safeParse(entry.event);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new OutboxError(`refusing an invalid ${entry.event.type} event: ${what}`);
  }
  return parsed.data;
}

/** Periodic meter samples may be thinned; the samples that open or close a transaction may not. */
function isThinnable(event: StationEventT): boolean {
  if (event.type !== 'meter.samples') return false;
  return event.samples.every((s) => s.context !== 'transaction.begin' && s.context !== 'transaction.end');
}
