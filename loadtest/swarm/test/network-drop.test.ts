import { afterEach, describe, expect, it } from 'vitest';
import type { Swarm } from '../src/index.js';
import { startTestSwarm, station } from './helpers.js';
import {
  energyReadings,
  isTransactionMessage,
  startTestServer,
  waitFor,
  withoutRetransmissions,
  type TestServer,
} from './ocpp-test-server.js';

let server: TestServer | undefined;
let swarm: Swarm | undefined;
afterEach(async () => {
  await swarm?.stop();
  await server?.close();
  swarm = server = undefined;
});

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('%s network drop during a session', (version) => {
  it('queues transaction messages offline and delivers them in order after the reconnect', async () => {
    const id = `DROP-${version}`;
    server = await startTestServer();
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const s = server;
    const handle = swarm.station(id);
    await waitFor('booted', () => handle.snapshot().phase === 'accepted');
    await handle.plugIn(1, 'TAG-OK-1');
    await waitFor('online meter values', () => s.calls(id).filter(isTransactionMessage).length >= 3);

    await handle.disconnect();
    await waitFor('a message queued offline', () => handle.snapshot().queuedTransactionMessages >= 1);
    // Counted a meter interval after the close: a frame written just before it has landed by now.
    const receivedBeforeDrop = s.calls(id).filter(isTransactionMessage).length;
    await waitFor('messages queued offline', () => handle.snapshot().queuedTransactionMessages >= 4);
    handle.unplug(1);
    expect(handle.snapshot().online).toBe(false);
    const queued = handle.snapshot().queuedTransactionMessages;
    // Nothing reached the server while the station was offline.
    expect(s.calls(id).filter(isTransactionMessage)).toHaveLength(receivedBeforeDrop);

    await handle.reconnect();
    await waitFor(
      'queue drained',
      () =>
        handle.snapshot().queuedTransactionMessages === 0 &&
        s.calls(id).filter(isTransactionMessage).length >= receivedBeforeDrop + queued,
    );

    const tx = s.calls(id).filter(isTransactionMessage);
    const afterDrop = tx.slice(receivedBeforeDrop);
    expect(afterDrop.length).toBe(queued);
    // A message in flight when the socket went down is sent again (at-least-once); the rest is new.
    const distinct = withoutRetransmissions(tx);
    const seenBefore = new Set(tx.slice(0, receivedBeforeDrop).map((c) => JSON.stringify(c.params)));
    const fresh = afterDrop.filter((c) => !seenBefore.has(JSON.stringify(c.params)));
    expect(fresh.length).toBeGreaterThanOrEqual(queued - 1);
    // In order: timestamps never go back, and the end of the transaction comes last.
    const stamps = tx.map((c) => Date.parse(c.params.timestamp ?? c.params.meterValue[0].timestamp));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    const energy = energyReadings(tx);
    for (let i = 1; i < energy.length; i++) expect(energy[i]!).toBeGreaterThanOrEqual(energy[i - 1]!);
    // The register kept counting while offline.
    expect(energyReadings(afterDrop).at(-1)!).toBeGreaterThan(
      energyReadings(tx.slice(0, receivedBeforeDrop)).at(-1)!,
    );
    if (version === 'ocpp1.6') {
      expect(tx.at(-1)!.method).toBe('StopTransaction');
      expect(afterDrop.every((c) => c.params.transactionId === tx[0]!.reply.transactionId)).toBe(true);
    } else {
      expect(distinct.map((c) => c.params.seqNo)).toEqual(distinct.map((_, i) => i));
      expect(tx.at(-1)!.params.eventType).toBe('Ended');
      expect(fresh.every((c) => c.params.offline === true)).toBe(true);
    }
    // No second boot after a network drop: the station only reconnects and reports its connectors.
    expect(s.calls(id, 'BootNotification')).toHaveLength(1);
    expect(s.schemaFailures).toEqual([]);
    expect(swarm.stats().schemaErrors).toBe(0);
  });
});
