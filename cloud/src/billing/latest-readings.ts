/** The latest whole-connector power, voltage and current of a session, for its live view. */
import type pg from 'pg';

export interface LatestReadings {
  status: string;
  powerW: number | null;
  voltageV: number | null;
  currentA: number | null;
}

export async function latestReadings(
  q: pg.ClientBase | pg.Pool,
  sessionId: string,
): Promise<LatestReadings | null> {
  const { rows } = await q.query<{ status: string; measurand: string | null; value: number | null }>(
    `SELECT x.status, m.measurand, m.value
       FROM sessions x
       LEFT JOIN LATERAL (
         SELECT DISTINCT ON (ms.measurand) ms.measurand, ms.value FROM meter_samples ms
          WHERE ms.station_id = x.station_id AND ms.transaction_id = x.transaction_id AND ms.phase = ''
            AND ms.measurand IN ('Power.Active.Import', 'Voltage', 'Current.Import')
          ORDER BY ms.measurand, ms.at DESC) m ON true
      WHERE x.id = $1`,
    [sessionId],
  );
  if (rows.length === 0) return null;
  const latest = (measurand: string) => rows.find((r) => r.measurand === measurand)?.value ?? null;
  return {
    status: rows[0]!.status,
    powerW: latest('Power.Active.Import'),
    voltageV: latest('Voltage'),
    currentA: latest('Current.Import'),
  };
}
