/**
 * The OCPP-J transport of one station: an ocpp-rpc RPCClient in strict mode (every frame checked
 * against the OCA schemas before it leaves), command handlers from the dialect, and calls with
 * latency and error accounting.
 */
import ocppRpc, { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client.js';
import type { Call, CommandHandler, StationControl } from './dialect.js';
import { SwarmError, SwarmErrorCode } from './errors.js';
import type { SwarmEventListener } from './events.js';
import type { OcppVersion } from './options.js';
import type { SwarmStats } from './stats.js';

export interface OcppClientOptions {
  identity: string;
  url: string;
  version: OcppVersion;
  password: string | undefined;
  callTimeoutMs: number;
  commands: Readonly<Record<string, CommandHandler>>;
  control: StationControl;
  stats: SwarmStats;
  emit: SwarmEventListener;
  isStopped: () => boolean;
  /** Boot Rejected: the station sends nothing at all, not even answers (OCPP 1.6 §4.2.1). */
  isSilenced: () => boolean;
}

// ocpp-rpc's typings describe NOREPLY as an object; at runtime it is the symbol a handler returns
// to send no answer. It is not a named ESM export of the CommonJS package, hence the default import.
const noReply = ocppRpc.NOREPLY as unknown as symbol;

export function createOcppClient(o: OcppClientOptions): RPCClient {
  const client = new RPCClient({
    identity: o.identity,
    endpoint: o.url,
    protocols: [o.version],
    strictMode: true,
    // The station decides when to reconnect (network drops, reboots), not the transport.
    reconnect: false,
    callTimeoutMs: o.callTimeoutMs,
    pingIntervalMs: 60_000,
    ...(o.password !== undefined ? { password: o.password } : {}),
  } as Partial<RPC_ClientOptions> as RPC_ClientOptions);

  for (const [action, handler] of Object.entries(o.commands)) {
    client.handle(action, ({ params }) => {
      if (o.isStopped()) throw new SwarmError(SwarmErrorCode.Stopped, 'station stopped');
      if (o.isSilenced()) return Promise.resolve(noReply as unknown as Record<string, unknown>);
      o.emit({ type: 'command', identity: o.identity, action });
      return Promise.resolve(handler(params ?? {}, o.control));
    });
  }

  client.on('strictValidationFailure', (e: { method?: string; outbound?: boolean; error?: unknown }) => {
    o.stats.schemaErrors++;
    o.emit({
      type: 'schema_violation',
      identity: o.identity,
      action: e.method ?? 'unknown',
      outbound: e.outbound === true,
      message: errorMessage(e.error),
    });
  });
  return client;
}

/** One CALL with latency and error accounting; failures are counted, emitted and rethrown. */
export async function callCounted(
  client: RPCClient,
  call: Call,
  o: Pick<OcppClientOptions, 'identity' | 'stats' | 'emit'>,
): Promise<unknown> {
  const started = performance.now();
  o.stats.messagesSent++;
  try {
    const result = await client.call(call.method, call.params);
    o.stats.latency.record(performance.now() - started);
    return result ?? {};
  } catch (err) {
    o.stats.errors++;
    o.emit({
      type: 'call_failed',
      identity: o.identity,
      action: call.method,
      message: errorMessage(err),
      errorCode: rpcErrorCode(err),
    });
    throw err;
  }
}

/**
 * The OCPP error code of a CALLERROR (or of our own strict-mode refusal). Read structurally:
 * ocpp-rpc is CommonJS and its error classes are not named exports under Node's ESM loader.
 */
export function rpcErrorCode(err: unknown): string | undefined {
  const code = (err as { rpcErrorCode?: unknown } | null)?.rpcErrorCode;
  return typeof code === 'string' ? code : undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
