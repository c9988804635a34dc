/**
 * Child processes of the stack: each one's output is split into lines and handed to a sink with the
 * component name; stopping sends SIGTERM and escalates to SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LineSink = (component: string, line: string) => void;

export interface ManagedProcess {
  readonly component: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) whenever the process ends. */
  readonly exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  component: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  sink: LineSink;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Children run in their own process group so that a Ctrl-C reaches only the runner, which then stops
 * them in order (chargers first, the database last). If the runner itself dies, they die with it.
 */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const proc of live) proc.kill('SIGKILL');
    });
  }
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => options.sink(options.component, line));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    child.once('error', (error) => {
      options.sink(options.component, `failed to start: ${error.message}`);
      resolve(-1);
    });
  });
  return {
    component: options.component,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its last output lines if it fails. */
export async function runToCompletion(options: SpawnOptions): Promise<void> {
  const tail: string[] = [];
  const proc = spawnManaged({
    ...options,
    sink: (component, line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.sink(component, line);
    },
  });
  const code = await proc.exited;
  if (code !== 0) {
    throw new Error(`${options.component} failed (exit ${code}):\n${tail.join('\n')}`);
  }
}

/** Polls an HTTP URL until it answers 2xx, the process dies, or the time runs out. */
export async function waitForHttp(url: string, proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void proc.exited.then((code) => {
    ended = code;
  });
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`${proc.component} exited (${ended}) before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.component} did not become healthy at ${url} within ${timeoutMs} ms (${lastError})`);
}
