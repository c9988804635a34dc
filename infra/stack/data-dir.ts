/**
 * The stack's local data dir (PostgreSQL cluster, JetStream store, edge outboxes, generated secrets),
 * kept between runs and wiped by `--reset`.
 */
import { randomBytes } from 'node:crypto';
import { constants, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { createHash } from 'node:crypto';

export interface StackSecrets {
  postgresPassword: string;
  sessionSecret: string;
}

/** Wipes everything in the data dir but the lock, which the caller holds. */
export async function resetDataDir(dataDir: string): Promise<void> {
  for (const entry of await readdir(dataDir)) {
    if (entry !== 'stack.pid') await rm(join(dataDir, entry), { recursive: true, force: true });
  }
}

/**
 * Secrets generated on first start and reused after, so the PostgreSQL cluster stays reachable.
 * `created` says they are new: a cluster left from before cannot be opened with them.
 */
export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: StackSecrets; created: boolean }> {
  const file = join(dataDir, 'secrets.json');
  try {
    return { secrets: JSON.parse(await readFile(file, 'utf8')) as StackSecrets, created: false };
  } catch {
    const secrets: StackSecrets = {
      postgresPassword: randomBytes(18).toString('base64url'),
      sessionSecret: randomBytes(32).toString('base64url'),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return { secrets, created: true };
  }
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the OS user `postgres`, which must be able
 * to traverse every parent of its data dir. A checkout under /root is not traversable; then the
 * cluster lives under /var/lib/voltmesh/<hash of the data dir> instead.
 */
export function postgresDataDir(dataDir: string): string {
  const wanted = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(dirname(wanted))) return wanted;
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return join('/var/lib/voltmesh', hash, 'postgres');
}

function traversableByOthers(dir: string): boolean {
  const { root } = parse(dir);
  let current = dir;
  for (;;) {
    try {
      if ((statSync(current).mode & constants.S_IXOTH) === 0) return false;
    } catch {
      // not created yet: its parent decides
    }
    if (current === root) return true;
    current = dirname(current);
  }
}

export class DataDirLockedError extends Error {
  readonly code = 'VM_DATA_DIR_LOCKED';
}

/**
 * One stack per data dir: two would share a JetStream store and the edge outboxes. The lock is a
 * pid file created exclusively; a lock whose process is gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'stack.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `another Voltmesh stack (pid ${holder}) is using ${dataDir}: stop it first, or give this one its own ` +
            'data dir with VOLTMESH_DATA_DIR=<dir>',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
