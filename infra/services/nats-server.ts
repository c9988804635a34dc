/**
 * A nats-server with JetStream on a loopback port, for tests and the embedded stack. The handle can
 * stop it gracefully, kill it with SIGKILL and start it again on the same port and store directory,
 * which is what fault tests need to cut the "uplink".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binaries.js';
import { freePort, waitForPort } from './ports.js';

export interface NatsServerOptions {
  /** Fixed port; a free one is picked when absent. */
  port?: number;
  /** JetStream store; a temp dir (removed by `dispose`) when absent. */
  storeDir?: string;
  /** Called with each line nats-server writes, e.g. to forward it to a logger. */
  onLog?: (line: string) => void;
  /**
   * Run in its own process group, so a terminal Ctrl-C reaches only the parent, which then stops the
   * services that use NATS before NATS itself (the stack runner wants this; tests do not).
   */
  ownProcessGroup?: boolean;
  /**
   * Extra nats-server configuration (e.g. an `authorization { … }` block), written next to the store
   * and passed with `-c`; the command-line port, host and JetStream flags still apply.
   */
  configText?: string;
}

export interface NatsServerHandle {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  readonly pid: number | undefined;
  /** Graceful shutdown (SIGTERM), waits for exit. */
  stop(): Promise<void>;
  /** SIGKILL, waits for exit. */
  kill(): Promise<void>;
  /** Starts again on the same port and store dir (after stop or kill). */
  start(): Promise<void>;
  /** Stops it and removes a temp store dir. */
  dispose(): Promise<void>;
}

export const NATS_INSTALL_HINT =
  'Install it with `apt-get install -y nats-server` (Debian/Ubuntu), or point NATS_URL at a running nats-server started with -js.';

export async function startNats(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = findBinary('nats-server', NATS_INSTALL_HINT);
  const port = options.port ?? (await freePort());
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'voltmesh-nats-')));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) return;
    const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '-n', `voltmesh-${port}`];
    if (options.configText !== undefined) {
      const file = join(storeDir, 'voltmesh-nats.conf');
      await writeFile(file, options.configText, { mode: 0o600 });
      args.push('-c', file);
    }
    const proc = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup ?? false,
    });
    child = proc;
    // A parent that exits without disposing (a test run cut short) must not leave the server behind.
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLog?.(line);
    };
    proc.stdout?.on('data', forward);
    proc.stderr?.on('data', forward);
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await waitForPort(port, proc, 10_000);
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(sig);
    await exited;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return child?.pid;
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    start,
    async dispose() {
      await signal('SIGTERM');
      if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    },
  };
}
