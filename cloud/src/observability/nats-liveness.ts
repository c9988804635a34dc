/** Whether the NATS connection is up right now, from the client's own status events. */
import type { NatsConnection } from '@nats-io/transport-node';

export interface NatsLiveness {
  connected(): boolean;
  /** Resolves when the connection has closed and the status stream ended. */
  readonly done: Promise<void>;
}

export function trackNatsLiveness(nc: NatsConnection): NatsLiveness {
  let up = true;
  const done = (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') up = true;
    }
  })();
  return { connected: () => up && !nc.isClosed(), done };
}
