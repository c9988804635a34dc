/**
 * Sends one command to a site's edge agent over NATS request/reply and always comes back with a
 * `CommandResult`: NATS failures become outcomes (`offline` when no edge agent listens on the
 * site's subject, `timeout` when it does not answer in time) instead of exceptions.
 */
import { randomUUID } from 'node:crypto';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { commandSubject, CommandResult, type Command, type CommandRequest } from '@voltmesh/contract';

export interface CommandTransportOptions {
  /** How long the edge waits for the station (CommandRequest.timeoutMs). */
  stationTimeoutMs: number;
  /** Extra time the cloud waits for the edge's reply beyond the station's timeout. */
  natsSlackMs: number;
}

export const DEFAULT_COMMAND_TIMEOUTS: CommandTransportOptions = {
  stationTimeoutMs: 15_000,
  natsSlackMs: 3_000,
};

export interface SendTarget {
  siteCode: string;
  stationIdentity: string;
}

export type CommandSender = (target: SendTarget, command: Command, id?: string) => Promise<CommandResult>;

export function createCommandSender(
  nc: NatsConnection,
  options: CommandTransportOptions = DEFAULT_COMMAND_TIMEOUTS,
): CommandSender {
  return async function sendCommand(target, command, id = randomUUID()) {
    const request: CommandRequest = {
      id,
      stationId: target.stationIdentity,
      timeoutMs: options.stationTimeoutMs,
      command,
    };
    const waitMs = options.stationTimeoutMs + options.natsSlackMs;
    try {
      const reply = await nc.request(commandSubject(target.siteCode), JSON.stringify(request), {
        timeout: waitMs,
      });
      const parsed = CommandResult.safeParse(reply.json());
      if (!parsed.success)
        return failed(id, 'error', 'the edge agent sent a reply that is not a CommandResult');
      return parsed.data;
    } catch (error) {
      if (isNoResponders(error)) {
        return failed(
          id,
          'offline',
          `the edge agent of site ${target.siteCode} is unreachable (no edge agent is listening); the station itself may be fine`,
        );
      }
      if (isTimeout(error)) {
        return failed(
          id,
          'timeout',
          `the edge agent of site ${target.siteCode} did not answer within ${waitMs} ms`,
        );
      }
      const message = error instanceof Error ? error.message : String(error);
      return failed(id, 'error', `sending the command over NATS failed: ${message}`.slice(0, 1000));
    }
  };
}

function failed(id: string, outcome: CommandResult['outcome'], detail: string): CommandResult {
  return { id, outcome, detail, settings: null, data: null };
}

/** nats.js throws these directly or wrapped in a RequestError (`cause`). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error, i = 0; e !== undefined && e !== null && i < 5; i++) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

function isNoResponders(error: unknown): boolean {
  return causes(error).some(
    (e) => e instanceof errors.NoRespondersError || (e instanceof errors.RequestError && e.isNoResponders()),
  );
}

function isTimeout(error: unknown): boolean {
  return causes(error).some((e) => e instanceof errors.TimeoutError);
}
