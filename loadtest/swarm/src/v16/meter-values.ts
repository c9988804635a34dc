/** Formats a meter sample as OCPP 1.6 SampledValues (values are strings in 1.6). */
import type { MeterSample } from '../model.js';

const phaseNames = ['L1', 'L2', 'L3'] as const;

export function sampledValues16(sample: MeterSample): Record<string, unknown>[] {
  const ctx = sample.context;
  const values: Record<string, unknown>[] = [
    {
      value: String(sample.energyWh),
      context: ctx,
      measurand: 'Energy.Active.Import.Register',
      location: 'Outlet',
      unit: 'Wh',
    },
    {
      value: String(sample.powerW),
      context: ctx,
      measurand: 'Power.Active.Import',
      location: 'Outlet',
      unit: 'W',
    },
  ];
  for (const phase of phaseNames.slice(0, sample.phases)) {
    values.push({
      value: sample.currentA.toFixed(2),
      context: ctx,
      measurand: 'Current.Import',
      phase,
      location: 'Outlet',
      unit: 'A',
    });
  }
  values.push({
    value: sample.voltageV.toFixed(1),
    context: ctx,
    measurand: 'Voltage',
    phase: 'L1-N',
    location: 'Outlet',
    unit: 'V',
  });
  if (sample.socPercent !== undefined) {
    values.push({
      value: sample.socPercent.toFixed(1),
      context: ctx,
      measurand: 'SoC',
      location: 'EV',
      unit: 'Percent',
    });
  }
  return values;
}

export function meterValue16(sample: MeterSample): Record<string, unknown> {
  return { timestamp: sample.timestamp, sampledValue: sampledValues16(sample) };
}
