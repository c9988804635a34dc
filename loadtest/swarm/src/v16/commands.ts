/**
 * Answers to every OCPP 1.6 command the edge can send, each with a real effect on the station.
 * Handlers return the CALLRESULT payload; the station applies the effect.
 */
import type { CommandHandler } from '../dialect.js';
import { configurationKeys16 } from './configuration.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const triggerable = new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues']);
const vendorId = 'Voltmesh';

export const commands16: Readonly<Record<string, CommandHandler>> = {
  RemoteStartTransaction: (p, station) => {
    const connectorId = num(p['connectorId']);
    if (connectorId !== undefined && !station.connector(connectorId)) return { status: 'Rejected' };
    return {
      status: station.remoteStart(connectorId, str(p['idTag']), undefined).accepted ? 'Accepted' : 'Rejected',
    };
  },

  RemoteStopTransaction: (p, station) => ({
    status: station.remoteStop((s) => s.transactionId === p['transactionId']) ? 'Accepted' : 'Rejected',
  }),

  Reset: (p, station) => {
    station.reset(p['type'] === 'Hard' ? 'Hard' : 'Soft', false);
    return { status: 'Accepted' };
  },

  UnlockConnector: (p, station) => {
    const r = station.unlock(num(p['connectorId']) ?? -1);
    return { status: r === 'Unlocked' ? 'Unlocked' : 'NotSupported' };
  },

  ChangeAvailability: (p, station) => ({
    status: station.changeAvailability(num(p['connectorId']) ?? -1, p['type'] === 'Operative'),
  }),

  GetConfiguration: (p, station) => {
    const wanted = Array.isArray(p['key'])
      ? p['key'].filter((k): k is string => typeof k === 'string')
      : undefined;
    const keys = wanted && wanted.length > 0 ? wanted : Object.keys(configurationKeys16);
    const configurationKey = [];
    const unknownKey: string[] = [];
    for (const key of keys) {
      const def = configurationKeys16[key];
      if (def) configurationKey.push({ key, readonly: def.readonly, value: def.get(station) });
      else unknownKey.push(key);
    }
    return { configurationKey, ...(unknownKey.length > 0 ? { unknownKey } : {}) };
  },

  ChangeConfiguration: (p, station) => {
    const def = configurationKeys16[str(p['key'])];
    if (!def) return { status: 'NotSupported' };
    if (def.readonly || !def.set) return { status: 'Rejected' };
    const patch = def.set(str(p['value']));
    if (!patch) return { status: 'Rejected' };
    station.applySettings(patch);
    return { status: 'Accepted' };
  },

  TriggerMessage: (p, station) => {
    const requested = str(p['requestedMessage']);
    if (!triggerable.has(requested)) return { status: 'NotImplemented' };
    const kind = requested as 'BootNotification' | 'Heartbeat' | 'StatusNotification' | 'MeterValues';
    return { status: station.trigger(kind, num(p['connectorId'])) };
  },

  ClearCache: (_p, station) => {
    station.clearAuthCache();
    return { status: 'Accepted' };
  },

  DataTransfer: (p) => {
    if (p['vendorId'] !== vendorId) return { status: 'UnknownVendorId' };
    if (p['messageId'] === 'Echo') return { status: 'Accepted', data: str(p['data']) };
    return { status: 'UnknownMessageId' };
  },
};
