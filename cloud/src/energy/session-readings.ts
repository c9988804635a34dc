/** Loads the stored energy readings of one transaction, for `computeSessionEnergyWh`. */
import type pg from 'pg';
import { INTERVAL_MEASURAND, REGISTER_MEASURAND, type EnergyReading } from './session-energy.js';

export async function loadSessionReadings(
  q: pg.ClientBase | pg.Pool,
  stationId: string,
  transactionId: string,
): Promise<EnergyReading[]> {
  const { rows } = await q.query<{
    at: Date;
    measurand: string;
    value: number;
    phase: string;
    location: string;
  }>(
    `SELECT at, measurand, value, phase, location FROM meter_samples
      WHERE station_id = $1 AND transaction_id = $2 AND measurand = ANY($3::text[])`,
    [stationId, transactionId, [REGISTER_MEASURAND, INTERVAL_MEASURAND]],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    measurand: r.measurand,
    valueWh: r.value,
    phase: r.phase,
    location: r.location,
  }));
}
