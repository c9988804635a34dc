/**
 * Version-neutral commands to 2.0.1 CALLs. Where 2.0.1 cannot express a command exactly (a variable
 * without a component, "read every setting", a token type outside IdTokenEnumType) the answer is
 * `unsupported` with the reason, never an approximation.
 */
import { randomInt } from 'node:crypto';
import type { Command, SettingRef } from '@voltmesh/contract';
import type {
  Actions201,
  ComponentType,
  IdTokenEnumType,
  Request201,
  VariableType,
} from '@voltmesh/ocpp/v201';

export type Encoded = { action: string; payload: Record<string, unknown> } | { unsupported: string };

function call<A extends keyof Actions201>(action: A, payload: Request201<A>): Encoded {
  return { action, payload: { ...payload } };
}

/** 2.0.1 schema limits (identifierString 36, component/variable names 50, attributeValue 1000). */
const ID_TOKEN_MAX = 36;
const TRANSACTION_ID_MAX = 36;

const ID_TOKEN_TYPES: readonly string[] = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] satisfies IdTokenEnumType[];

function isIdTokenType(type: string): type is IdTokenEnumType {
  return ID_TOKEN_TYPES.includes(type);
}

function variableRef(
  setting: SettingRef,
): { component: ComponentType; variable: VariableType } | { unsupported: string } {
  if (setting.component === null) {
    return { unsupported: `2.0.1 variables belong to a component; ${setting.variable} names none` };
  }
  return {
    component: {
      name: setting.component,
      ...(setting.componentInstance === null ? {} : { instance: setting.componentInstance }),
      ...(setting.evseId === null ? {} : { evse: { id: setting.evseId } }),
    },
    variable: {
      name: setting.variable,
      ...(setting.variableInstance === null ? {} : { instance: setting.variableInstance }),
    },
  };
}

const TRIGGERS = {
  boot_notification: 'BootNotification',
  heartbeat: 'Heartbeat',
  status_notification: 'StatusNotification',
  meter_values: 'MeterValues',
  firmware_status: 'FirmwareStatusNotification',
  // 2.0.1 replaced diagnostics uploads with log uploads (GetLog / LogStatusNotification).
  diagnostics_status: 'LogStatusNotification',
} as const satisfies Record<Extract<Command, { type: 'trigger_message' }>['message'], string>;

/**
 * RequestStartTransaction needs a remoteStartId the station echoes in its TransactionEvent; the
 * codec has no clock or counter, so it draws a random positive int32 (node:crypto is not I/O).
 */
function remoteStartId(): number {
  return randomInt(1, 2 ** 31 - 1);
}

export function encode201(command: Command): Encoded {
  switch (command.type) {
    case 'remote_start': {
      const { id, type } = command.idToken;
      if (id.length > ID_TOKEN_MAX)
        return { unsupported: `2.0.1 idTokens are at most ${ID_TOKEN_MAX} characters` };
      if (!isIdTokenType(type)) return { unsupported: `idToken type ${type} is not a 2.0.1 IdTokenEnumType` };
      // F01: evseId, when given, SHALL be > 0.
      if (command.evseId === 0) return { unsupported: '2.0.1 cannot start a transaction on EVSE 0' };
      return call('RequestStartTransaction', {
        idToken: { idToken: id, type },
        remoteStartId: remoteStartId(),
        ...(command.evseId === null ? {} : { evseId: command.evseId }),
      });
    }
    case 'remote_stop':
      if (command.transactionId.length > TRANSACTION_ID_MAX) {
        return { unsupported: `2.0.1 transaction ids are at most ${TRANSACTION_ID_MAX} characters` };
      }
      return call('RequestStopTransaction', { transactionId: command.transactionId });
    case 'reset':
      // 2.0.1 (B11/B12) has no hardware/software distinction. Both 1.6 kinds end ongoing
      // transactions now and restart (1.6 §5.14), which is Immediate (transactions end with
      // stoppedReason ImmediateReset). OnIdle would instead wait for transactions to finish, a
      // behaviour neither kind asks for, so it is never chosen here.
      return call('Reset', { type: 'Immediate' });
    case 'unlock_connector':
      return call('UnlockConnector', { evseId: command.evseId, connectorId: command.connectorId });
    case 'change_availability':
      return call('ChangeAvailability', {
        operationalStatus: command.operative ? 'Operative' : 'Inoperative',
        // No evse means the whole station (G03).
        ...(command.evseId === 0 ? {} : { evse: { id: command.evseId } }),
      });
    case 'get_configuration': {
      if (command.settings.length === 0) {
        return {
          unsupported:
            '2.0.1 reads all variables with GetBaseReport (answered by NotifyReport), not GetVariables',
        };
      }
      const getVariableData = [];
      for (const setting of command.settings) {
        const ref = variableRef(setting);
        if ('unsupported' in ref) return ref;
        getVariableData.push(ref);
      }
      return call('GetVariables', { getVariableData });
    }
    case 'change_configuration': {
      const ref = variableRef(command.setting);
      if ('unsupported' in ref) return ref;
      return call('SetVariables', { setVariableData: [{ ...ref, attributeValue: command.value }] });
    }
    case 'trigger_message':
      return call('TriggerMessage', {
        requestedMessage: TRIGGERS[command.message],
        ...(command.evseId ? { evse: { id: command.evseId } } : {}),
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
