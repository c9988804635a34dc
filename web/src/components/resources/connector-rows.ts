/** The connectors editor's rows and their conversion to and from the API (kW on screen, W on the wire). */
import {
  CONNECTOR_TYPES,
  type ConnectorSpec,
  type ConnectorType,
  type StationSettings,
} from '../../api/types';

export interface ConnectorRow {
  evseId: number;
  connectorId: number;
  /** '' until chosen (a connector the station reported with a type outside the list). */
  type: ConnectorType | '';
  maxPowerKw: number | '';
}

const isType = (v: string | null): v is ConnectorType =>
  v !== null && (CONNECTOR_TYPES as readonly string[]).includes(v);

export const toRows = (s: StationSettings): ConnectorRow[] =>
  s.connectors.map((c) => ({
    evseId: c.evseId,
    connectorId: c.connectorId,
    type: isType(c.type) ? c.type : '',
    maxPowerKw: c.maxPowerW === null ? '' : c.maxPowerW / 1000,
  }));

/** An unchosen type is sent as '' so the server names the field (`connectors.N.type`). */
export const toSpecs = (rows: readonly ConnectorRow[]): ConnectorSpec[] =>
  rows.map((r) => ({
    evseId: Number(r.evseId),
    connectorId: Number(r.connectorId),
    type: r.type as ConnectorType,
    maxPowerW: Math.round(Number(r.maxPowerKw) * 1000),
  }));
