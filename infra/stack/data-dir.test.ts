import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir.js';

describe('data dir lock', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voltmesh-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second stack while the first holds the data dir, and frees it on release', async () => {
    const dir = await tempDir();
    // The parent of this test process stands in for another live stack.
    await writeFile(join(dir, 'stack.pid'), String(process.ppid));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(lockDataDir(dir)).rejects.toThrow(/VOLTMESH_DATA_DIR/);

    await rm(join(dir, 'stack.pid'));
    const release = await lockDataDir(dir);
    expect(await readFile(join(dir, 'stack.pid'), 'utf8')).toBe(String(process.pid));
    await release();
    await expect(readFile(join(dir, 'stack.pid'))).rejects.toThrow();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'stack.pid'), '999999999');
    const release = await lockDataDir(dir);
    expect(await readFile(join(dir, 'stack.pid'), 'utf8')).toBe(String(process.pid));
    await release();
  });
});
