/**
 * Runs one remote command for a user: sends it to the site's edge agent, then records it in the
 * command history and the audit log. The result is returned whatever the outcome; only storage
 * failures throw.
 */
import type { Command, CommandResult } from '@voltmesh/contract';
import type { AuditActor, AuditLog } from '../audit/audit-log.js';
import type { CommandStore, CommandTarget } from './command-store.js';
import type { CommandSender } from './nats-commands.js';

export interface CommandActor extends AuditActor {
  tenantId: string;
  userId: string;
  email: string;
}

export interface CommandRun extends CommandResult {
  durationMs: number;
}

export interface CommandServiceDeps {
  store: CommandStore;
  send: CommandSender;
  audit: AuditLog;
  now?: () => Date;
}

export type RunCommand = (
  actor: CommandActor,
  target: CommandTarget,
  command: Command,
) => Promise<CommandRun>;

export function createCommandRunner(deps: CommandServiceDeps): RunCommand {
  const now = deps.now ?? (() => new Date());
  return async function runCommand(actor, target, command) {
    const requestedAt = now();
    const started = performance.now();
    const result = await deps.send(target, command);
    const durationMs = Math.round(performance.now() - started);
    await deps.store.save({
      id: result.id,
      tenantId: actor.tenantId,
      stationId: target.stationId,
      userId: actor.userId,
      userEmail: actor.email,
      command,
      result,
      ip: actor.ip,
      requestedAt,
      durationMs,
    });
    await deps.audit.record({
      actor,
      action: 'command.sent',
      target: { type: 'station', id: target.stationId },
      details: {
        commandId: result.id,
        stationIdentity: target.stationIdentity,
        siteCode: target.siteCode,
        command: redact(command),
        outcome: result.outcome,
        detail: result.detail,
        durationMs,
      },
    });
    return { ...result, durationMs };
  };
}

/** data_transfer payloads are vendor-defined and may be large; the audit keeps their size only. */
function redact(command: Command): unknown {
  if (command.type !== 'data_transfer' || command.data === null) return command;
  return { ...command, data: `(${command.data.length} characters)` };
}
