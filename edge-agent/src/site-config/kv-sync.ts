/**
 * Keeps the local SiteConfigStore in step with the cloud's KV bucket `siteConfigBucket(siteId)`:
 * watches every key (last values first, then updates) and applies each to SQLite. The bucket is
 * created by the cloud; until it exists we retry with backoff. Keys and values: `@voltmesh/contract`
 * site-config.ts.
 */
import { Kvm, type KV } from '@nats-io/kv';
import { parseSiteConfigKey, siteConfigBucket } from '@voltmesh/contract';
import { SiteConfigError } from '../errors.js';
import type { NatsLink } from '../nats/nats-link.js';
import { sleep } from '../sleep.js';
import type { SiteConfigStore } from './site-config-store.js';

export interface KvSyncObserver {
  onApplied?: (info: { key: string; operation: 'PUT' | 'DEL' | 'PURGE' }) => void;
  onInvalid?: (info: { key: string; error: unknown }) => void;
  onUnavailable?: (info: { bucket: string; error: unknown; retryInMs: number }) => void;
  /** A `station.*` entry was written or removed and is now in the local store. */
  onStationChanged?: (stationId: string) => void;
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
      const parsed = parseSiteConfigKey(key);
      if (!parsed) return;
      const put = operation === 'PUT';
      const json = put ? (JSON.parse(Buffer.from(value).toString('utf8')) as unknown) : null;
      switch (parsed.kind) {
        case 'station':
          if (!put) this.store.deleteStation(parsed.identity);
          else this.store.putStation(checkKey(json, 'identity', parsed.identity));
          this.observer.onStationChanged?.(parsed.identity);
          break;
        case 'token':
          if (!put) this.store.deleteToken(parsed.idToken);
          else this.store.putToken(checkKey(json, 'idToken', parsed.idToken));
          break;
        case 'policy':
          if (!put) this.store.deletePolicy();
          else this.store.putPolicy(json);
          break;
      }
      this.applied++;
      this.observer.onApplied?.({ key, operation });
    } catch (error) {
      this.observer.onInvalid?.({ key, error });
    }
  }
}

/**
 * A value must describe the id its key names; otherwise one key could overwrite another's entry.
 * Checked before anything is written, so a mismatched value leaves every entry as it was.
 */
function checkKey(value: unknown, field: string, expected: string): unknown {
  const actual = (value as Record<string, unknown> | null)?.[field];
  if (actual !== expected) {
    throw new SiteConfigError(
      `key names "${expected}" but the value's ${field} is ${JSON.stringify(actual)}`,
    );
  }
  return value;
}
