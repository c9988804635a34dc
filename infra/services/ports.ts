/** Free loopback ports for throwaway services. */
import type { ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe socket'));
      });
    });
  });
}

/** Resolves once something accepts TCP connections on the port; rejects if the process dies first. */
export async function waitForPort(port: number, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state: { exitCode: number | null } = { exitCode: null };
  proc.once('exit', (code) => {
    state.exitCode = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (state.exitCode !== null) {
      throw new Error(`${proc.spawnfile} exited with code ${state.exitCode} before listening`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill('SIGKILL');
  throw new Error(`${proc.spawnfile} did not listen on port ${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
