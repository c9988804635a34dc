/**
 * Keeps the local SiteConfigStore in step with the cloud's KV bucket `siteConfigBucket(siteId)`:
 * watches every key (last values first, then updates) and applies each to SQLite. The bucket is
 * created by the cloud; until it exists we retry with backoff. Key format: docs/edge-agent.md.
 */
import { Kvm, type KV } from '@nats-io/kv';
import { siteConfigBucket } from '@voltmesh/contract';
import { SiteConfigError } from '../errors.js';
import type { NatsLink } from '../nats/nats-link.js';
import { sleep } from '../sleep.js';
import { decodeKeyToken } from './kv-keys.js';
import type { SiteConfigStore } from './site-config-store.js';

export interface KvSyncObserver {
  onApplied?: (info: { key: string; operation: 'PUT' | 'DEL' | 'PURGE' }) => void;
  onInvalid?: (info: { key: string; error: unknown }) => void;
  onUnavailable?: (info: { bucket: string; error: unknown; retryInMs: number }) => void;
}

export class SiteConfigSync {
  private running = false;
  private loop: Promise<void> | null = null;
  private stopWatch: (() => void) | null = null;
  private stopper = new AbortController();
  private applied = 0;

  constructor(
    private readonly siteId: string,
    private readonly link: NatsLink,
    private readonly store: SiteConfigStore,
    private readonly observer: KvSyncObserver = {},
    private readonly retryMs = { min: 250, max: 10_000 },
  ) {}

  get appliedCount(): number {
    return this.applied;
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
    this.stopWatch?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const nc = await this.link.whenReady(this.stopper.signal);
    if (!nc) return;
    const bucket = siteConfigBucket(this.siteId);
    let delay = this.retryMs.min;
    while (this.running) {
      try {
        const kv: KV = await new Kvm(nc).open(bucket);
        await kv.status();
        const watch = await kv.watch({ key: '>' });
        this.stopWatch = () => watch.stop();
        delay = this.retryMs.min;
        for await (const e of watch) {
          this.apply(e.key, e.operation, e.value);
          if (!this.running) break;
        }
      } catch (error) {
        if (!this.running) break;
        this.observer.onUnavailable?.({ bucket, error, retryInMs: delay });
        await sleep(delay, this.stopper.signal);
        delay = Math.min(delay * 2, this.retryMs.max);
      }
    }
  }

  /** Applies one KV entry; a malformed value is reported and skipped, never fatal. */
  apply(key: string, operation: 'PUT' | 'DEL' | 'PURGE', value: Uint8Array): void {
    try {
      const [kind, ...rest] = key.split('.');
      const token = rest.join('.');
      const put = operation === 'PUT';
      const json = put ? (JSON.parse(Buffer.from(value).toString('utf8')) as unknown) : null;
      if (kind === 'station' && token) {
        if (!put) this.store.deleteStation(decodeKeyToken(token));
        else {
          const entry = this.store.putStation(json);
          if (entry.identity !== decodeKeyToken(token)) {
            this.store.deleteStation(entry.identity);
            throw new Error(
              `key names station "${decodeKeyToken(token)}" but the value says "${entry.identity}"`,
            );
          }
        }
      } else if (kind === 'token' && token) {
        if (!put) this.store.deleteToken(decodeKeyToken(token));
        else this.store.putToken(checkKey(json, 'idToken', decodeKeyToken(token)));
      } else if (kind === 'policy' && !token) {
        if (!put) this.store.deletePolicy();
        else this.store.putPolicy(json);
      } else {
        return;
      }
      this.applied++;
      this.observer.onApplied?.({ key, operation });
    } catch (error) {
      this.observer.onInvalid?.({ key, error });
    }
  }
}

/** A value must describe the id its key names; otherwise one key could overwrite another's entry. */
function checkKey(value: unknown, field: string, expected: string): unknown {
  const actual = (value as Record<string, unknown> | null)?.[field];
  if (actual !== expected) {
    throw new SiteConfigError(
      `key names "${expected}" but the value's ${field} is ${JSON.stringify(actual)}`,
    );
  }
  return value;
}
