import { describe, expect, it } from 'vitest';
import { arrivalRatePerHour } from './behaviour.js';
import { parseScenario } from './options.js';

const at = (hour: number) => new Date(2026, 0, 15, hour, 30).getTime();

describe('arrival curve', () => {
  it('brings more vehicles at peak hours than at night, averaging the daily rate', () => {
    const scenario = parseScenario({ arrivals: { perConnectorPerDay: 6 } });
    expect(arrivalRatePerHour(scenario, at(18))).toBeGreaterThan(arrivalRatePerHour(scenario, at(3)) * 5);
    let day = 0;
    for (let h = 0; h < 24; h++) day += arrivalRatePerHour(scenario, at(h));
    expect(day).toBeCloseTo(6, 6);
  });

  it('follows a custom curve', () => {
    const weights = Array.from({ length: 24 }, (_, h) => (h === 12 ? 1 : 0));
    const scenario = parseScenario({ arrivals: { perConnectorPerDay: 2, hourlyWeights: weights } });
    expect(arrivalRatePerHour(scenario, at(12))).toBe(2);
    expect(arrivalRatePerHour(scenario, at(13))).toBe(0);
  });
});
