/** HTTP shapes of the command and force-stop endpoints (request validation and OpenAPI). */
import { z } from '@hono/zod-openapi';
import { Command, COMMAND_OUTCOMES, SettingValue } from '@voltmesh/contract';
import { FORCE_STOP_ACTIONS } from './force-stop.js';

export const CommandBody = Command.openapi('Command');

export const CommandResponse = z
  .object({
    id: z.string().uuid(),
    outcome: z.enum(COMMAND_OUTCOMES),
    detail: z.string().nullable(),
    settings: z.array(SettingValue).nullable(),
    data: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .openapi('CommandResponse');

const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
export const PageQuery = z.object(paging);

export const CommandHistory = z
  .object({
    items: z.array(
      z.object({
        id: z.string().uuid(),
        type: z.string(),
        command: z.record(z.string(), z.unknown()),
        outcome: z.enum(COMMAND_OUTCOMES),
        detail: z.string().nullable(),
        userEmail: z.string(),
        requestedAt: z.string(),
        durationMs: z.number().int(),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('CommandHistory');

export const ActiveTransactions = z
  .object({
    items: z.array(
      z.object({
        sessionId: z.string().uuid(),
        transactionId: z.string(),
        evseId: z.number().int().nullable(),
        connectorId: z.number().int().nullable(),
        idToken: z.string().nullable(),
        startedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('ActiveTransactions');

export const ForceStopBody = z
  .object({ reason: z.string().trim().min(3).max(500).openapi({ example: 'customer called: cable stuck' }) })
  .openapi('ForceStopBody');

export const ForceStopResponse = z
  .object({
    sessionId: z.string().uuid(),
    action: z.enum(FORCE_STOP_ACTIONS),
    command: CommandResponse.nullable(),
    session: z.object({
      status: z.string(),
      endedAt: z.string().nullable(),
      energyWh: z.number().nullable(),
    }),
  })
  .openapi('ForceStopResponse');
