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
        nth === 1 ? { status: 'Pending', interval: 2 } : { status: 'Accepted', interval: 1 },
    });
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const s = server;
    await waitFor('pending', () => swarm!.station(id).snapshot().phase === 'pending');
    // While Pending the server may read configuration, but a remote start is refused.
    if (version === 'ocpp1.6') {
      const conf = await s.command(id, 'GetConfiguration', { key: ['HeartbeatInterval'] });
      expect(conf.configurationKey).toHaveLength(1);
      await expect(s.command(id, 'RemoteStartTransaction', { idTag: 'REMOTE-1' })).resolves.toEqual({
        status: 'Rejected',
      });
    } else {
      const got = await s.command(id, 'GetVariables', {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
      });
      expect(got.getVariableResult[0].attributeStatus).toBe('Accepted');
      await expect(
        s.command(id, 'RequestStartTransaction', {
          idToken: { idToken: 'REMOTE-1', type: 'Central' },
          remoteStartId: 1,
        }),
      ).resolves.toEqual({ status: 'Rejected' });
    }
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
    // Rejected means silent: not even answers to the server's commands.
    await expect(s.command(id, 'ClearCache', {}, 300)).rejects.toThrow(/timeout/i);
    await waitFor('a retried boot', () => s.calls(id, 'BootNotification').length >= 3);
    expect(new Set(s.calls(id).map((c) => c.method))).toEqual(new Set(['BootNotification']));
    await waitFor('rejected again', () => handle.snapshot().phase === 'rejected');
    expect(s.schemaFailures).toEqual([]);
  });
});
