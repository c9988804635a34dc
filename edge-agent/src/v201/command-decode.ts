/**
 * A 2.0.1 station's CALLRESULT to the command outcome, with `detail` from statusInfo where the
 * station sent one. A status the tables do not know is an `error` naming it, never a guess.
 */
import type { Command, CommandOutcome, CommandResult, SettingValue } from '@voltmesh/contract';
import { arrayField, isRecord, statusInfoText, stringField } from '@voltmesh/ocpp';

type Decoded = Omit<CommandResult, 'id'>;

const GENERIC = { Accepted: 'accepted', Rejected: 'rejected' } as const;

const OUTCOMES: Readonly<
  Record<Exclude<Command['type'], 'get_configuration'>, Readonly<Record<string, CommandOutcome>>>
> = {
  remote_start: GENERIC,
  remote_stop: GENERIC,
  reset: { ...GENERIC, Scheduled: 'scheduled' },
  unlock_connector: {
    Unlocked: 'accepted',
    UnlockFailed: 'rejected',
    OngoingAuthorizedTransaction: 'rejected',
    UnknownConnector: 'rejected',
  },
  change_availability: { ...GENERIC, Scheduled: 'scheduled' },
  // Read from setVariableResult[0].attributeStatus; RebootRequired takes effect later.
  change_configuration: {
    ...GENERIC,
    RebootRequired: 'scheduled',
    UnknownComponent: 'rejected',
    UnknownVariable: 'rejected',
    NotSupportedAttributeType: 'not_supported',
  },
  trigger_message: { ...GENERIC, NotImplemented: 'not_supported' },
  clear_cache: GENERIC,
  data_transfer: { ...GENERIC, UnknownMessageId: 'not_supported', UnknownVendorId: 'not_supported' },
};

const GET_STATUS: Readonly<Record<string, SettingValue['status']>> = {
  Accepted: 'accepted',
  Rejected: 'rejected',
  UnknownComponent: 'unknown_component',
  UnknownVariable: 'unknown_variable',
  NotSupportedAttributeType: 'not_supported',
};

const DATA_MAX = 10_000;

function result(outcome: CommandOutcome, detail: string | null, extra: Partial<Decoded> = {}): Decoded {
  return { outcome, detail, settings: null, data: null, ...extra };
}

function settingOf(entry: Record<string, unknown>): SettingValue['setting'] | null {
  const component = entry['component'];
  const variable = entry['variable'];
  const componentName = stringField(component, 'name');
  const variableName = stringField(variable, 'name');
  if (componentName === null || variableName === null) return null;
  const evse = isRecord(component) ? component['evse'] : undefined;
  const evseId = isRecord(evse) && typeof evse['id'] === 'number' ? evse['id'] : null;
  return {
    component: componentName,
    componentInstance: stringField(component, 'instance'),
    evseId,
    variable: variableName,
    variableInstance: stringField(variable, 'instance'),
  };
}

function decodeGetVariables(reply: unknown): Decoded {
  const settings: SettingValue[] = [];
  for (const entry of arrayField(reply, 'getVariableResult') ?? []) {
    if (!isRecord(entry)) continue;
    const setting = settingOf(entry);
    const status = GET_STATUS[stringField(entry, 'attributeStatus') ?? ''];
    if (!setting || !status) continue;
    // GetVariables does not say whether a variable is writable (that is GetReport's job).
    settings.push({ setting, value: stringField(entry, 'attributeValue'), readonly: null, status });
  }
  return result('accepted', null, { settings });
}

/** 2.0.1 DataTransfer.data is any JSON; the normalized result carries text. */
function dataText(reply: unknown): { data: string | null; note: string | null } {
  const data = isRecord(reply) ? reply['data'] : undefined;
  if (data === undefined || data === null) return { data: null, note: null };
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  if (text.length > DATA_MAX)
    return { data: null, note: `reply data longer than ${DATA_MAX} characters was not kept` };
  return { data: text, note: null };
}

export function decode201(command: Command, reply: unknown): Decoded {
  if (command.type === 'get_configuration') return decodeGetVariables(reply);
  const source =
    command.type === 'change_configuration' ? (arrayField(reply, 'setVariableResult')?.[0] ?? null) : reply;
  const status = stringField(source, command.type === 'change_configuration' ? 'attributeStatus' : 'status');
  if (status === null) return result('error', 'reply has no status');
  const outcome = OUTCOMES[command.type][status];
  if (!outcome) return result('error', `unexpected status ${status}`);
  const info =
    command.type === 'change_configuration' && isRecord(source)
      ? statusInfoText({ statusInfo: source['attributeStatusInfo'] })
      : statusInfoText(reply);
  const detail = outcome === 'accepted' ? info : (info ?? `station answered ${status}`);
  if (command.type !== 'data_transfer') return result(outcome, detail);
  const { data, note } = dataText(reply);
  return result(outcome, note ?? detail, { data });
}
