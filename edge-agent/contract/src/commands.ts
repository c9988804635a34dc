/**
 * Version-neutral commands the cloud sends to a site's edge agent (NATS request/reply on
 * `commandSubject(siteId)`), and the result the edge replies with. The edge encodes each command for
 * the station's OCPP version; a command a version cannot express is answered `not_supported`.
 */
import { z } from 'zod';
import { IdToken } from './events.js';

const evseId = z.number().int().min(0);
const connectorId = z.number().int().min(0);

/** A 1.6 configuration key is `{ variable: key }`; a 2.0.1 variable also names its component. */
export const SettingRef = z.object({
  component: z.string().min(1).max(50).nullable(),
  componentInstance: z.string().max(50).nullable(),
  evseId: evseId.nullable(),
  variable: z.string().min(1).max(50),
  variableInstance: z.string().max(50).nullable(),
});
export type SettingRef = z.infer<typeof SettingRef>;

const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

export const Command = z.discriminatedUnion('type', [
  cmd('remote_start', { evseId: evseId.nullable(), idToken: IdToken }),
  cmd('remote_stop', { transactionId: z.string().min(1).max(64) }),
  cmd('reset', { kind: z.enum(['soft', 'hard']) }),
  cmd('unlock_connector', { evseId, connectorId }),
  /** evseId 0 means the whole station. */
  cmd('change_availability', { evseId, operative: z.boolean() }),
  cmd('get_configuration', { settings: z.array(SettingRef).max(100) }),
  cmd('change_configuration', { setting: SettingRef, value: z.string().max(1000) }),
  cmd('trigger_message', {
    message: z.enum([
      'boot_notification',
      'heartbeat',
      'status_notification',
      'meter_values',
      'firmware_status',
      'diagnostics_status',
    ]),
    evseId: evseId.nullable(),
  }),
  cmd('clear_cache', {}),
  cmd('data_transfer', {
    vendorId: z.string().min(1).max(255),
    messageId: z.string().max(50).nullable(),
    data: z.string().max(10_000).nullable(),
  }),
]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];

export const CommandRequest = z.object({
  id: z.string().uuid(),
  stationId: z.string().min(1).max(48),
  /** How long the edge waits for the station's answer before replying `timeout`. */
  timeoutMs: z.number().int().min(100).max(300_000),
  command: Command,
});
export type CommandRequest = z.infer<typeof CommandRequest>;

export const COMMAND_OUTCOMES = [
  'accepted',
  'rejected',
  'scheduled',
  'offline',
  'timeout',
  'not_supported',
  'invalid',
  'error',
] as const;
export const CommandOutcome = z.enum(COMMAND_OUTCOMES);
export type CommandOutcome = z.infer<typeof CommandOutcome>;

export const SettingValue = z.object({
  setting: SettingRef,
  value: z.string().nullable(),
  readonly: z.boolean().nullable(),
  /** Per-setting status where the version reports one (2.0.1 GetVariableStatus, 1.6 unknownKey). */
  status: z.enum(['accepted', 'rejected', 'unknown_component', 'unknown_variable', 'not_supported']),
});
export type SettingValue = z.infer<typeof SettingValue>;

export const CommandResult = z.object({
  id: z.string().uuid(),
  outcome: CommandOutcome,
  /** Human-readable reason for anything but `accepted`, e.g. the station's status info or CALLERROR. */
  detail: z.string().max(1000).nullable(),
  /** Values returned by read commands (get_configuration) and data_transfer replies. */
  settings: z.array(SettingValue).nullable(),
  data: z.string().max(10_000).nullable(),
});
export type CommandResult = z.infer<typeof CommandResult>;
