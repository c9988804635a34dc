/**
 * Alert incidents as event log lines: their timeline (incident_events, kept by the alerts module)
 * opened, acknowledged, escalated and resolved, for incidents about one station. Comments stay on
 * the incident page. This is the only place the event log reads the alerts tables.
 */
import type { Summary } from './entries.js';

export const INCIDENT_ENTRY_TYPES = [
  'incident.opened',
  'incident.acknowledged',
  'incident.escalated',
  'incident.resolved',
] as const;

/**
 * The UNION branch over incident timelines (columns id, at, source, station_id, type, category,
 * details; `$1` tenant, `$2`–`$3` the range); `stationFilter` narrows it to one station or is ''.
 */
export const incidentBranch = (
  stationFilter: string,
) => `SELECT 'incident-' || ie.id::text, ie.at, 'incident', i.station_id,
        CASE ie.type WHEN 'reopened' THEN 'incident.opened' WHEN 'auto_resolved' THEN 'incident.resolved'
                     ELSE 'incident.' || ie.type END,
        'alert',
        jsonb_build_object('incidentId', i.id, 'ruleId', i.rule_id, 'ruleName', r.name, 'kind', i.kind,
                           'severity', i.severity, 'title', i.title, 'event', ie.type, 'comment', ie.comment,
                           'user', u.name, 'evseId', i.evse_id, 'connectorId', i.connector_id,
                           'facts', i.details)
   FROM incident_events ie
   JOIN incidents i ON i.id = ie.incident_id
   JOIN alert_rules r ON r.id = i.rule_id
   LEFT JOIN users u ON u.id = ie.user_id
  WHERE i.tenant_id = $1 AND ie.at >= $2 AND ie.at < $3 AND i.station_id IS NOT NULL
    AND ie.type <> 'comment'${stationFilter}`;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function incidentSummary(type: string, details: Record<string, unknown>): Summary {
  const params = {
    title: str(details['title']),
    rule: str(details['ruleName']),
    kind: str(details['kind']),
    severity: str(details['severity']),
    user: str(details['user']),
    comment: str(details['comment']),
    automatic: details['event'] === 'auto_resolved' ? 'true' : 'false',
  };
  const what = `${params.title ?? params.rule ?? 'alert'}`;
  const by = params.user ? ` by ${params.user}` : '';
  switch (type) {
    case 'incident.acknowledged':
      return { code: 'incidentAcknowledged', params, text: `incident acknowledged${by}: ${what}` };
    case 'incident.escalated':
      return { code: 'incidentEscalated', params, text: `incident escalated: ${what}` };
    case 'incident.resolved':
      return {
        code: 'incidentResolved',
        params,
        text: `incident resolved${params.automatic === 'true' ? ' (condition cleared)' : by}: ${what}`,
      };
    default:
      return { code: 'incidentOpened', params, text: `incident opened (${params.severity ?? '?'}): ${what}` };
  }
}
