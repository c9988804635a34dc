/**
 * A 1.6 station's CALLRESULT to the command outcome. Status words per command are in exhaustive
 * tables; a status the table does not know is an `error` naming it, never a guessed outcome.
 */
import type { Command, CommandOutcome, CommandResult, SettingValue } from '@voltmesh/contract';
import { arrayField, isRecord, stringField } from '@voltmesh/ocpp';

type Decoded = Omit<CommandResult, 'id'>;

const GENERIC = { Accepted: 'accepted', Rejected: 'rejected' } as const;

/** Outcome per status word, per command (1.6 §6: each .conf status enumeration). */
const OUTCOMES: Readonly<Record<Command['type'], Readonly<Record<string, CommandOutcome>>>> = {
  remote_start: GENERIC,
  remote_stop: GENERIC,
  reset: GENERIC,
  unlock_connector: { Unlocked: 'accepted', UnlockFailed: 'rejected', NotSupported: 'not_supported' },
  change_availability: { ...GENERIC, Scheduled: 'scheduled' },
  get_configuration: {},
  // RebootRequired: accepted, but effective only after a reboot, i.e. scheduled.
  change_configuration: { ...GENERIC, RebootRequired: 'scheduled', NotSupported: 'not_supported' },
  trigger_message: { ...GENERIC, NotImplemented: 'not_supported' },
  clear_cache: GENERIC,
  data_transfer: { ...GENERIC, UnknownMessageId: 'not_supported', UnknownVendorId: 'not_supported' },
};

function result(outcome: CommandOutcome, detail: string | null, extra: Partial<Decoded> = {}): Decoded {
  return { outcome, detail, settings: null, data: null, ...extra };
}

function decodeConfiguration(reply: unknown): Decoded {
  const known = arrayField(reply, 'configurationKey') ?? [];
  const unknown = arrayField(reply, 'unknownKey') ?? [];
  const setting = (variable: string) => ({
    component: null,
    componentInstance: null,
    evseId: null,
    variable,
    variableInstance: null,
  });
  const settings: SettingValue[] = [];
  for (const entry of known) {
    const key = stringField(entry, 'key');
    if (key === null || !isRecord(entry)) continue;
    settings.push({
      setting: setting(key),
      value: stringField(entry, 'value'),
      readonly: typeof entry['readonly'] === 'boolean' ? entry['readonly'] : null,
      status: 'accepted',
    });
  }
  for (const key of unknown) {
    if (typeof key === 'string') {
      settings.push({ setting: setting(key), value: null, readonly: null, status: 'unknown_variable' });
    }
  }
  return result('accepted', null, { settings });
}

export function decode16(command: Command, reply: unknown): Decoded {
  if (command.type === 'get_configuration') return decodeConfiguration(reply);
  const status = stringField(reply, 'status');
  if (status === null) return result('error', 'reply has no status');
  const outcome = OUTCOMES[command.type][status];
  if (!outcome) return result('error', `unexpected status ${status}`);
  const detail = outcome === 'accepted' ? null : `station answered ${status}`;
  if (command.type === 'data_transfer') return result(outcome, detail, { data: stringField(reply, 'data') });
  return result(outcome, detail);
}
