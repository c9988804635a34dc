/**
 * How the dashboard shows an event log entry: category colours (badges and chart share them),
 * labels of the entry types, and the translated one-line summary built from the entry's
 * `summary.code` and `params`.
 */
import {
  CONNECTOR_STATUSES,
  type ConnectorStatus,
  type EventCategory,
  type EventLogEntry,
  type EventLogType,
} from '../../api/types';
import type { MessageKey, MessageParams } from '../../composables/useT';

export const CATEGORY_COLORS: Record<EventCategory, string> = {
  boot: '#7c3aed',
  status: '#0f6fd1',
  error: '#dc2626',
  connection: '#0d9488',
  command: '#d97706',
  alert: '#db2777',
  security: '#4b5563',
  firmware: '#65a30d',
  session: '#0891b2',
};

export const TYPE_LABELS: Record<EventLogType, MessageKey> = {
  'station.booted': 'eventLog.types.stationBooted',
  'station.connected': 'eventLog.types.stationConnected',
  'station.disconnected': 'eventLog.types.stationDisconnected',
  'connector.status': 'eventLog.types.connectorStatus',
  'token.authorized': 'eventLog.types.tokenAuthorized',
  'session.started': 'eventLog.types.sessionStarted',
  'session.updated': 'eventLog.types.sessionUpdated',
  'session.ended': 'eventLog.types.sessionEnded',
  'firmware.status': 'eventLog.types.firmwareStatus',
  'diagnostics.status': 'eventLog.types.diagnosticsStatus',
  'security.event': 'eventLog.types.securityEvent',
  'command.sent': 'eventLog.types.commandSent',
  'incident.opened': 'eventLog.types.incidentOpened',
  'incident.acknowledged': 'eventLog.types.incidentAcknowledged',
  'incident.escalated': 'eventLog.types.incidentEscalated',
  'incident.resolved': 'eventLog.types.incidentResolved',
};

type Translate = (key: MessageKey, params?: MessageParams) => string;

const isConnectorStatus = (s: unknown): s is ConnectorStatus =>
  typeof s === 'string' && (CONNECTOR_STATUSES as readonly string[]).includes(s);

/** The entry's summary in the current language; a missing value reads as a dash. */
export function summaryText(entry: EventLogEntry, t: Translate): string {
  const { code, params } = entry.summary;
  const values: MessageParams = {};
  for (const [k, v] of Object.entries(params)) values[k] = v ?? '—';
  if ((code === 'status' || code === 'fault') && isConnectorStatus(params['status']))
    values['status'] = t(`connectorStatus.${params['status']}`);
  if (code === 'incidentResolved' && params['automatic'] === 'true')
    return t('eventLog.summary.incidentAutoResolved', values);
  return t(`eventLog.summary.${code}`, values).replace(/\s+—$/, '');
}
