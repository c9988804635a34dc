import { describe, expect, it } from 'vitest';
import { InvalidConfigError, SwarmErrorCode } from './errors.js';
import { parseDurationMs, parseFleet, parseScenario } from './options.js';
import demo from '../scenarios/demo.json' with { type: 'json' };
import steady from '../scenarios/steady.json' with { type: 'json' };
import stress from '../scenarios/stress.json' with { type: 'json' };

describe('scenario and fleet parsing', () => {
  it('accepts the shipped scenarios', () => {
    for (const s of [demo, steady, stress]) expect(() => parseScenario(s)).not.toThrow();
    expect(parseScenario(demo).timeScale).toBeGreaterThan(1);
  });

  it('fills defaults for an empty scenario', () => {
    const s = parseScenario({});
    expect(s.meterIntervalS).toBe(60);
    expect(s.arrivals.hourlyWeights).toHaveLength(24);
  });

  it('names the offending field', () => {
    const err = (() => {
      try {
        parseScenario({ meterIntervalS: -1, arrivals: { hourlyWeights: [1, 2] }, surprise: true });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect((err as InvalidConfigError).code).toBe(SwarmErrorCode.InvalidScenario);
    const text = (err as InvalidConfigError).issues.join('\n');
    expect(text).toContain('meterIntervalS');
    expect(text).toContain('arrivals.hourlyWeights');
    expect(text).toContain('surprise');
  });

  it('refuses duplicate identities', () => {
    const s = {
      identity: 'A',
      url: 'ws://127.0.0.1/ocpp',
      ocppVersion: 'ocpp1.6',
      connectors: 1,
      maxPowerW: 7400,
    };
    expect(() => parseFleet({ stations: [s, s] })).toThrow(/duplicate identity A/);
  });

  it('parses durations', () => {
    expect(parseDurationMs('10m')).toBe(600_000);
    expect(parseDurationMs('90')).toBe(90_000);
    expect(parseDurationMs('1500ms')).toBe(1500);
    expect(() => parseDurationMs('soon')).toThrow(InvalidConfigError);
  });
});
