/**
 * The edge's uplink: one NATS connection, established in the background with retries so the edge
 * serves chargers even when it starts without an uplink, then kept alive by nats.js's own
 * reconnection. `connected` is the state the health endpoint reports.
 */
import {
  connect,
  credsAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';

/** How the edge proves who it is to NATS: a credentials file (JWT + nkey) or the site's user and password. */
export type NatsAuth =
  { kind: 'creds'; creds: string } | { kind: 'password'; user: string; password: string };

export interface NatsLinkOptions {
  url: string;
  /** Null for a server without authorization (development). */
  auth: NatsAuth | null;
  name: string;
  retryDelayMs?: number;
}

export interface NatsLinkObserver {
  /**
   * A connection attempt failed (server down, wrong password, TLS). Called once per distinct error
   * message in a row, so a long outage does not flood the log; never carries the password.
   */
  onUplinkError?: (error: unknown) => void;
}

function authOptions(auth: NatsAuth | null): Partial<ConnectionOptions> {
  if (auth === null) return {};
  if (auth.kind === 'creds')
    return { authenticator: credsAuthenticator(new TextEncoder().encode(auth.creds)) };
  return { user: auth.user, pass: auth.password };
}

export class NatsLink {
  private nc: NatsConnection | null = null;
  private isConnected = false;
  private stopped = false;
  private readonly ready: Promise<NatsConnection | null>;
  private wake: (() => void) | null = null;

  constructor(
    private readonly options: NatsLinkOptions,
    private readonly observer: NatsLinkObserver = {},
  ) {
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
    let lastError: string | null = null;
    while (!this.stopped) {
      try {
        const nc = await connect({
          servers: this.options.url,
          name: this.options.name,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          timeout: 2000,
          ...authOptions(this.options.auth),
        });
        if (this.stopped) {
          await nc.close();
          return null;
        }
        this.nc = nc;
        this.isConnected = true;
        void this.watchStatus(nc);
        return nc;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) this.observer.onUplinkError?.(error);
        lastError = message;
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
