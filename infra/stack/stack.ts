/**
 * The whole Voltmesh stack on one machine: PostgreSQL and nats-server (embedded, or the URLs given),
 * migrations and the demo seed, the web build, the cloud, one edge agent per site and a swarm of
 * simulated chargers. Used by `npm start` (infra/stack/main.ts) and by the end-to-end tests, so the
 * test exercises exactly what a user runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { startNats, startPostgres, type NatsServerHandle, type PostgresHandle } from '../services/index.js';
import { freePort } from '../services/ports.js';
import { lockDataDir, loadOrCreateSecrets, postgresDataDir, resetDataDir } from './data-dir.js';
import { loadFleet, sitesOf, swarmFleet, type Fleet } from './fleet.js';
import {
  runToCompletion,
  spawnManaged,
  waitForHttp,
  type LineSink,
  type ManagedProcess,
} from './processes.js';

export interface StackOptions {
  repoRoot: string;
  dataDir: string;
  /** Wipe the data dir (database, JetStream store, outboxes) before starting. */
  reset?: boolean;
  fleetFile: string;
  /** Swarm scenario; null runs no simulated chargers. */
  scenarioFile: string | null;
  httpPort: number;
  /** Preferred ports; a free one is used when taken. */
  natsPort: number;
  postgresPort: number;
  firstEdgePort: number;
  natsUrl?: string | undefined;
  databaseUrl?: string | undefined;
  /** Process output, one line at a time. */
  sink: LineSink;
  /** Progress messages of the runner itself. */
  progress: (message: string) => void;
}

export interface EdgeInfo {
  siteCode: string;
  port: number;
  ocppUrl: string;
}

