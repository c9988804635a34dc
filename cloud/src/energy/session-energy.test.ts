import { describe, expect, it } from 'vitest';
import { sessionEnergyWh } from './session-energy.js';

describe('sessionEnergyWh', () => {
  it('uses the stop reading when there is one, else the latest register sample', () => {
    expect(sessionEnergyWh({ meterStartWh: 1000, meterStopWh: 5000, lastRegisterWh: 4000 })).toBe(4000);
    expect(sessionEnergyWh({ meterStartWh: 1000, meterStopWh: null, lastRegisterWh: 2500 })).toBe(1500);
  });

  it('is unknown without a start or any later reading, and never negative', () => {
    expect(sessionEnergyWh({ meterStartWh: null, meterStopWh: 5000, lastRegisterWh: null })).toBeNull();
    expect(sessionEnergyWh({ meterStartWh: 1000, meterStopWh: null, lastRegisterWh: null })).toBeNull();
    expect(sessionEnergyWh({ meterStartWh: 9000, meterStopWh: 10, lastRegisterWh: null })).toBeNull();
  });
});
