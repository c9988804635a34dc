/**
 * Commands from the cloud: NATS request/reply on `commandSubject(siteId)`. Each request is parsed,
 * encoded with the station's version codec, sent to the station as a CALL and answered with a
 * `CommandResult`. Outcomes: `invalid` (bad request), `offline` (station not connected),
 * `not_supported` (the version cannot express it), `timeout` (no answer in `timeoutMs`), `error`
 * (CALLERROR, with its code in `detail`), `rejected` with `registration_pending:` /
 * `registration_rejected:` in `detail` when the station's registration does not allow the command,
 * otherwise what the codec reads from the station's reply.
 */
import type { Msg, Subscription } from '@nats-io/transport-node';
import { commandSubject, CommandRequest, type CommandResult } from '@voltmesh/contract';
import { RPCError, TimeoutError } from '../ocpp-rpc.js';
import type { ProtocolBindings } from '../protocols.js';
import type { ConnectedStation } from '../transport/ocpp-server.js';
import type { NatsLink } from '../nats/nats-link.js';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface CommandObserver {
  onCommand?: (info: { id: string; stationId: string | null; type: string | null; outcome: string }) => void;
}

export interface CommandExecutorDeps {
  station(stationId: string): ConnectedStation | undefined;
  protocols: ProtocolBindings;
}

/** The transport-independent part: one request in, one result out. */
export async function executeCommand(deps: CommandExecutorDeps, raw: unknown): Promise<CommandResult> {
  const parsed = CommandRequest.safeParse(raw);
  if (!parsed.success) {
    const id = readId(raw);
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return result(id, 'invalid', detail.slice(0, 1000));
  }
  const req = parsed.data;
  const station = deps.station(req.stationId);
  if (!station) return result(req.id, 'offline', `station ${req.stationId} is not connected`);
  const codec = deps.protocols[station.version].commands;
  const encoded = codec.encode(req.command);
  if ('unsupported' in encoded) return result(req.id, 'not_supported', encoded.unsupported);
  const refusal = registrationRefusal(station, deps.protocols, encoded.action);
  if (refusal) return result(req.id, 'rejected', refusal);

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), req.timeoutMs);
  });
  try {
    const reply = await Promise.race([
      station.call(encoded.action, encoded.payload, req.timeoutMs),
      timedOut,
    ]);
    if (reply === 'timeout') return result(req.id, 'timeout', `no answer within ${req.timeoutMs} ms`);
    return { ...codec.decode(req.command, reply), id: req.id };
  } catch (error) {
    if (error instanceof TimeoutError)
      return result(req.id, 'timeout', `no answer within ${req.timeoutMs} ms`);
    if (error instanceof RPCError) {
      const e = error as RPCError & { rpcErrorCode: string };
      return result(req.id, 'error', `${e.rpcErrorCode}: ${e.message}`.slice(0, 1000));
    }
    if (!deps.station(req.stationId))
      return result(req.id, 'offline', 'station disconnected during the call');
    return result(req.id, 'error', (error as Error).message.slice(0, 1000));
  } finally {
    clearTimeout(timer);
  }
}

export class CommandService {
  private sub: Subscription | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopper = new AbortController();

  constructor(
    private readonly siteId: string,
    private readonly link: NatsLink,
    private readonly deps: CommandExecutorDeps,
    private readonly observer: CommandObserver = {},
  ) {}

  async start(): Promise<void> {
    const nc = await this.link.whenReady(this.stopper.signal);
    if (!nc) return;
    this.sub = nc.subscribe(commandSubject(this.siteId), {
      callback: (err, msg) => {
        if (err) return;
        const p = this.handle(msg).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      },
    });
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.sub?.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(msg: Msg): Promise<void> {
    let raw: unknown;
    try {
      raw = msg.json();
    } catch {
      raw = undefined;
    }
    const res = await executeCommand(this.deps, raw);
    const r = raw as { stationId?: unknown; command?: { type?: unknown } } | undefined;
    this.observer.onCommand?.({
      id: res.id,
      stationId: typeof r?.stationId === 'string' ? r.stationId : null,
      type: typeof r?.command?.type === 'string' ? r.command.type : null,
      outcome: res.outcome,
    });
    if (msg.reply) msg.respond(JSON.stringify(res));
  }
}

/**
 * Not sent while the station is not accepted: nothing while Rejected (1.6 §4.2 "the Central System
 * SHOULD NOT initiate any"; 2.0.1 B03), and while Pending only what the version allows (1.6 §4.2: all
 * but RemoteStart/RemoteStopTransaction; 2.0.1 B02: device-model reads/writes and TriggerMessage).
 * The detail starts with a stable code the cloud can match on.
 */
function registrationRefusal(
  station: ConnectedStation,
  protocols: ProtocolBindings,
  action: string,
): string | null {
  const registration = station.registration();
  if (registration === 'rejected')
    return `registration_rejected: ${action} is not sent to a station whose BootNotification was Rejected`;
  if (registration === 'pending' && !protocols[station.version].registration.mayCallWhilePending(action))
    return `registration_pending: ${action} is not sent to a station whose registration is Pending`;
  return null;
}

function readId(raw: unknown): string {
  const id = (raw as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : NIL_UUID;
}

function result(id: string, outcome: CommandResult['outcome'], detail: string | null): CommandResult {
  return { id, outcome, detail, settings: null, data: null };
}
