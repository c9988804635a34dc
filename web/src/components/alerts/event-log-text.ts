/**
 * How the dashboard shows an event log entry: category colours (badges and chart share them),
 * labels of the entry types, and the translated one-line summary built from the entry's
 * `summary.code` and `params`.
 */
import {
  COMMAND_OUTCOMES,
  CONNECTOR_STATUSES,
  SEVERITIES,
  type CommandOutcome,
  type ConnectorStatus,
  type Severity,
  type EventCategory,
  type EventLogEntry,
  type EventLogType,
} from '../../api/types';
import type { MessageKey, MessageParams } from '../../composables/useT';
import type { MessageSchema } from '../../i18n/en';

type CommandTypeLabel = keyof MessageSchema['commands']['types'];
/** Command types the commands panel has labels for; others are shown as sent. */
const LABELLED_COMMANDS = [
  'remote_start',
  'remote_stop',
  'reset',
  'unlock_connector',
  'change_availability',
  'get_configuration',
  'change_configuration',
  'trigger_message',
  'clear_cache',
  'data_transfer',
] as const satisfies readonly CommandTypeLabel[];

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

const member =
  <T extends string>(list: readonly T[]) =>
  (s: unknown): s is T =>
    typeof s === 'string' && (list as readonly string[]).includes(s);
const isConnectorStatus = member<ConnectorStatus>(CONNECTOR_STATUSES);
const isOutcome = member<CommandOutcome>(COMMAND_OUTCOMES);
const isSeverity = member<Severity>(SEVERITIES);
const isLabelledCommand = member<(typeof LABELLED_COMMANDS)[number]>(LABELLED_COMMANDS);

/** The entry's summary in the current language; a missing value reads as a dash. */
export function summaryText(entry: EventLogEntry, t: Translate): string {
  const { code, params } = entry.summary;
  const values: MessageParams = {};
  for (const [k, v] of Object.entries(params)) values[k] = v ?? '—';
  if ((code === 'status' || code === 'fault') && isConnectorStatus(params['status']))
    values['status'] = t(`connectorStatus.${params['status']}`);
  if (code === 'command') {
    if (isLabelledCommand(params['command'])) values['command'] = t(`commands.types.${params['command']}`);
    if (isOutcome(params['outcome'])) values['outcome'] = t(`commands.outcomes.${params['outcome']}`);
  }
  if (isSeverity(params['severity'])) values['severity'] = t(`alerts.severity.${params['severity']}`);
  if (code === 'incidentResolved' && params['automatic'] === 'true')
    return t('eventLog.summary.incidentAutoResolved', values);
  return t(`eventLog.summary.${code}`, values).replace(/\s+—$/, '');
}
