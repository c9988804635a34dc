import { afterEach, describe, expect, it } from 'vitest';
import type { Swarm } from '../src/index.js';
import { startTestSwarm, station } from './helpers.js';
import { startTestServer, waitFor, type TestServer } from './ocpp-test-server.js';

let server: TestServer | undefined;
let swarm: Swarm | undefined;
afterEach(async () => {
  await swarm?.stop();
  await server?.close();
  swarm = server = undefined;
});

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('%s boot', (version) => {
  it('retries a Pending boot after the interval and sends nothing else until Accepted', async () => {
    const id = `PENDING-${version}`;
    server = await startTestServer({
      boot: (_identity, nth) =>
        nth === 1 ? { status: 'Pending', interval: 1 } : { status: 'Accepted', interval: 1 },
    });
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const s = server;
    await waitFor('accepted after retry', () => swarm!.station(id).snapshot().phase === 'accepted');
    await waitFor('statuses', () => s.calls(id, 'StatusNotification').length > 0);
    const methods = s.calls(id).map((c) => c.method);
    expect(methods.slice(0, 2)).toEqual(['BootNotification', 'BootNotification']);
    expect(s.calls(id, 'BootNotification')).toHaveLength(2);
    expect(s.schemaFailures).toEqual([]);
  });

  it('after a Rejected boot sends only BootNotification, retrying after the interval', async () => {
    const id = `REJECTED-${version}`;
    server = await startTestServer({ boot: () => ({ status: 'Rejected', interval: 1 }) });
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const s = server;
    const handle = swarm.station(id);
    await waitFor('first boot', () => s.calls(id, 'BootNotification').length === 1);
    // A vehicle arriving meanwhile must not make the station talk.
    await handle.plugIn(1, 'TAG-OK-1');
    await waitFor('a retried boot', () => s.calls(id, 'BootNotification').length >= 3);
    expect(new Set(s.calls(id).map((c) => c.method))).toEqual(new Set(['BootNotification']));
    expect(handle.snapshot().phase).toBe('rejected');
    expect(s.schemaFailures).toEqual([]);
  });
});
