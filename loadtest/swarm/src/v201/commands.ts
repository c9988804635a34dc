/**
 * Answers to every OCPP 2.0.1 command the edge can send, each with a real effect on the station.
 */
import type { CommandHandler, TriggerKind } from '../dialect.js';
import { variables201 } from './variables.js';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const triggerable = new Set<string>([
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'MeterValues',
  'TransactionEvent',
]);
const vendorId = 'Voltmesh';

/** Looks a component/variable pair up; the status says which part was unknown (2.0.1 B06). */
function lookup(item: Record<string, unknown>) {
  const component = record(item['component']);
  const variable = record(item['variable']);
  const vars = variables201[str(component['name'])];
  if (!vars) return { status: 'UnknownComponent', component, variable } as const;
  const def = vars[str(variable['name'])];
  if (!def) return { status: 'UnknownVariable', component, variable } as const;
  if (item['attributeType'] !== undefined && item['attributeType'] !== 'Actual') {
    return { status: 'NotSupportedAttributeType', component, variable } as const;
  }
  return { status: 'Accepted', component, variable, def } as const;
}

export const commands201: Readonly<Record<string, CommandHandler>> = {
  RequestStartTransaction: (p, station) => {
    const evseId = num(p['evseId']);
    if (evseId !== undefined && !station.connector(evseId)) return { status: 'Rejected' };
    const idToken = str(record(p['idToken'])['idToken']);
    const r = station.remoteStart(evseId, idToken, num(p['remoteStartId']));
    if (!r.accepted) return { status: 'Rejected' };
    return {
      status: 'Accepted',
      ...(r.transactionId !== undefined ? { transactionId: String(r.transactionId) } : {}),
    };
  },

  RequestStopTransaction: (p, station) => ({
    status: station.remoteStop((s) => s.transactionId === p['transactionId']) ? 'Accepted' : 'Rejected',
  }),

  Reset: (p, station) => {
    if (p['evseId'] !== undefined)
      return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } };
    return { status: station.reset('Hard', p['type'] === 'OnIdle') };
  },

  UnlockConnector: (p, station) => {
    const c = station.connector(num(p['evseId']) ?? -1);
    if (!c || p['connectorId'] !== 1) return { status: 'UnknownConnector' };
    // An authorised transaction keeps its cable locked (2.0.1 F05.FR.02).
    if (c.session) return { status: 'OngoingAuthorizedTransaction' };
    return { status: station.unlock(c.id) };
  },

  ChangeAvailability: (p, station) => {
    const evse = p['evse'] === undefined ? undefined : record(p['evse']);
    const evseId = evse ? (num(evse['id']) ?? -1) : 0;
    return { status: station.changeAvailability(evseId, p['operationalStatus'] === 'Operative') };
  },

  GetVariables: (p, station) => {
    const items = Array.isArray(p['getVariableData']) ? p['getVariableData'].map(record) : [];
    return {
      getVariableResult: items.map((item) => {
        const r = lookup(item);
        return {
          attributeStatus: r.status,
          component: r.component,
          variable: r.variable,
          ...(r.status === 'Accepted' ? { attributeType: 'Actual', attributeValue: r.def.get(station) } : {}),
        };
      }),
    };
  },

  SetVariables: (p, station) => {
    const items = Array.isArray(p['setVariableData']) ? p['setVariableData'].map(record) : [];
    return {
      setVariableResult: items.map((item) => {
        const r = lookup(item);
        let status: string = r.status;
        if (r.status === 'Accepted') {
          const patch = r.def.readonly || !r.def.set ? undefined : r.def.set(str(item['attributeValue']));
          if (patch) station.applySettings(patch);
          else status = 'Rejected';
        }
        return {
          attributeStatus: status,
          component: r.component,
          variable: r.variable,
          attributeType: 'Actual',
        };
      }),
    };
  },

  TriggerMessage: (p, station) => {
    const requested = str(p['requestedMessage']);
    if (!triggerable.has(requested)) return { status: 'NotImplemented' };
    const evse = p['evse'] === undefined ? undefined : record(p['evse']);
    return { status: station.trigger(requested as TriggerKind, evse ? num(evse['id']) : undefined) };
  },

  ClearCache: (_p, station) => {
    station.clearAuthCache();
    return { status: 'Accepted' };
  },

  DataTransfer: (p) => {
    if (p['vendorId'] !== vendorId) return { status: 'UnknownVendorId' };
    if (p['messageId'] === 'Echo')
      return { status: 'Accepted', ...(p['data'] !== undefined ? { data: p['data'] } : {}) };
    return { status: 'UnknownMessageId' };
  },
};
