/** OCPP 1.6J: the messages a charge point sends (OCPP 1.6 §4) and how it reads the answers. */
import type { Call, Dialect, OutboxItem, TxContext } from '../dialect.js';
import { ConnectorStatus, type Connector, type StopReason } from '../model.js';
import { OcppVersion } from '../options.js';
import { commands16 } from './commands.js';
import { meterValue16 } from './meter-values.js';

const stopReason16: Record<StopReason, string> = {
  Local: 'Local',
  EVDisconnected: 'EVDisconnected',
  Remote: 'Remote',
  SoftReset: 'SoftReset',
  HardReset: 'HardReset',
  Reboot: 'Reboot',
  UnlockCommand: 'UnlockCommand',
  DeAuthorized: 'DeAuthorized',
  Fault: 'Other',
  Other: 'Other',
};

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function idTagAccepted(result: unknown): boolean {
  return record(record(result)['idTagInfo'])['status'] === 'Accepted';
}

function statusCall(
  c: Connector | { id: 0; status: ConnectorStatus; fault: undefined },
  timestamp: string,
): Call {
  return {
    method: 'StatusNotification',
    params: {
      connectorId: c.id,
      status: c.status,
      errorCode: c.fault?.errorCode ?? 'NoError',
      ...(c.fault ? { vendorErrorCode: c.fault.vendorErrorCode, info: 'Simulated fault' } : {}),
      timestamp,
    },
  };
}

const noEffect = { kind: 'none' } as const;

export const dialect16: Dialect = {
  version: OcppVersion.V16,

  bootNotification: (station, model) => ({
    method: 'BootNotification',
    params: {
      chargePointVendor: station.vendor,
      chargePointModel: model,
      chargePointSerialNumber: station.identity.slice(-25),
      firmwareVersion: 'swarm-0.1.0',
    },
  }),

  parseBoot: (result) => {
    const r = record(result);
    const status = r['status'];
    return {
      status: status === 'Accepted' || status === 'Pending' ? status : 'Rejected',
      intervalS: typeof r['interval'] === 'number' ? r['interval'] : 0,
    };
  },

  heartbeat: () => ({ method: 'Heartbeat', params: {} }),

  statusNotifications: (station, connector) => {
    const now = new Date().toISOString();
    if (connector) return [statusCall(connector, now)];
    const anyAvailable = station.connectors.some((c) => c.operative);
    const main = {
      id: 0 as const,
      status: anyAvailable ? ConnectorStatus.Available : ConnectorStatus.Unavailable,
      fault: undefined,
    };
    return [statusCall(main, now), ...station.connectors.map((c) => statusCall(c, now))];
  },

  authorize: (idTag) => ({ method: 'Authorize', params: { idTag } }),
  parseAuthorize: idTagAccepted,

  txStarted: ({ connector, session, sample }): OutboxItem => ({
    action: 'StartTransaction',
    build: () => ({
      method: 'StartTransaction',
      params: {
        connectorId: connector.id,
        idTag: session.idTag,
        meterStart: sample.energyWh,
        timestamp: sample.timestamp,
      },
    }),
    onResult: (result) => {
      const id = record(result)['transactionId'];
      if (typeof id === 'number') session.transactionId = id;
      return idTagAccepted(result) ? noEffect : { kind: 'deauthorize', localId: session.localId };
    },
  }),

  txUpdated: ({ connector, session, sample }: TxContext, trigger) => {
    // 1.6 has no charging-state event: the StatusNotification (SuspendedEV) carries it.
    if (trigger === 'ChargingStateChanged') return undefined;
    return {
      action: 'MeterValues',
      build: () => {
        if (session.transactionId === undefined) return undefined;
        return {
          method: 'MeterValues',
          params: {
            connectorId: connector.id,
            transactionId: session.transactionId,
            meterValue: [meterValue16(sample)],
          },
        };
      },
      onResult: () => noEffect,
    };
  },

  txEnded: ({ session, sample }, reason) => ({
    action: 'StopTransaction',
    build: () => {
      if (session.transactionId === undefined) return undefined;
      return {
        method: 'StopTransaction',
        params: {
          transactionId: session.transactionId,
          idTag: session.idTag,
          meterStop: sample.energyWh,
          timestamp: sample.timestamp,
          reason: stopReason16[reason],
          transactionData: [meterValue16(sample)],
        },
      };
    },
    onResult: () => noEffect,
  }),

  meterValues: (connector, sample) => ({
    method: 'MeterValues',
    params: { connectorId: connector.id, meterValue: [meterValue16(sample)] },
  }),

  faultNotice: () => undefined,

  commands: commands16,
};
