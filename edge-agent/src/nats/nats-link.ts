/**
 * The edge's uplink: one NATS connection, established in the background with retries so the edge
 * serves chargers even when it starts without an uplink, then kept alive by nats.js's own
 * reconnection. `connected` is the state the health endpoint reports.
 */
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';

export interface NatsLinkOptions {
  url: string;
  creds: string | null;
  name: string;
  retryDelayMs?: number;
}

export class NatsLink {
  private nc: NatsConnection | null = null;
  private isConnected = false;
  private stopped = false;
  private readonly ready: Promise<NatsConnection | null>;
  private wake: (() => void) | null = null;

  constructor(private readonly options: NatsLinkOptions) {
    this.ready = this.connectLoop();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  get connection(): NatsConnection | null {
    return this.nc;
  }

  /** Resolves with the connection once it exists, or null if the link closes or `signal` aborts first. */
  whenReady(signal?: AbortSignal): Promise<NatsConnection | null> {
    if (!signal) return this.ready;
    if (signal.aborted) return Promise.resolve(null);
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<null>((resolve) => {
      onAbort = () => resolve(null);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([this.ready, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.ready;
    const nc = this.nc;
    this.nc = null;
    this.isConnected = false;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  private async connectLoop(): Promise<NatsConnection | null> {
    const delayMs = this.options.retryDelayMs ?? 1000;
    while (!this.stopped) {
      try {
        const nc = await connect({
          servers: this.options.url,
          name: this.options.name,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          timeout: 2000,
          ...(this.options.creds
            ? { authenticator: credsAuthenticator(new TextEncoder().encode(this.options.creds)) }
            : {}),
        });
        if (this.stopped) {
          await nc.close();
          return null;
        }
        this.nc = nc;
        this.isConnected = true;
        void this.watchStatus(nc);
        return nc;
      } catch {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delayMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
    return null;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    try {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.isConnected = false;
        else if (s.type === 'reconnect') this.isConnected = true;
      }
    } finally {
      this.isConnected = false;
    }
  }
}
