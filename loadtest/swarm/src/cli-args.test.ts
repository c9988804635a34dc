import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { InvalidConfigError } from './errors.js';

describe('parseCliArgs', () => {
  it('parses the stack runner form with unlimited duration and the default bound', () => {
    const a = parseCliArgs(['--fleet', 'fleet.json', '--scenario', 'loadtest/swarm/scenarios/demo.json']);
    expect(a).toMatchObject({
      fleetFile: 'fleet.json',
      durationMs: undefined,
      maxStations: 20_000,
      allowRemote: false,
    });
  });

  it('ignores the separator pnpm passes through', () => {
    expect(parseCliArgs(['--', '--fleet', 'f.json']).fleetFile).toBe('f.json');
  });

  it('parses the quick form', () => {
    const a = parseCliArgs([
      '--url',
      'ws://127.0.0.1:9000/ocpp',
      '--count',
      '50',
      '--mix',
      '0.5',
      '--duration',
      '10m',
      '--allow-remote',
    ]);
    expect(a.quick).toMatchObject({ count: 50, mix: 0.5, connectors: 2, maxPowerW: 22_000 });
    expect(a.durationMs).toBe(600_000);
    expect(a.allowRemote).toBe(true);
  });

  it.each([
    [[]],
    [['--fleet', 'a', '--url', 'ws://x']],
    [['--url', 'ws://127.0.0.1']],
    [['--fleet', 'a', '--mystery']],
    [['--url', 'ws://x', '--count', '-3']],
  ])('refuses %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(InvalidConfigError);
  });
});
