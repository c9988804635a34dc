import { describe, expect, it } from 'vitest';
import { parseFleet } from './options.js';
import { generateFleet } from './quick-fleet.js';

describe('generateFleet', () => {
  it('spreads the 2.0.1 share evenly and produces a valid fleet', () => {
    const fleet = parseFleet(
      generateFleet({
        url: 'ws://127.0.0.1:9000/ocpp',
        count: 10,
        mix: 0.3,
        connectors: 2,
        maxPowerW: 22_000,
        prefix: 'SIM-',
      }),
    );
    expect(fleet.stations).toHaveLength(10);
    expect(fleet.stations.filter((s) => s.ocppVersion === 'ocpp2.0.1')).toHaveLength(3);
    expect(fleet.stations[0]!.identity).toBe('SIM-0001');
    expect(new Set(fleet.stations.map((s) => s.identity)).size).toBe(10);
  });

  it('honours the extremes', () => {
    const base = { url: 'ws://127.0.0.1/ocpp', count: 4, connectors: 1, maxPowerW: 7_400, prefix: 'X' };
    expect(generateFleet({ ...base, mix: 0 }).stations.every((s) => s.ocppVersion === 'ocpp1.6')).toBe(true);
    expect(generateFleet({ ...base, mix: 1 }).stations.every((s) => s.ocppVersion === 'ocpp2.0.1')).toBe(
      true,
    );
  });
});
