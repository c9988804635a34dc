/**
 * The event log as CSV (RFC 4180): UTF-8 with a byte order mark so spreadsheet programs read
 * Cyrillic and Chinese names right, a header row, and cells that would start a formula prefixed
 * with an apostrophe (CSV injection).
 */
import type { EventLogEntry } from './queries.js';

export const CSV_BOM = '\uFEFF';
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

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export function csvRow(e: EventLogEntry): string {
  return csvLine([
    e.at,
    e.stationIdentity,
    e.stationName,
    e.siteName,
    e.category,
    e.type,
    e.text,
    JSON.stringify(e.details),
  ]);
}
