/** What one committed ingest batch changed, for the live fan-out after commit. */
import type { ActivityKind } from '../stations/event-summary.js';

export interface ActivityRecord {
  tenantId: string;
  stationId: string;
  at: string;
  kind: ActivityKind;
  text: string;
}

export interface BatchEffects {
  /** Stations whose StationSummary changed. */
  changedStations: Set<string>;
  /** Stations with new meter values (coalesced downstream). */
  meteredStations: Map<string, MeterUpdate>;
  activities: ActivityRecord[];
  /** Tenants whose KPIs may have moved. */
  tenants: Set<string>;
  /** New events worth showing in a station's live event log (no heartbeats or meter samples). */
  stationEvents: StationEventRecord[];
}

export interface StationEventRecord {
  tenantId: string;
  stationId: string;
  at: string;
  type: string;
  summary: string;
}

export interface MeterUpdate {
  tenantId: string;
  stationId: string;
  evseId: number;
  connectorId: number;
  at: string;
  powerW: number | null;
  energyRegisterWh: number | null;
  transactionId: string | null;
}

export function emptyEffects(): BatchEffects {
  return {
    changedStations: new Set(),
    meteredStations: new Map(),
    activities: [],
    tenants: new Set(),
    stationEvents: [],
  };
}
