/**
 * A load-generator child process: one StationPool driven by requests from the runner over IPC. Two
 * of them split the chargers so that neither the runner nor one process holds every socket.
 */
import { meterValues } from './ocpp-frames.js';
import type { WorkerReply, WorkerRequest } from './load-protocol.js';
import { StationPool } from './station-pool.js';
import { flatOut, paced, until } from './traffic.js';

let pool: StationPool | undefined;

const reply = (message: WorkerReply) => process.send?.(message);

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'connect': {
      pool ??= new StationPool(request.ocppUrl);
      const outcome = await pool.connect(request.identities, request.concurrency);
      return { type: 'connected', outcome, held: pool.size, dropped: pool.dropped };
    }
    case 'paced': {
      const p = requirePool();
      return { type: 'traffic', result: await paced(p, request.options), held: p.size, dropped: p.dropped };
    }
    case 'flat-out': {
      const p = requirePool();
      const clocks = new Array<number>(p.size).fill(Date.now());
      const result = await flatOut(p, {
        done: until(request.durationMs),
        next: (i) => {
          clocks[i]! += request.instantsPerFrame * 1000;
          return ['MeterValues', meterValues(1, clocks[i]!, request.instantsPerFrame, 1000)];
        },
      });
      return { type: 'traffic', result, held: p.size, dropped: p.dropped };
    }
    case 'close':
      await pool?.close();
      pool = undefined;
      return { type: 'closed' };
  }
}

function requirePool(): StationPool {
  if (!pool) throw new Error('connect first');
  return pool;
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(reply, (error: unknown) =>
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The runner owns this process: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
