/**
 * `npm start`: the whole stack with embedded defaults. Prints the dashboard URL, the demo
 * credentials and the OCPP endpoints; Ctrl-C stops every process cleanly.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingBinaryError } from '../services/index.js';
import { DataDirLockedError } from './data-dir.js';
import { openLogFiles } from './log-files.js';
import { formatLogLine, isNoteworthy } from './log-format.js';
import { startStack, type Stack } from './stack.js';

const HELP = `Usage: npm start [-- options]

Starts PostgreSQL, nats-server, the cloud, one edge agent per demo site, simulated chargers and the
dashboard on this machine.

Options:
  --reset            wipe the data dir (database, JetStream store, edge outboxes) before starting
  --port <n>         dashboard/API port (default 8080)
  --no-swarm         start no simulated chargers
  --scenario <file>  swarm scenario (default loadtest/swarm/scenarios/demo.json)
  --fleet <file>     demo fleet (default infra/stack/demo-fleet.json)
  -h, --help         this text

Environment: VOLTMESH_DATA_DIR (default ./.data), DATABASE_URL and NATS_URL to use existing servers.`;

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      port: { type: 'string', default: '8080' },
      'no-swarm': { type: 'boolean', default: false },
      scenario: { type: 'string', default: join(repoRoot, 'loadtest/swarm/scenarios/demo.json') },
      fleet: { type: 'string', default: join(repoRoot, 'infra/stack/demo-fleet.json') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const httpPort = Number(values.port);
  if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) {
    console.error(`--port must be a port number, got "${values.port}"`);
    return 2;
  }

  const dataDir = resolve(process.env['VOLTMESH_DATA_DIR'] ?? join(repoRoot, '.data'));

  const colour = process.stdout.isTTY;
  const logDir = join(dataDir, 'logs');
  const logFiles = openLogFiles(logDir, (message) => console.error(`log files: ${message}`));
  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    progress(`${reason}: stopping every process`);
    await stack?.stop();
    await logFiles.close();
    progress('stopped');
  };
  // A terminal Ctrl-C reaches us directly and again through npm, so expect a signal more than once:
  // the first starts the ordered shutdown, repeats are ignored, and a third forces the exit.
  let signals = 0;
  const onSignal = (signal: string) => {
    signals++;
    if (signals === 1) void shutdown(signal).then(() => process.exit(0));
    else if (signals >= 3) {
      console.error('forced exit: child processes may still be stopping');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    stack = await startStack({
      repoRoot,
      dataDir,
      reset: values.reset,
      fleetFile: resolve(values.fleet),
      scenarioFile: values['no-swarm'] ? null : resolve(values.scenario),
      httpPort,
      natsPort: 14222,
      postgresPort: 15432,
      firstEdgePort: 9001,
      natsUrl: process.env['NATS_URL'],
      databaseUrl: process.env['DATABASE_URL'],
      sink: (component, line) => {
        logFiles.write(component, line);
        if (isNoteworthy(component, line)) console.log(formatLogLine(component, line, { colour, width: 18 }));
      },
      progress,
    });
  } catch (error) {
    if (error instanceof MissingBinaryError || error instanceof DataDirLockedError) {
      console.error(`\n${error.message}\n`);
    } else {
      console.error('\nThe stack could not start:', error instanceof Error ? error.message : error);
    }
    await shutdown('start failed');
    return 1;
  }

  printBanner(stack, logDir);
  const component = await stack.crashed;
  if (stopping) return 0;
  console.error(`\n${component} exited unexpectedly; see its log lines above.`);
  await shutdown(`${component} exited`);
  return 1;
}

function progress(message: string): void {
  console.log(`\x1b[1m▸ ${message}\x1b[0m`);
}

function printBanner(stack: Stack, logDir: string): void {
  const { admin } = stack.fleet;
  const lines = [
    '',
    'Voltmesh is running (demo mode).',
    '',
    `  Dashboard     ${stack.url}`,
    `  API docs      ${stack.url}/api/docs`,
    `  Demo login    ${admin.email} / ${admin.password}   (demo account; never use in production)`,
    ...stack.fleet.users.map(
      (u) => `                ${u.email} / ${u.password}   (${u.role}${u.site ? ` at ${u.site}` : ''})`,
    ),
    '',
    '  OCPP endpoints (ocpp1.6 and ocpp2.0.1 subprotocols; connect as ws://…/ocpp/<station identity>):',
    ...stack.edges.map((e) => `    ${e.siteCode.padEnd(16)} ${e.ocppUrl}`),
    '',
    `  NATS ${stack.natsUrl}    PostgreSQL ${redact(stack.databaseUrl)}`,
    `  Full logs     ${logDir}/<component>.log`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

process.exitCode = await main();
