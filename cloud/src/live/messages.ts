/**
 * What cloud nodes tell each other after an ingest commit, on NATS core subject
 * `vm.live.<tenant>`. Every node relays these to its own Socket.IO clients, so any node may ingest
 * and any node may serve a browser.
 */
import { encodeToken } from '@voltmesh/contract';
import type { ActivityKind } from '../stations/event-summary.js';
import type { StationSummary } from '../stations/summary.js';

export const LIVE_SUBJECT_ROOT = 'vm.live';
/** Carries the sessionId of a session that ended (logout), so every node closes its sockets. */
export const SESSION_ENDED_SUBJECT = 'vm.sessions.ended';
export const liveSubject = (tenantId: string) => `${LIVE_SUBJECT_ROOT}.${encodeToken(tenantId)}`;

export interface Activity {
  at: string;
  stationId: string;
  identity: string;
  siteName: string;
  kind: ActivityKind;
  text: string;
}

export interface MeterLive {
  stationId: string;
  evseId: number;
  connectorId: number;
  at: string;
  powerW: number | null;
  energyRegisterWh: number | null;
  transactionId: string | null;
}

/** Where in the tenant an item belongs, so site- or city-scoped users get only their part. */
export interface Placement {
  siteId: string;
  cityId: string | null;
}

export interface LiveBatch {
  tenantId: string;
  stations: StationSummary[];
  activities: { activity: Activity; placement: Placement }[];
  meters: { meter: MeterLive; placement: Placement }[];
  /** For the `station:<id>` rooms of sockets watching one station. */
  stationEvents: StationEventLive[];
}

export interface StationEventLive {
  stationId: string;
  at: string;
  type: string;
  summary: string;
}
