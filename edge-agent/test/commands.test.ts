import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { commandSubject, CommandResult, type CommandRequest } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charger, natsConnect, startTestAgent, type TestAgent, type TestCharger } from './support/harness.js';
import { realProtocols } from './support/protocols.js';

describe('commands from the cloud (NATS request/reply)', () => {
  let nc: NatsConnection;
  let edge: TestAgent;
  const chargers: TestCharger[] = [];

  const send = async (req: unknown, timeoutMs = 10_000): Promise<CommandResult> => {
    const reply = await nc.request(commandSubject(edge.siteId), JSON.stringify(req), { timeout: timeoutMs });
    return CommandResult.parse(reply.json());
  };
  const remoteStart = (stationId: string, timeoutMs = 5000): CommandRequest => ({
    id: randomUUID(),
    stationId,
    timeoutMs,
    command: { type: 'remote_start', evseId: 1, idToken: { id: 'RFID-OK', type: 'ISO14443' } },
  });
  const connect = async (id: string, version: 'ocpp1.6' | 'ocpp2.0.1') => {
    const cp = charger(edge.url, id, version);
    chargers.push(cp);
    await cp.connect();
    return cp;
  };

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    edge = await startTestAgent({ natsUrl: testServices().natsUrl, protocols: realProtocols });
    // The command subscription exists once the uplink is up; wait for it with an "offline" probe.
    for (let i = 0; i < 100; i++) {
      const ok = await send(remoteStart('nobody'), 200).catch(() => null);
      if (ok) break;
    }
  });
  afterAll(async () => {
    await Promise.all(chargers.map((c) => c.close({ force: true })));
    await edge?.stop();
    await nc?.close();
  });

  it('1.6 remote start reaches the charger and its answer comes back', async () => {
    const cp = await connect('CMD-16', 'ocpp1.6');
    const seen: unknown[] = [];
    cp.handle('RemoteStartTransaction', ({ params }) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    const req = remoteStart('CMD-16');
    const res = await send(req);
    expect(res).toMatchObject({ id: req.id, outcome: 'accepted' });
    expect(seen).toEqual([expect.objectContaining({ idTag: 'RFID-OK', connectorId: 1 })]);

    cp.handle('RemoteStartTransaction', () => ({ status: 'Rejected' }));
    expect((await send(remoteStart('CMD-16'))).outcome).toBe('rejected');
  });

  it('2.0.1 remote start is encoded as RequestStartTransaction', async () => {
    const cs = await connect('CMD-201', 'ocpp2.0.1');
    let action = '';
    cs.handle(({ method }) => {
      action = method;
      return { status: 'Accepted' };
    });
    const res = await send(remoteStart('CMD-201'));
    expect(res.outcome).toBe('accepted');
    expect(action).toBe('RequestStartTransaction');
  });

  it('station not connected -> offline', async () => {
    const res = await send(remoteStart('NOT-HERE'));
    expect(res.outcome).toBe('offline');
  });

  it('no answer in time -> timeout', async () => {
    const cp = await connect('CMD-SLOW', 'ocpp1.6');
    cp.handle('RemoteStartTransaction', () => new Promise(() => undefined));
    const res = await send(remoteStart('CMD-SLOW', 300));
    expect(res.outcome).toBe('timeout');
  });

  it('CALLERROR -> error with the code in detail', async () => {
    const cp = await connect('CMD-ERR', 'ocpp1.6');
    cp.handle('RemoteStartTransaction', () => {
      throw Object.assign(new Error('not today'), { rpcErrorCode: 'NotSupported' });
    });
    const res = await send(remoteStart('CMD-ERR'));
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/NotSupported/);
  });

  it('malformed request -> invalid, with the offending fields named', async () => {
    const id = randomUUID();
    const res = await send({ id, stationId: 'CMD-16', timeoutMs: 5, command: { type: 'explode' } });
    expect(res).toMatchObject({ id, outcome: 'invalid' });
    expect(res.detail).toMatch(/timeoutMs|command/);
    const garbage = await nc.request(commandSubject(edge.siteId), 'not json', { timeout: 5000 });
    expect(CommandResult.parse(garbage.json()).outcome).toBe('invalid');
  });
});
