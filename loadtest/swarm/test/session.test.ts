import { afterEach, describe, expect, it } from 'vitest';
import type { Swarm } from '../src/index.js';
import { recordingScheduler, startTestSwarm, station } from './helpers.js';
import {
  energyReadings,
  isTransactionMessage,
  startTestServer,
  waitFor,
  type TestServer,
  type Json,
} from './ocpp-test-server.js';

let server: TestServer | undefined;
let swarm: Swarm | undefined;
afterEach(async () => {
  await swarm?.stop();
  await server?.close();
  swarm = server = undefined;
});

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('a %s station', (version) => {
  it('boots, reports every connector, heartbeats at the returned interval and runs a full session', async () => {
    const id = `CP-${version === 'ocpp1.6' ? '16' : '201'}-A`;
    server = await startTestServer({ passwords: { [id]: 'open-sesame' } });
    const scheduler = recordingScheduler();
    swarm = await startTestSwarm(
      [station(server.url, id, version, { password: 'open-sesame', maxPowerW: 22_000 })],
      { scheduler },
    );
    const s = server;

    await waitFor('boot', () => s.calls(id, 'BootNotification').length === 1);
    const reportedConnectors = () =>
      new Set(
        s
          .calls(id, 'StatusNotification')
          .map((c) => (version === 'ocpp1.6' ? c.params.connectorId : c.params.evseId)),
      );
    await waitFor(
      'a status per connector',
      () => reportedConnectors().size >= (version === 'ocpp1.6' ? 3 : 2),
    );
    expect([...reportedConnectors()].sort()).toEqual(version === 'ocpp1.6' ? [0, 1, 2] : [1, 2]);

    // The server answered interval 1: the station adopts it and heartbeats on it.
    await waitFor('two heartbeats', () => s.calls(id, 'Heartbeat').length >= 2);
    expect(swarm.station(id).snapshot().heartbeatIntervalS).toBe(1);
    expect(scheduler.delaysMs).toContain(1000);

    const handle = swarm.station(id);
    await expect(handle.plugIn(1, 'TAG-OK-1')).resolves.toBe(true);
    await waitFor('meter values', () => s.calls(id).filter(isTransactionMessage).length >= 5);
    handle.unplug(1);
    await waitFor('transaction end', () =>
      s
        .calls(id)
        .some(
          (c) =>
            c.method === 'StopTransaction' ||
            (c.method === 'TransactionEvent' && c.params.eventType === 'Ended'),
        ),
    );
    await waitFor(
      'connector available again',
      () =>
        s
          .calls(id, 'StatusNotification')
          .filter((c) => (version === 'ocpp1.6' ? c.params.connectorId : c.params.evseId) === 1)
          .at(-1)?.params[version === 'ocpp1.6' ? 'status' : 'connectorStatus'] === 'Available',
    );

    const calls = s.calls(id);
    const methods = calls.map((c) => c.method);
    expect(methods.indexOf('Authorize')).toBeGreaterThan(-1);
    const tx = calls.filter(isTransactionMessage);
    if (version === 'ocpp1.6') {
      expect(methods.indexOf('Authorize')).toBeLessThan(methods.indexOf('StartTransaction'));
      expect(tx[0]!.method).toBe('StartTransaction');
      const txId = tx[0]!.reply.transactionId;
      const meters = tx.filter((c) => c.method === 'MeterValues');
      expect(meters.length).toBeGreaterThanOrEqual(3);
      for (const m of meters) expect(m.params.transactionId).toBe(txId);
      const measurands = new Set(meters[0]!.params.meterValue[0].sampledValue.map((v: Json) => v.measurand));
      expect([...measurands].sort()).toEqual([
        'Current.Import',
        'Energy.Active.Import.Register',
        'Power.Active.Import',
        'SoC',
        'Voltage',
      ]);
      expect(
        meters[0]!.params.meterValue[0].sampledValue.filter((v: Json) => v.measurand === 'Current.Import'),
      ).toHaveLength(3);
      const stop = tx.at(-1)!;
      expect(stop.method).toBe('StopTransaction');
      expect(stop.params).toMatchObject({ transactionId: txId, reason: 'EVDisconnected' });
    } else {
      expect(methods.indexOf('Authorize')).toBeLessThan(methods.indexOf('TransactionEvent'));
      expect(tx.map((c) => c.params.seqNo)).toEqual(tx.map((_, i) => i));
      expect(tx[0]!.params).toMatchObject({
        eventType: 'Started',
        triggerReason: 'Authorized',
        idToken: { idToken: 'TAG-OK-1' },
      });
      expect(new Set(tx.map((c) => c.params.transactionInfo.transactionId)).size).toBe(1);
      expect(tx.at(-1)!.params).toMatchObject({
        eventType: 'Ended',
        triggerReason: 'EVCommunicationLost',
        transactionInfo: { stoppedReason: 'EVDisconnected' },
      });
    }
    const energy = energyReadings(tx);
    expect(energy.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < energy.length; i++) expect(energy[i]!).toBeGreaterThanOrEqual(energy[i - 1]!);
    expect(energy.at(-1)!).toBeGreaterThan(energy[0]!);

    const stats = swarm.stats();
    expect(stats).toMatchObject({
      connected: 1,
      sessionsActive: 0,
      sessionsCompleted: 1,
      errors: 0,
      schemaErrors: 0,
    });
    expect(stats.replyLatencyMs.p50).toBeDefined();
    expect(s.schemaFailures).toEqual([]);
    expect(s.authFailures).toEqual([]);
  });

  it('keeps the energy register across sessions and stops with the card into Finishing', async () => {
    const id = `CP-${version}-B`;
    server = await startTestServer();
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const s = server;
    const handle = swarm.station(id);
    await waitFor('booted', () => handle.snapshot().phase === 'accepted');
    for (let round = 0; round < 2; round++) {
      await handle.plugIn(2, 'TAG-OK-2');
      await waitFor('meter values', () => energyReadings(s.calls(id)).length >= 3 + round * 5);
      handle.stopWithCard(2);
      expect(handle.snapshot().connectors[1]!.status).toBe('Finishing');
      handle.unplug(2);
      expect(handle.snapshot().connectors[1]!.status).toBe('Available');
    }
    await waitFor(
      'both sessions ended',
      () => swarm!.stats().sessionsCompleted === 2 && handle.snapshot().queuedTransactionMessages === 0,
    );
    const energy = energyReadings(s.calls(id));
    for (let i = 1; i < energy.length; i++) expect(energy[i]!).toBeGreaterThanOrEqual(energy[i - 1]!);
    expect(s.schemaFailures).toEqual([]);
    expect(swarm.stats().schemaErrors).toBe(0);
  });

  it('refuses to start when the server rejects the card', async () => {
    const id = `CP-${version}-C`;
    server = await startTestServer();
    swarm = await startTestSwarm([station(server.url, id, version)]);
    const handle = swarm.station(id);
    await waitFor('booted', () => handle.snapshot().phase === 'accepted');
    await expect(handle.plugIn(1, 'BAD-TAG')).resolves.toBe(false);
    expect(server.calls(id).filter(isTransactionMessage)).toEqual([]);
    expect(handle.snapshot().connectors[0]!.status).toBe('Preparing');
  });
});
