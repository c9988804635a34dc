/**
 * The OCPP 1.6 configuration keys the simulator knows (OCPP 1.6 §9.1), backed by the station's
 * version-neutral settings where a key has an effect.
 */
import type { StationControl } from '../dialect.js';
import type { Settings } from '../model.js';

interface KeyDef {
  readonly: boolean;
  get(station: StationControl): string;
  /** Returns the settings patch, or undefined when the value is invalid. */
  set?(value: string): Partial<Settings> | undefined;
}

const positiveInt = (v: string): number | undefined =>
  /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
const bool = (v: string): boolean | undefined =>
  v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : undefined;

const measurands = new Set([
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Voltage',
  'SoC',
]);

export const configurationKeys16: Readonly<Record<string, KeyDef>> = {
  HeartbeatInterval: {
    readonly: false,
    get: (s) => String(s.settings.heartbeatIntervalS),
    set: (v) => {
      const n = positiveInt(v);
      return n === undefined ? undefined : { heartbeatIntervalS: n };
    },
  },
  MeterValueSampleInterval: {
    readonly: false,
    get: (s) => String(Math.max(1, Math.round(s.settings.meterIntervalS))),
    set: (v) => {
      const n = positiveInt(v);
      return n === undefined ? undefined : { meterIntervalS: n };
    },
  },
  MeterValuesSampledData: {
    readonly: false,
    get: (s) => s.settings.meterValuesSampledData,
    set: (v) =>
      v.split(',').every((m) => measurands.has(m.trim())) ? { meterValuesSampledData: v } : undefined,
  },
  ConnectionTimeOut: {
    readonly: false,
    get: (s) => String(s.settings.connectionTimeOutS),
    set: (v) => {
      const n = positiveInt(v);
      return n === undefined ? undefined : { connectionTimeOutS: n };
    },
  },
  AuthorizeRemoteTxRequests: {
    readonly: false,
    get: (s) => String(s.settings.authorizeRemoteTxRequests),
    set: (v) => {
      const b = bool(v);
      return b === undefined ? undefined : { authorizeRemoteTxRequests: b };
    },
  },
  LocalAuthorizeOffline: {
    readonly: false,
    get: (s) => String(s.settings.localAuthorizeOffline),
    set: (v) => {
      const b = bool(v);
      return b === undefined ? undefined : { localAuthorizeOffline: b };
    },
  },
  StopTransactionOnEVSideDisconnect: {
    readonly: false,
    get: (s) => String(s.settings.stopTransactionOnEVSideDisconnect),
    set: (v) => {
      const b = bool(v);
      return b === undefined ? undefined : { stopTransactionOnEVSideDisconnect: b };
    },
  },
  NumberOfConnectors: { readonly: true, get: (s) => String(s.connectors.length) },
  SupportedFeatureProfiles: { readonly: true, get: () => 'Core,RemoteTrigger' },
  AuthorizationCacheEnabled: { readonly: true, get: () => 'true' },
  StopTransactionOnInvalidId: { readonly: true, get: () => 'true' },
};
