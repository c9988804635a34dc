/** Full, unfiltered output of every stack component, one file per component under <data>/logs. */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface LogFiles {
  write(component: string, line: string): void;
  close(): Promise<void>;
}

/**
 * The directory is created at the first write (a `--reset` empties the data dir after this opens),
 * and a failing log file is reported once rather than taking the stack down with it.
 */
export function openLogFiles(dir: string, onError: (message: string) => void): LogFiles {
  const streams = new Map<string, WriteStream>();
  const failed = new Set<string>();
  return {
    write(component, line) {
      if (failed.has(component)) return;
      let stream = streams.get(component);
      if (!stream) {
        const path = join(dir, `${component.replace(/[^\w.-]/g, '_')}.log`);
        try {
          mkdirSync(dir, { recursive: true });
        } catch (error) {
          failed.add(component);
          onError(`cannot create ${dir}: ${(error as Error).message}`);
          return;
        }
        stream = createWriteStream(path, { flags: 'a' });
        stream.on('error', (error) => {
          failed.add(component);
          streams.delete(component);
          onError(`cannot write ${path}: ${error.message}`);
        });
        streams.set(component, stream);
      }
      stream.write(line + '\n');
    },
    async close() {
      await Promise.all([...streams.values()].map((s) => new Promise((r) => s.end(r))));
    },
  };
}