export interface Stack {
  url: string;
  fleet: Fleet;
  edges: EdgeInfo[];
  natsUrl: string;
  databaseUrl: string;
  /** Stops when any long-running process exits on its own; resolves with its name. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { repoRoot, dataDir, sink, progress } = options;
  const fleet = await loadFleet(options.fleetFile);
  const unlock = await lockDataDir(dataDir);
  if (options.reset) {
    progress(`--reset: removing the contents of ${dataDir}`);
    await resetDataDir(dataDir);
    await rm(postgresDataDir(dataDir), { recursive: true, force: true });
  }
  const { secrets, created } = await loadOrCreateSecrets(dataDir);
  const pgDir = postgresDataDir(dataDir);
  if (created && !options.databaseUrl && !pgDir.startsWith(dataDir) && existsSync(pgDir)) {
    // The data dir was deleted by hand but its cluster (kept outside it) survived, with a password
    // that went with the old secrets: nothing can open it any more.
    progress(`removing ${pgDir}: its data dir and password are gone`);
    await rm(pgDir, { recursive: true, force: true });
  }
  const processes: ManagedProcess[] = [];
  let nats: NatsServerHandle | undefined;
  let postgres: PostgresHandle | undefined;

  const stop = async () => {
    for (const proc of [...processes].reverse()) await proc.stop();
    await nats?.stop();
    await postgres?.stop();
    await unlock();
  };

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      progress(`starting PostgreSQL (embedded, data in ${pgDir})`);
      postgres = await startPostgres({
        dataDir: pgDir,
        port: await preferPort(options.postgresPort),
        password: secrets.postgresPassword,
        ownProcessGroup: true,
        onLog: (line) => sink('postgres', line),
      });
      await ensureDatabase(postgres.url, 'voltmesh');
      databaseUrl = postgres.urlFor('voltmesh');
    }

    let natsUrl = options.natsUrl;
    if (!natsUrl) {
      progress(`starting nats-server with JetStream (store in ${join(dataDir, 'nats')})`);
      nats = await startNats({
        port: await preferPort(options.natsPort),
        storeDir: join(dataDir, 'nats'),
        ownProcessGroup: true,
        onLog: (line) => sink('nats', line),
      });
      natsUrl = nats.url;
    }

    const tsx = (component: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}) => ({
      component,
      command: process.execPath,
      args: ['--import', 'tsx', join(repoRoot, script), ...args],
      cwd: repoRoot,
      env: { LOG_LEVEL: 'info', ...env },
      sink,
    });
    const cloudEnv = { DATABASE_URL: databaseUrl, NATS_URL: natsUrl };

    progress('applying database migrations');
    await runToCompletion(tsx('migrate', 'cloud/src/cli.ts', ['migrate'], cloudEnv));
    progress('seeding the demo tenant, sites and stations');
    await runToCompletion(tsx('seed', 'cloud/src/cli.ts', ['seed-demo', options.fleetFile], cloudEnv));

    const webDist = join(repoRoot, 'web', 'dist');
    if (webNeedsBuild(join(repoRoot, 'web'))) {
      progress('building the web dashboard (first start or sources changed)');
      await runToCompletion({
        component: 'web-build',
        command: process.execPath,
        args: [join(repoRoot, 'web', 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
        cwd: join(repoRoot, 'web'),
        sink,
      });
    }

    progress('starting the cloud');
    const url = `http://127.0.0.1:${options.httpPort}`;
    const cloud = spawnManaged(
      tsx('cloud', 'cloud/src/main.ts', [], {
        ...cloudEnv,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(options.httpPort),
        VOLTMESH_MODE: 'demo',
        SESSION_SECRET: secrets.sessionSecret,
        WEB_DIST_DIR: webDist,
        PUBLIC_URL: url,
      }),
    );
    processes.push(cloud);
    await waitForHttp(`${url}/health`, cloud, 60_000);

    const edges: EdgeInfo[] = [];
    const edgeProcesses: ManagedProcess[] = [];
    let nextPort = options.firstEdgePort;
    for (const site of sitesOf(fleet)) {
      const port = await preferPort(nextPort);
      nextPort = port + 1;
      progress(`starting the edge agent of site ${site.code} (OCPP on port ${port})`);
      const edge = spawnManaged(
        tsx(`edge:${site.code}`, 'edge-agent/src/main.ts', [], {
          NATS_URL: natsUrl,
          SITE_ID: site.code,
          OCPP_HOST: '127.0.0.1',
          OCPP_PORT: String(port),
          EDGE_DATA_DIR: join(dataDir, 'edge', site.code),
          EDGE_ACCEPT_UNKNOWN_STATIONS: 'true',
        }),
      );
      processes.push(edge);
      edgeProcesses.push(edge);
      edges.push({ siteCode: site.code, port, ocppUrl: `ws://127.0.0.1:${port}/ocpp` });
    }
    await Promise.all(
      edges.map((e, i) => waitForHttp(`http://127.0.0.1:${e.port}/health`, edgeProcesses[i]!, 60_000)),
    );

    if (options.scenarioFile) {
      const fleetForSwarm = swarmFleet(fleet, (code) => edges.find((e) => e.siteCode === code)!.ocppUrl);
      const swarmFile = join(dataDir, 'swarm-fleet.json');
      await writeFile(swarmFile, JSON.stringify(fleetForSwarm, null, 2));
      progress(`starting ${fleetForSwarm.stations.length} simulated chargers`);
      processes.push(
        spawnManaged(
          tsx('swarm', 'loadtest/swarm/src/cli.ts', [
            '--fleet',
            swarmFile,
            '--scenario',
            options.scenarioFile,
          ]),
        ),
      );
    }

    const crashed = Promise.race(processes.map((p) => p.exited.then(() => p.component)));
    return { url, fleet, edges, natsUrl, databaseUrl, crashed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function preferPort(port: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? port : freePort();
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** True when web/dist is missing or older than any source file of the web app. */
export function webNeedsBuild(webDir: string): boolean {
  const index = join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const newest = (path: string): number => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
  };
  return ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']
    .map((entry) => join(webDir, entry))
    .filter((path) => existsSync(path))
    .some((path) => newest(path) > built);
}
