/**
 * Alert incidents as event log entries: one when an incident opened, one when it resolved. The
 * incidents table belongs to the alerts module; this is the only place the event log reads it.
 */
import type { Summary } from './entries.js';

export interface IncidentSource {
  /**
   * The UNION branch over incidents (columns id, at, source, station_id, type, category, details;
   * `$1` tenant, `$2`–`$3` the range), or null when this database has no incidents to show.
   * `stationOf(column)` returns the station filter for that column ('' when none).
   */
  branch(stationOf: (column: string) => string): Promise<string | null>;
}

/** A database without the alerts tables: the log shows station events and commands only. */
export const NO_INCIDENTS: IncidentSource = { branch: () => Promise.resolve(null) };

export function incidentSummary(type: string, details: Record<string, unknown>): Summary {
  const params = {
    rule: typeof details['ruleName'] === 'string' ? details['ruleName'] : null,
    kind: typeof details['kind'] === 'string' ? details['kind'] : null,
    severity: typeof details['severity'] === 'string' ? details['severity'] : null,
  };
  const what = params.rule ?? params.kind ?? 'alert';
  return type === 'incident.resolved'
    ? { code: 'incidentResolved', params, text: `incident resolved: ${what}` }
    : { code: 'incidentOpened', params, text: `incident opened (${params.severity ?? '?'}): ${what}` };
}
