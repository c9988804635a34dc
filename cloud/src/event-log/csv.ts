/** The event log's CSV columns and rows (the CSV rules: api/csv.ts). */
import { csvCell, csvLine } from '../api/csv.js';
import type { EventLogEntry } from './queries.js';

export const CSV_COLUMNS = [
  'at',
  'station_identity',
  'station_name',
  'site',
  'category',
  'type',
  'summary',
  'details',
] as const;

export function csvRow(e: EventLogEntry): string {
  return csvLine(
    [
      e.at,
      e.stationIdentity,
      e.stationName,
      e.siteName,
      e.category,
      e.type,
      e.text,
      JSON.stringify(e.details),
    ].map((c) => csvCell(c)),
  );
}
