/**
 * Version-neutral commands to 1.6 CALLs. Where 1.6 cannot express a command exactly (a token longer
 * than CiString20, a configuration key with a component, a non-numeric transaction id) the answer is
 * `unsupported` with the reason, never an approximation.
 */
import type { Command, SettingRef } from '@voltmesh/contract';
import type { Actions16, Request16 } from '@voltmesh/ocpp/v16';

export type Encoded = { action: string; payload: Record<string, unknown> } | { unsupported: string };

function call<A extends keyof Actions16>(action: A, payload: Request16<A>): Encoded {
  return { action, payload: { ...payload } };
}

/** 1.6 schema limits (CiString20/50/500). */
const ID_TAG_MAX = 20;
const KEY_MAX = 50;
const VALUE_MAX = 500;

/** A 1.6 configuration key is a bare name: anything that addresses more than that cannot be sent. */
function configurationKey(setting: SettingRef): string | { unsupported: string } {
  if (
    setting.component !== null ||
    setting.componentInstance !== null ||
    setting.evseId !== null ||
    setting.variableInstance !== null
  ) {
    return {
      unsupported: `1.6 configuration keys have no component, instance or EVSE (${setting.variable})`,
    };
  }
  if (setting.variable.length > KEY_MAX)
    return { unsupported: `1.6 configuration keys are at most ${KEY_MAX} characters` };
  return setting.variable;
}

/** 1.6 connector N is EVSE N with connector 1 (contract/events.ts addressing rule), in reverse. */
function connectorOf(evseId: number, connectorId: number): number | null {
  return connectorId === 1 && evseId > 0 ? evseId : null;
}

const TRIGGERS = {
  boot_notification: 'BootNotification',
  heartbeat: 'Heartbeat',
  status_notification: 'StatusNotification',
  meter_values: 'MeterValues',
  firmware_status: 'FirmwareStatusNotification',
  diagnostics_status: 'DiagnosticsStatusNotification',
} as const satisfies Record<Extract<Command, { type: 'trigger_message' }>['message'], string>;

export function encode16(command: Command): Encoded {
  switch (command.type) {
    case 'remote_start': {
      if (command.idToken.id.length > ID_TAG_MAX)
        return { unsupported: `1.6 idTags are at most ${ID_TAG_MAX} characters` };
      // §6.33 RemoteStartTransaction.req: connectorId SHALL be > 0; null lets the charger choose.
      if (command.evseId === 0) return { unsupported: '1.6 cannot start a transaction on connector 0' };
      return call('RemoteStartTransaction', {
        idTag: command.idToken.id,
        ...(command.evseId === null ? {} : { connectorId: command.evseId }),
      });
    }
    case 'remote_stop': {
      if (
        !/^-?\d{1,10}$/.test(command.transactionId) ||
        !Number.isSafeInteger(Number(command.transactionId))
      ) {
        return { unsupported: `1.6 transaction ids are integers, got ${command.transactionId}` };
      }
      return call('RemoteStopTransaction', { transactionId: Number(command.transactionId) });
    }
    case 'reset':
      return call('Reset', { type: command.kind === 'hard' ? 'Hard' : 'Soft' });
    case 'unlock_connector': {
      const connectorId = connectorOf(command.evseId, command.connectorId);
      if (connectorId === null) {
        return {
          unsupported: `1.6 has no connector for EVSE ${command.evseId} connector ${command.connectorId}`,
        };
      }
      return call('UnlockConnector', { connectorId });
    }
    case 'change_availability':
      return call('ChangeAvailability', {
        connectorId: command.evseId,
        type: command.operative ? 'Operative' : 'Inoperative',
      });
    case 'get_configuration': {
      const keys: string[] = [];
      for (const setting of command.settings) {
        const key = configurationKey(setting);
        if (typeof key !== 'string') return key;
        keys.push(key);
      }
      // An empty list asks for every key (§6.23 GetConfiguration.req: "If the list is empty... all").
      return call('GetConfiguration', keys.length > 0 ? { key: keys } : {});
    }
    case 'change_configuration': {
      const key = configurationKey(command.setting);
      if (typeof key !== 'string') return key;
      if (command.value.length > VALUE_MAX)
        return { unsupported: `1.6 configuration values are at most ${VALUE_MAX} characters` };
      return call('ChangeConfiguration', { key, value: command.value });
    }
    case 'trigger_message':
      return call('TriggerMessage', {
        requestedMessage: TRIGGERS[command.message],
        // connectorId is only for messages about one connector; null or 0 means the station.
        ...(command.evseId ? { connectorId: command.evseId } : {}),
      });
    case 'clear_cache':
      return call('ClearCache', {});
    case 'data_transfer':
      return call('DataTransfer', {
        vendorId: command.vendorId,
        ...(command.messageId === null ? {} : { messageId: command.messageId }),
        ...(command.data === null ? {} : { data: command.data }),
      });
  }
}
