/**
 * What one line of a station's event log says: its category and a summary the dashboard translates
 * (a stable `code` with plain `params`), plus an English `text` for the CSV export and API clients
 * that show it as is. Station events, remote commands and alert incidents all become entries.
 */
import type { StationEvent } from '@voltmesh/contract';
import { summarizeEvent } from '../stations/event-summary.js';

export const EVENT_CATEGORIES = [
  'boot',
  'status',
  'error',
  'connection',
  'command',
  'alert',
  'security',
  'firmware',
  'session',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** Station event types the log shows; heartbeats, meter samples, edge status and raw records are state, not events. */
export const LOGGED_EVENT_TYPES = [
  'station.booted',
  'station.connected',
  'station.disconnected',
  'connector.status',
  'token.authorized',
  'session.started',
  'session.updated',
  'session.ended',
  'firmware.status',
  'diagnostics.status',
  'security.event',
] as const satisfies readonly StationEvent['type'][];

/** Entry types that are not station events. */
export const OTHER_ENTRY_TYPES = [
  'command.sent',
  'incident.opened',
  'incident.acknowledged',
  'incident.escalated',
  'incident.resolved',
] as const;
export const ENTRY_TYPES = [...LOGGED_EVENT_TYPES, ...OTHER_ENTRY_TYPES] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export const SUMMARY_CODES = [
  'booted',
  'connected',
  'disconnected',
  'status',
  'fault',
  'tokenAuthorized',
  'sessionStarted',
  'sessionUpdated',
  'sessionEnded',
  'firmware',
  'diagnostics',
  'security',
  'command',
  'incidentOpened',
  'incidentAcknowledged',
  'incidentEscalated',
  'incidentResolved',
] as const;
export type SummaryCode = (typeof SUMMARY_CODES)[number];
export type SummaryParams = Record<string, string | number | null>;

/** Stop reasons that mean the session ended because something went wrong. */
const ABNORMAL_STOPS = ['emergency_stop', 'power_loss', 'ground_fault', 'overcurrent'];

/**
 * The category of a station event as SQL over `e.type` and `e.payload`, so filters and counts run
 * in the database; `categoryOf` below is the same rule in TypeScript (a test keeps them equal).
 */
export const EVENT_CATEGORY_SQL = `CASE
  WHEN e.type = 'station.booted' THEN 'boot'
  WHEN e.type IN ('station.connected', 'station.disconnected') THEN 'connection'
  WHEN e.type = 'connector.status' AND (e.payload->>'status' = 'faulted'
    OR coalesce(e.payload->>'errorCode', 'NoError') NOT IN ('NoError', '')) THEN 'error'
  WHEN e.type = 'connector.status' THEN 'status'
  WHEN e.type = 'session.ended' AND e.payload->>'reason' IN (${ABNORMAL_STOPS.map((r) => `'${r}'`).join(', ')}) THEN 'error'
  WHEN e.type IN ('token.authorized', 'session.started', 'session.updated', 'session.ended') THEN 'session'
  WHEN e.type IN ('firmware.status', 'diagnostics.status') THEN 'firmware'
  WHEN e.type = 'security.event' THEN 'security'
  ELSE 'status' END`;

export function categoryOf(event: StationEvent): EventCategory {
  switch (event.type) {
    case 'station.booted':
      return 'boot';
    case 'station.connected':
    case 'station.disconnected':
      return 'connection';
    case 'connector.status':
      return event.status === 'faulted' || (event.errorCode ?? 'NoError') !== 'NoError' ? 'error' : 'status';
    case 'session.ended':
      return ABNORMAL_STOPS.includes(event.reason) ? 'error' : 'session';
    case 'token.authorized':
    case 'session.started':
    case 'session.updated':
      return 'session';
    case 'firmware.status':
    case 'diagnostics.status':
      return 'firmware';
    case 'security.event':
      return 'security';
    default:
      return 'status';
  }
}

export interface Summary {
  code: SummaryCode;
  params: SummaryParams;
  text: string;
}

const kwh = (wh: number | null) => (wh === null ? null : Math.round(wh) / 1000);

export function summarizeStationEvent(event: StationEvent): Summary {
  const text = summarizeEvent(event);
  const s = (code: SummaryCode, params: SummaryParams): Summary => ({ code, params, text });
  switch (event.type) {
    case 'station.booted':
      return s('booted', {
        vendor: event.vendor,
        model: event.model,
        firmware: event.firmwareVersion,
        registration: event.registration,
      });
    case 'station.connected':
      return s('connected', { ocppVersion: event.ocppVersion, securityProfile: event.securityProfile });
    case 'station.disconnected':
      return s('disconnected', { code: event.code, reason: event.reason });
    case 'connector.status': {
      const fault = categoryOf(event) === 'error';
      return s(fault ? 'fault' : 'status', {
        evseId: event.evseId,
        connectorId: event.connectorId,
        status: event.status,
        rawStatus: event.rawStatus,
        errorCode: event.errorCode,
        vendorErrorCode: event.vendorErrorCode,
        info: event.info,
      });
    }
    case 'token.authorized':
      return s('tokenAuthorized', { idToken: event.idToken.id, status: event.status });
    case 'session.started':
      return s('sessionStarted', {
        transactionId: event.transactionId,
        evseId: event.evseId,
        idToken: event.idToken?.id ?? null,
      });
    case 'session.updated':
      return s('sessionUpdated', { transactionId: event.transactionId, chargingState: event.chargingState });
    case 'session.ended':
      return s('sessionEnded', {
        transactionId: event.transactionId,
        reason: event.reason,
        meterStopKwh: kwh(event.meterStopWh),
      });
    case 'firmware.status':
      return s('firmware', { status: event.status });
    case 'diagnostics.status':
      return s('diagnostics', { status: event.status });
    case 'security.event':
      return s('security', { eventType: event.eventType, techInfo: event.techInfo });
    default:
      return s('status', { evseId: null, connectorId: null, status: event.type, rawStatus: event.type });
  }
}

export interface CommandFacts {
  commandType: string;
  outcome: string;
  detail: string | null;
  userEmail: string;
}

export function summarizeCommand(c: CommandFacts): Summary {
  return {
    code: 'command',
    params: { command: c.commandType, outcome: c.outcome, user: c.userEmail, detail: c.detail },
    text: `${c.userEmail} sent ${c.commandType}: ${c.outcome}${c.detail ? ` (${c.detail})` : ''}`,
  };
}
