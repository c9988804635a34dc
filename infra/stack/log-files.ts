/** Full, unfiltered output of every stack component, one file per component under <data>/logs. */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface LogFiles {
  write(component: string, line: string): void;
  close(): Promise<void>;
}

export function openLogFiles(dir: string): LogFiles {
  mkdirSync(dir, { recursive: true });
  const streams = new Map<string, WriteStream>();
  return {
    write(component, line) {
      let stream = streams.get(component);
      if (!stream) {
        stream = createWriteStream(join(dir, `${component.replace(/[^\w.-]/g, '_')}.log`), { flags: 'a' });
        streams.set(component, stream);
      }
      stream.write(line + '\n');
    },
    async close() {
      await Promise.all([...streams.values()].map((s) => new Promise((r) => s.end(r))));
    },
  };
}
