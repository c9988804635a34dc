/**
 * The OCPP 2.0.1 device-model variables the simulator knows, keyed by component then variable,
 * backed by the same settings as the 1.6 configuration keys.
 */
import type { StationControl } from '../dialect.js';
import type { Settings } from '../model.js';

export interface VariableDef {
  readonly: boolean;
  get(station: StationControl): string;
  set?(value: string): Partial<Settings> | undefined;
}

const positiveInt = (v: string): number | undefined =>
  /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
const bool = (v: string): boolean | undefined =>
  v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : undefined;

function intVar(key: 'heartbeatIntervalS' | 'meterIntervalS' | 'connectionTimeOutS'): VariableDef {
  return {
    readonly: false,
    get: (s) => String(Math.max(1, Math.round(s.settings[key]))),
    set: (v) => {
      const n = positiveInt(v);
      return n === undefined ? undefined : { [key]: n };
    },
  };
}

function boolVar(
  key: 'authorizeRemoteTxRequests' | 'localAuthorizeOffline' | 'stopTransactionOnEVSideDisconnect',
): VariableDef {
  return {
    readonly: false,
    get: (s) => String(s.settings[key]),
    set: (v) => {
      const b = bool(v);
      return b === undefined ? undefined : { [key]: b };
    },
  };
}

const readOnly = (get: (s: StationControl) => string): VariableDef => ({ readonly: true, get });

export const variables201: Readonly<Record<string, Readonly<Record<string, VariableDef>>>> = {
  OCPPCommCtrlr: { HeartbeatInterval: intVar('heartbeatIntervalS') },
  SampledDataCtrlr: {
    TxUpdatedInterval: intVar('meterIntervalS'),
    TxUpdatedMeasurands: readOnly((s) => s.settings.meterValuesSampledData),
  },
  TxCtrlr: {
    EVConnectionTimeOut: intVar('connectionTimeOutS'),
    StopTxOnEVSideDisconnect: boolVar('stopTransactionOnEVSideDisconnect'),
  },
  AuthCtrlr: {
    AuthorizeRemoteStart: boolVar('authorizeRemoteTxRequests'),
    LocalAuthorizeOffline: boolVar('localAuthorizeOffline'),
  },
  AuthCacheCtrlr: { Enabled: readOnly(() => 'true') },
  ChargingStation: {
    AvailabilityState: readOnly((s) => (s.connectors.some((c) => c.operative) ? 'Available' : 'Unavailable')),
  },
  SecurityCtrlr: { Identity: readOnly((s) => s.identity) },
};
