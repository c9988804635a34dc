/**
 * The swarm CLI: reads a fleet (or generates one), a scenario, enforces the loopback and size
 * bounds, runs until the duration ends or SIGINT/SIGTERM, and logs pino JSON lines to stdout.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { parseCliArgs, usage, type CliArgs } from './cli-args.js';
import { SwarmError } from './errors.js';
import { logSwarmEvent } from './event-log.js';
import { parseFleet, parseScenario, type FleetInput } from './options.js';
import { generateFleet } from './quick-fleet.js';
import { startSwarm } from './swarm.js';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function loadFleet(args: CliArgs): Promise<FleetInput> {
  if (args.quick) return generateFleet(args.quick);
  return parseFleet(await readJson(args.fleetFile!, 'fleet'), `fleet ${args.fleetFile}`);
}

async function run(args: CliArgs): Promise<void> {
  const logger = pino({ level: args.logLevel, base: { service: 'swarm' } });
  const fleet = await loadFleet(args);
  const scenario = parseScenario(
    args.scenarioFile ? await readJson(args.scenarioFile, 'scenario') : {},
    args.scenarioFile ? `scenario ${args.scenarioFile}` : 'scenario',
  );
  logger.info(
    {
      stations: fleet.stations.length,
      maxStations: args.maxStations,
      duration: args.durationMs === undefined ? 'unlimited' : `${args.durationMs / 1000}s`,
      allowRemote: args.allowRemote,
      scenario: args.scenarioFile ?? '(defaults)',
      timeScale: scenario.timeScale,
    },
    'swarm starting',
  );

  // Armed before the start, so the duration bounds the whole run, ramp included.
  let durationTimer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (args.durationMs !== undefined) durationTimer = setTimeout(done, args.durationMs);
  });

  const swarm = await startSwarm({
    fleet,
    scenario,
    allowRemote: args.allowRemote,
    maxStations: args.maxStations,
    onEvent: (e) => logSwarmEvent(logger, e),
  });

  let lastSent = 0;
  let lastAt = Date.now();
  const summary = (msg: string) => {
    const s = swarm.stats();
    const now = Date.now();
    const msgsPerS = Math.round(((s.messagesSent - lastSent) * 1000) / Math.max(1, now - lastAt));
    lastSent = s.messagesSent;
    lastAt = now;
    logger.info({ ...s, msgsPerS }, msg);
  };
  const summaryTimer = setInterval(() => summary('summary'), args.summaryIntervalMs);

  await finished;
  clearTimeout(durationTimer);
  clearInterval(summaryTimer);
  await swarm.stop();
  summary('swarm stopped');
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stderr.write(usage);
    return;
  }
  try {
    await run(args);
  } catch (err) {
    const code = err instanceof SwarmError ? err.code : 'SWARM_FAILED';
    process.stderr.write(`swarm: ${code}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

await main();
