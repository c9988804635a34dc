/**
 * OCPP 2.0.1: the messages a charging station sends and how it reads the answers. Each EVSE has
 * one connector (connectorId 1); transactions are reported with TransactionEvent (2.0.1 E01-E15).
 */
import type { Call, Dialect, OutboxItem, TxContext } from '../dialect.js';
import type { ConnectorStatus, Connector, StopReason } from '../model.js';
import { OcppVersion } from '../options.js';
import { commands201 } from './commands.js';
import { meterValue201 } from './meter-values.js';

const connectorStatus201: Record<ConnectorStatus, string> = {
  Available: 'Available',
  Preparing: 'Occupied',
  Charging: 'Occupied',
  SuspendedEV: 'Occupied',
  SuspendedEVSE: 'Occupied',
  Finishing: 'Occupied',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
};

const endedTrigger201: Record<StopReason, string> = {
  Local: 'StopAuthorized',
  EVDisconnected: 'EVCommunicationLost',
  Remote: 'RemoteStop',
  SoftReset: 'ResetCommand',
  HardReset: 'ResetCommand',
  Reboot: 'AbnormalCondition',
  UnlockCommand: 'UnlockCommand',
  DeAuthorized: 'Deauthorized',
  Fault: 'AbnormalCondition',
  Other: 'AbnormalCondition',
};

const stoppedReason201: Record<StopReason, string> = {
  Local: 'Local',
  EVDisconnected: 'EVDisconnected',
  Remote: 'Remote',
  SoftReset: 'ImmediateReset',
  HardReset: 'ImmediateReset',
  Reboot: 'Reboot',
  UnlockCommand: 'Other',
  DeAuthorized: 'DeAuthorized',
  Fault: 'Other',
  Other: 'Other',
};

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function statusCall(c: Connector, timestamp: string): Call {
  return {
    method: 'StatusNotification',
    params: { timestamp, connectorStatus: connectorStatus201[c.status], evseId: c.id, connectorId: 1 },
  };
}

const noEffect = { kind: 'none' } as const;

/** One TransactionEvent; seqNo is taken when the event happens, not when it is sent. */
function txEvent(
  ctx: TxContext,
  eventType: 'Started' | 'Updated' | 'Ended',
  triggerReason: string,
  info: Record<string, unknown>,
  extra: Record<string, unknown>,
): OutboxItem {
  const { connector, session, sample, offline } = ctx;
  const seqNo = session.nextSeqNo++;
  const params = {
    eventType,
    timestamp: sample.timestamp,
    triggerReason,
    seqNo,
    ...(offline ? { offline: true } : {}),
    numberOfPhasesUsed: sample.phases,
    transactionInfo: { transactionId: String(session.transactionId), ...info },
    evse: { id: connector.id, connectorId: 1 },
    meterValue: [meterValue201(sample)],
    ...extra,
  };
  return {
    action: `TransactionEvent(${eventType})`,
    build: () => ({ method: 'TransactionEvent', params }),
    onResult: (result) => {
      const status = record(record(result)['idTokenInfo'])['status'];
      return eventType !== 'Ended' && status !== undefined && status !== 'Accepted'
        ? { kind: 'deauthorize', localId: session.localId }
        : noEffect;
    },
  };
}

export const dialect201: Dialect = {
  version: OcppVersion.V201,

  bootNotification: (station, model, reason) => ({
    method: 'BootNotification',
    params: {
      reason,
      chargingStation: {
        vendorName: station.vendor,
        model,
        serialNumber: station.identity.slice(-25),
        firmwareVersion: 'swarm-0.1.0',
      },
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
    return (connector ? [connector] : station.connectors).map((c) => statusCall(c, now));
  },

  authorize: (idTag) => ({ method: 'Authorize', params: { idToken: { idToken: idTag, type: 'ISO14443' } } }),
  parseAuthorize: (result) => record(record(result)['idTokenInfo'])['status'] === 'Accepted',

  txStarted: (ctx, trigger) =>
    txEvent(
      ctx,
      'Started',
      trigger,
      {
        chargingState: 'Charging',
        ...(ctx.session.remoteStartId !== undefined ? { remoteStartId: ctx.session.remoteStartId } : {}),
      },
      { idToken: { idToken: ctx.session.idTag, type: trigger === 'RemoteStart' ? 'Central' : 'ISO14443' } },
    ),

  txUpdated: (ctx, trigger) =>
    txEvent(
      ctx,
      'Updated',
      trigger,
      trigger === 'MeterValuePeriodic'
        ? {}
        : { chargingState: ctx.session.satisfied ? 'SuspendedEV' : 'Charging' },
      {},
    ),

  txEnded: (ctx, reason) =>
    txEvent(
      ctx,
      'Ended',
      endedTrigger201[reason],
      {
        stoppedReason: stoppedReason201[reason],
        chargingState: ctx.connector.plugged ? 'EVConnected' : 'Idle',
      },
      reason === 'Local' ? { idToken: { idToken: ctx.session.idTag, type: 'ISO14443' } } : {},
    ),

  meterValues: (connector, sample) => ({
    method: 'MeterValues',
    params: { evseId: connector.id, meterValue: [meterValue201(sample)] },
  }),

  faultNotice: (connector, fault, cleared, eventId) => {
    const now = new Date().toISOString();
    return {
      method: 'NotifyEvent',
      params: {
        generatedAt: now,
        seqNo: 0,
        tbc: false,
        eventData: [
          {
            eventId,
            timestamp: now,
            trigger: 'Delta',
            actualValue: cleared ? 'false' : 'true',
            techCode: fault.vendorErrorCode,
            techInfo: fault.errorCode,
            cleared,
            component: { name: 'Connector', evse: { id: connector.id, connectorId: 1 } },
            variable: { name: 'Problem' },
            eventNotificationType: 'HardWiredNotification',
          },
        ],
      },
    };
  },

  commands: commands201,
};
