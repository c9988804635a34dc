/**
 * Services the benchmarks run as child processes exactly as the stack does
 * (`node --import tsx <entry>` with its environment), with the last lines of their output kept so a
 * failure can say what the service said.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpawnOptions } from '../stack/processes.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The last lines written by every child, newest last. */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max = 60) {}

  readonly sink = (component: string, line: string): void => {
    this.lines.push(`${component} ${line.slice(0, 400)}`);
    if (this.lines.length > this.max) this.lines.shift();
  };

  toString(): string {
    return this.lines.join('\n');
  }
}

export function tsxProcess(
  component: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logs: LogTail,
): SpawnOptions {
  return {
    component,
    command: process.execPath,
    args: ['--import', 'tsx', join(REPO_ROOT, entry), ...args],
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: 'warn', ...env },
    sink: logs.sink,
  };
}

/** Resident set size of a process from /proc/<pid>/status (VmRSS), in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/** One unlabelled sample of a Prometheus text exposition, or null when absent. */
export function promSample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.slice(name.length + 1).split(' ')[0]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
