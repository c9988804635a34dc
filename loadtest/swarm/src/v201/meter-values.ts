/** Formats a meter sample as OCPP 2.0.1 SampledValues (numbers, unitOfMeasure objects). */
import type { MeterSample } from '../model.js';

const phaseNames = ['L1', 'L2', 'L3'] as const;

export function meterValue201(sample: MeterSample): Record<string, unknown> {
  const ctx = sample.context;
  const sampledValue: Record<string, unknown>[] = [
    {
      value: sample.energyWh,
      context: ctx,
      measurand: 'Energy.Active.Import.Register',
      location: 'Outlet',
      unitOfMeasure: { unit: 'Wh' },
    },
    {
      value: sample.powerW,
      context: ctx,
      measurand: 'Power.Active.Import',
      location: 'Outlet',
      unitOfMeasure: { unit: 'W' },
    },
  ];
  for (const phase of phaseNames.slice(0, sample.phases)) {
    sampledValue.push({
      value: sample.currentA,
      context: ctx,
      measurand: 'Current.Import',
      phase,
      unitOfMeasure: { unit: 'A' },
    });
  }
  sampledValue.push({
    value: sample.voltageV,
    context: ctx,
    measurand: 'Voltage',
    phase: 'L1-N',
    unitOfMeasure: { unit: 'V' },
  });
  if (sample.socPercent !== undefined) {
    sampledValue.push({
      value: sample.socPercent,
      context: ctx,
      measurand: 'SoC',
      location: 'EV',
      unitOfMeasure: { unit: 'Percent' },
    });
  }
  return { timestamp: sample.timestamp, sampledValue };
}
