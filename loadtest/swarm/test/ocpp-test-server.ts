/**
 * A real OCPP server for the swarm's tests: ocpp-rpc's RPCServer in strict mode for 1.6 and
 * 2.0.1, so every frame a simulated station sends is checked against the official schemas.
 * It records every CALL it receives and answers like a permissive CSMS.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';

/**
 * OCPP frames as the tests read them: structurally, field by field. Typing them fully would only
 * restate the schemas the server already enforces.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ReceivedCall {
  identity: string;
  protocol: string | undefined;
  method: string;
  params: Json;
  reply: Json;
}

export interface BootReply {
  status: 'Accepted' | 'Pending' | 'Rejected';
  interval: number;
}

export interface TestServerOptions {
  /** Answer to the nth (1-based) BootNotification of a station. */
  boot?: (identity: string, nth: number) => BootReply;
  /** Per-identity passwords; stations not listed may connect without one. */
  passwords?: Record<string, string>;
}

export interface TestServer {
  url: string;
  received: ReceivedCall[];
  schemaFailures: unknown[];
  authFailures: string[];
  calls(identity: string, method?: string): ReceivedCall[];
  /** Sends a command to a connected station; rejects if its answer fails schema validation. */
  command(identity: string, method: string, params: unknown, callTimeoutMs?: number): Promise<Json>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server = new RPCServer({
    protocols: ['ocpp1.6', 'ocpp2.0.1'],
    strictMode: true,
    callTimeoutMs: 5000,
  });
  const received: ReceivedCall[] = [];
  const schemaFailures: unknown[] = [];
  const authFailures: string[] = [];
  const clients = new Map<string, Json>();
  const boots = new Map<string, number>();
  let nextTxId = 1000;

  server.auth((accept, reject, handshake) => {
    const expected = options.passwords?.[handshake.identity];
    if (expected !== undefined && handshake.password?.toString('utf8') !== expected) {
      authFailures.push(handshake.identity);
      reject(401, 'bad password');
      return;
    }
    accept({});
  });

  const answer = (identity: string, protocol: string | undefined, method: string, params: Json): Json => {
    const now = new Date().toISOString();
    const v16 = protocol === 'ocpp1.6';
    switch (method) {
      case 'BootNotification': {
        const nth = (boots.get(identity) ?? 0) + 1;
        boots.set(identity, nth);
        const r = options.boot?.(identity, nth) ?? { status: 'Accepted', interval: 1 };
        return { ...r, currentTime: now };
      }
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize': {
        const tag = v16 ? params.idTag : params.idToken.idToken;
        const status = String(tag).startsWith('BAD') ? 'Invalid' : 'Accepted';
        return v16 ? { idTagInfo: { status } } : { idTokenInfo: { status } };
      }
      case 'StartTransaction':
        return { transactionId: nextTxId++, idTagInfo: { status: 'Accepted' } };
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'DataTransfer':
        return { status: 'Accepted' };
      default:
        return {};
    }
  };

  server.on('client', (client: Json) => {
    const identity: string = client.identity;
    clients.set(identity, client);
    client.on('strictValidationFailure', (e: unknown) => schemaFailures.push(e));
    client.on('close', () => {
      if (clients.get(identity) === client) clients.delete(identity);
    });
    client.handle(({ method, params }: { method: string; params: Json }) => {
      const reply = answer(identity, client.protocol, method, params);
      received.push({ identity, protocol: client.protocol, method, params, reply });
      return Promise.resolve(reply);
    });
  });

  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    received,
    schemaFailures,
    authFailures,
    calls: (identity, method) =>
      received.filter((r) => r.identity === identity && (method === undefined || r.method === method)),
    command: (identity, method, params, callTimeoutMs) => {
      const client = clients.get(identity);
      if (!client) return Promise.reject(new Error(`${identity} is not connected`));
      return client.call(method, params, callTimeoutMs === undefined ? {} : { callTimeoutMs });
    },
    close: () => server.close({ code: 1001, force: true }),
  };
}

/** Polls until the predicate holds; bounded so a broken test fails instead of hanging. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Energy register readings (Wh) in the order the server received them. */
export function energyReadings(calls: readonly ReceivedCall[]): number[] {
  const out: number[] = [];
  for (const c of calls) {
    if (c.method === 'StartTransaction') out.push(c.params.meterStart);
    const mvs =
      c.method === 'MeterValues' || c.method === 'TransactionEvent' ? (c.params.meterValue ?? []) : [];
    for (const mv of mvs) {
      for (const sv of mv.sampledValue) {
        if (sv.measurand === 'Energy.Active.Import.Register') out.push(Number(sv.value));
      }
    }
    if (c.method === 'StopTransaction') out.push(c.params.meterStop);
  }
  return out;
}

export function isTransactionMessage(c: ReceivedCall): boolean {
  return (
    ['StartTransaction', 'StopTransaction', 'TransactionEvent'].includes(c.method) ||
    (c.method === 'MeterValues' && c.params.transactionId !== undefined)
  );
}

/**
 * Drops retransmissions: a charger resends a transaction message whose answer it never got
 * (at-least-once delivery), so the server may see the same frame twice. A resend has the same
 * method and payload as the original.
 */
export function withoutRetransmissions(calls: readonly ReceivedCall[]): ReceivedCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => {
    const key = `${c.identity} ${c.method} ${JSON.stringify(c.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
