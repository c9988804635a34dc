/** Command-line parsing for the swarm CLI: one place that knows every flag and its default. */
import { parseArgs } from 'node:util';
import { InvalidConfigError, SwarmErrorCode } from './errors.js';
import { maxStationsDefault, parseDurationMs } from './options.js';

export const usage = `Usage:
  tsx loadtest/swarm/src/cli.ts --fleet <fleet.json> [--scenario <scenario.json>] [options]
  tsx loadtest/swarm/src/cli.ts --url ws://127.0.0.1:9000/ocpp --count 50 [--mix 0.5] [options]

Fleet:
  --fleet <file>           JSON {"stations":[{identity,url,ocppVersion,connectors,maxPowerW,password?}]}
  --url <ws-url>           quick form: OCPP endpoint (the identity is appended)
  --count <n>              quick form: number of stations
  --mix <0..1>             quick form: share speaking OCPP 2.0.1 (default 0.5)
  --connectors <n>         quick form: connectors per station (default 2)
  --power-kw <kW>          quick form: max power per connector (default 22)
  --password <secret>      quick form: HTTP Basic password for every station
  --prefix <text>          quick form: identity prefix (default SWARM-)

Behaviour and bounds:
  --scenario <file>        scenario JSON (see loadtest/swarm/scenarios/)
  --duration <d>           stop after e.g. 90s, 10m, 2h (default: unlimited)
  --max-stations <n>       refuse larger fleets (default ${maxStationsDefault})
  --allow-remote           allow targets that are not loopback (127.0.0.0/8, ::1)
  --summary-interval <d>   summary line period (default 10s)
  --log-level <level>      pino level (default info; debug adds status changes)
  -h, --help               this text
`;

export interface CliArgs {
  fleetFile: string | undefined;
  quick:
    | {
        url: string;
        count: number;
        mix: number;
        connectors: number;
        maxPowerW: number;
        password?: string;
        prefix: string;
      }
    | undefined;
  scenarioFile: string | undefined;
  durationMs: number | undefined;
  maxStations: number;
  allowRemote: boolean;
  summaryIntervalMs: number;
  logLevel: string;
  help: boolean;
}

function invalid(issue: string): InvalidConfigError {
  return new InvalidConfigError(SwarmErrorCode.InvalidOptions, 'invalid command line', [issue]);
}

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !check(n)) throw invalid(`--${name} ${JSON.stringify(text)} is out of range`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --flag` passes the separator through; it means nothing here.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      strict: true,
      options: {
        fleet: { type: 'string' },
        url: { type: 'string' },
        count: { type: 'string' },
        mix: { type: 'string' },
        connectors: { type: 'string' },
        'power-kw': { type: 'string' },
        password: { type: 'string' },
        prefix: { type: 'string' },
        scenario: { type: 'string' },
        duration: { type: 'string' },
        'max-stations': { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        'summary-interval': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  const help = values.help === true;
  if (!help && (values.fleet === undefined) === (values.url === undefined)) {
    throw invalid('give exactly one of --fleet <file> or --url <ws-url> --count <n>');
  }
  if (values.url !== undefined && values.count === undefined) throw invalid('--url needs --count');
  const isInt = (n: number) => Number.isInteger(n) && n > 0;
  return {
    fleetFile: values.fleet,
    quick:
      values.url === undefined
        ? undefined
        : {
            url: values.url,
            count: number('count', values.count, 0, isInt),
            mix: number('mix', values.mix, 0.5, (n) => n >= 0 && n <= 1),
            connectors: number('connectors', values.connectors, 2, (n) => isInt(n) && n <= 32),
            maxPowerW: number('power-kw', values['power-kw'], 22, (n) => n > 0 && n <= 1000) * 1000,
            prefix: values.prefix ?? 'SWARM-',
            ...(values.password !== undefined ? { password: values.password } : {}),
          },
    scenarioFile: values.scenario,
    durationMs: values.duration === undefined ? undefined : parseDurationMs(values.duration),
    maxStations: number('max-stations', values['max-stations'], maxStationsDefault, isInt),
    allowRemote: values['allow-remote'] === true,
    summaryIntervalMs:
      values['summary-interval'] === undefined ? 10_000 : parseDurationMs(values['summary-interval']),
    logLevel: values['log-level'] ?? 'info',
    help,
  };
}
