/** The final report of a session as CSV, label/value rows then the cost breakdown (rules: api/csv.ts). */
import type { z } from '@hono/zod-openapi';
import { CSV_BOM, csvCell } from '../api/csv.js';
import type { SessionDetail } from './session-schemas.js';

type Detail = z.output<typeof SessionDetail>;

/** A value from outside (names, ids, reasons): defused against formulas. Labels and numbers are not. */
interface Text {
  text: string;
}
const text = (value: string | null | undefined): Text => ({ text: value ?? '' });
const row = (...cells: (string | Text)[]) =>
  cells.map((c) => (typeof c === 'string' ? csvCell(c, 'number') : csvCell(c.text))).join(',');
const minutes = (seconds: number | null) => (seconds === null ? '' : (seconds / 60).toFixed(1));
const kwh = (wh: number | null) => (wh === null ? '' : (wh / 1000).toFixed(3));

export function sessionReportCsv(s: Detail): string {
  const lines = [
    row('Session report'),
    row('Session', s.id),
    row('Station', text(`${s.stationIdentity} ${s.stationName}`)),
    row('Site', text(s.siteName)),
    row('Connector', s.connectorId === null ? '' : String(s.connectorId)),
    row('Transaction', text(s.transactionId)),
    row('Token', text(s.idToken)),
    row('Holder', text(s.holderName)),
    row('Group', text(s.groupName)),
    row('Status', s.status),
    row('Started', s.startedAt ?? ''),
    row('Ended', s.endedAt ?? ''),
    row('Stop reason', text(s.stopReason)),
    row('Meter start (Wh)', s.meterStartWh === null ? '' : String(s.meterStartWh)),
    row('Meter stop (Wh)', s.meterStopWh === null ? '' : String(s.meterStopWh)),
    row('Energy (kWh)', kwh(s.energyWh)),
    row('Charging time (min)', minutes(s.chargingSeconds)),
    row('Idle time (min)', minutes(s.idleSeconds)),
    row('Peak power (kW)', s.peakPowerW === null ? '' : (s.peakPowerW / 1000).toFixed(2)),
    row('Tariff', text(s.tariff ? `${s.tariff.name} (from ${s.tariff.validFrom})` : '')),
  ];
  if (s.dispute) lines.push(row('Disputed', s.dispute.at), row('Dispute reason', text(s.dispute.reason)));
  if (s.cost && s.breakdown) {
    lines.push('', row('Component', 'Period', 'Quantity', 'Unit price', `Amount (${s.cost.currency})`));
    for (const l of s.breakdown.lines) {
      lines.push(row(l.component, text(l.period), l.quantity, l.unitPrice, l.amount));
    }
    lines.push(
      row('Net', '', '', '', s.cost.net),
      row(`Tax ${s.breakdown.taxRatePercent} %`, '', '', '', s.cost.tax),
      row('Total', '', '', '', s.cost.total),
    );
  }
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
