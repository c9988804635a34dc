/** Finds OS-packaged executables; Debian installs some daemons in sbin, which a non-root PATH lacks. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

export class MissingBinaryError extends Error {
  readonly code = 'VM_MISSING_BINARY';
  constructor(
    readonly binary: string,
    readonly hint: string,
  ) {
    super(`${binary} was not found on PATH or in ${EXTRA_DIRS.join(', ')}. ${hint}`);
    this.name = 'MissingBinaryError';
  }
}

export function findBinary(name: string, hint: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new MissingBinaryError(name, hint);
}
