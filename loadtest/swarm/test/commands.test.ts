import { afterEach, describe, expect, it } from 'vitest';
import type { Swarm } from '../src/index.js';
import { startTestSwarm, station } from './helpers.js';
import {
  startTestServer,
  waitFor,
  type ReceivedCall,
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

async function setUp(id: string, version: 'ocpp1.6' | 'ocpp2.0.1') {
  server = await startTestServer();
  swarm = await startTestSwarm([station(server.url, id, version)]);
  const s = server;
  const handle = swarm.station(id);
  await waitFor('booted', () => handle.snapshot().phase === 'accepted');
  await waitFor('statuses', () => s.calls(id, 'StatusNotification').length >= 2);
  return { s, handle, cmd: (method: string, params: unknown) => s.command(id, method, params) };
}

const lastStatus16 = (calls: ReceivedCall[], connectorId: number) =>
  calls.filter((c) => c.method === 'StatusNotification' && c.params.connectorId === connectorId).at(-1)
    ?.params.status;
const lastStatus201 = (calls: ReceivedCall[], evseId: number) =>
  calls.filter((c) => c.method === 'StatusNotification' && c.params.evseId === evseId).at(-1)?.params
    .connectorStatus;

describe('OCPP 1.6 commands', () => {
  const id = 'CMD-16';

  it('remote start and stop run a real session', async () => {
    const { s, handle, cmd } = await setUp(id, 'ocpp1.6');
    await expect(cmd('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE-1' })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('StartTransaction', () => s.calls(id, 'StartTransaction').length === 1);
    const start = s.calls(id, 'StartTransaction')[0]!;
    expect(start.params).toMatchObject({ connectorId: 1, idTag: 'REMOTE-1' });
    await waitFor('charging', () => lastStatus16(s.calls(id), 1) === 'Charging');
    // Busy connector: a second remote start there is refused.
    await expect(cmd('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE-2' })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(cmd('RemoteStopTransaction', { transactionId: 424242 })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(cmd('RemoteStopTransaction', { transactionId: start.reply.transactionId })).resolves.toEqual(
      { status: 'Accepted' },
    );
    await waitFor('StopTransaction', () => s.calls(id, 'StopTransaction').length === 1);
    expect(s.calls(id, 'StopTransaction')[0]!.params).toMatchObject({
      transactionId: start.reply.transactionId,
      reason: 'Remote',
    });
    expect(handle.snapshot().connectors[0]!.status).toBe('Finishing');
    expect(s.schemaFailures).toEqual([]);
  });

  it('configuration, availability, unlock, trigger, cache, data transfer and reset take effect', async () => {
    const { s, handle, cmd } = await setUp(id, 'ocpp1.6');

    const conf = await cmd('GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey'] });
    expect(conf).toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '1' }],
      unknownKey: ['NoSuchKey'],
    });
    const all = await cmd('GetConfiguration', {});
    expect(all.configurationKey.map((k: Json) => k.key)).toContain('MeterValueSampleInterval');
    await expect(cmd('ChangeConfiguration', { key: 'HeartbeatInterval', value: '2' })).resolves.toEqual({
      status: 'Accepted',
    });
    expect(handle.snapshot().heartbeatIntervalS).toBe(2);
    await expect(cmd('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'soon' })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(cmd('ChangeConfiguration', { key: 'NumberOfConnectors', value: '9' })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(cmd('ChangeConfiguration', { key: 'NoSuchKey', value: '1' })).resolves.toEqual({
      status: 'NotSupported',
    });

    await expect(cmd('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('unavailable', () => lastStatus16(s.calls(id), 2) === 'Unavailable');
    await expect(handle.plugIn(2, 'TAG-OK-1')).resolves.toBe(false);
    await expect(cmd('ChangeAvailability', { connectorId: 2, type: 'Operative' })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('available', () => lastStatus16(s.calls(id), 2) === 'Available');

    await handle.plugIn(1, 'TAG-OK-1');
    await waitFor('session', () => s.calls(id, 'StartTransaction').length === 1);
    await expect(cmd('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).resolves.toEqual({
      status: 'Scheduled',
    });
    await expect(cmd('UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'Unlocked' });
    await waitFor('stopped by unlock', () => s.calls(id, 'StopTransaction').length === 1);
    expect(s.calls(id, 'StopTransaction')[0]!.params.reason).toBe('UnlockCommand');
    await waitFor('scheduled unavailability applied', () => lastStatus16(s.calls(id), 1) === 'Unavailable');
    await expect(cmd('UnlockConnector', { connectorId: 9 })).resolves.toEqual({ status: 'NotSupported' });

    const heartbeats = s.calls(id, 'Heartbeat').length;
    await expect(cmd('TriggerMessage', { requestedMessage: 'Heartbeat' })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('triggered heartbeat', () => s.calls(id, 'Heartbeat').length > heartbeats);
    const statuses = s.calls(id, 'StatusNotification').length;
    await expect(
      cmd('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 2 }),
    ).resolves.toEqual({ status: 'Accepted' });
    await waitFor('triggered status', () => s.calls(id, 'StatusNotification').length > statuses);
    expect(s.calls(id, 'StatusNotification').at(-1)!.params.connectorId).toBe(2);
    await expect(cmd('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 2 })).resolves.toEqual(
      { status: 'Accepted' },
    );
    await waitFor('triggered meter values', () =>
      s.calls(id, 'MeterValues').some((c) => c.params.connectorId === 2),
    );
    await expect(
      cmd('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' }),
    ).resolves.toEqual({ status: 'NotImplemented' });

    await expect(cmd('ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    await expect(
      cmd('DataTransfer', { vendorId: 'Voltmesh', messageId: 'Echo', data: 'ping' }),
    ).resolves.toEqual({ status: 'Accepted', data: 'ping' });
    await expect(cmd('DataTransfer', { vendorId: 'Someone' })).resolves.toEqual({
      status: 'UnknownVendorId',
    });

    await expect(cmd('Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    await waitFor('boot after reset', () => s.calls(id, 'BootNotification').length === 2);
    await waitFor('accepted again', () => handle.snapshot().phase === 'accepted');
    expect(s.schemaFailures).toEqual([]);
    expect(swarm!.stats().schemaErrors).toBe(0);
  });
});

describe('OCPP 2.0.1 commands', () => {
  const id = 'CMD-201';

  it('request start and stop run a real session', async () => {
    const { s, handle, cmd } = await setUp(id, 'ocpp2.0.1');
    const started = await cmd('RequestStartTransaction', {
      idToken: { idToken: 'REMOTE-1', type: 'Central' },
      remoteStartId: 42,
      evseId: 2,
    });
    expect(started.status).toBe('Accepted');
    await waitFor('Started', () => s.calls(id, 'TransactionEvent').length >= 1);
    const ev = s.calls(id, 'TransactionEvent')[0]!.params;
    expect(ev).toMatchObject({
      eventType: 'Started',
      triggerReason: 'RemoteStart',
      seqNo: 0,
      evse: { id: 2, connectorId: 1 },
      transactionInfo: { transactionId: started.transactionId, remoteStartId: 42, chargingState: 'Charging' },
    });
    await expect(cmd('RequestStopTransaction', { transactionId: 'not-a-transaction' })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(cmd('RequestStopTransaction', { transactionId: started.transactionId })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('Ended', () => s.calls(id, 'TransactionEvent').some((c) => c.params.eventType === 'Ended'));
    expect(s.calls(id, 'TransactionEvent').at(-1)!.params).toMatchObject({
      triggerReason: 'RemoteStop',
      transactionInfo: { stoppedReason: 'Remote' },
    });
    expect(handle.snapshot().connectors[1]!.session).toBeUndefined();
    expect(s.schemaFailures).toEqual([]);
  });

  it('variables, availability, unlock, trigger, cache, data transfer and reset take effect', async () => {
    const { s, handle, cmd } = await setUp(id, 'ocpp2.0.1');

    const got = await cmd('GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' } },
      ],
    });
    expect(got.getVariableResult.map((r: Json) => [r.attributeStatus, r.attributeValue])).toEqual([
      ['Accepted', '1'],
      ['UnknownComponent', undefined],
      ['UnknownVariable', undefined],
    ]);
    const set = await cmd('SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: '2',
        },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'Identity' }, attributeValue: 'other' },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' }, attributeValue: '1' },
      ],
    });
    expect(set.setVariableResult.map((r: Json) => r.attributeStatus)).toEqual([
      'Accepted',
      'Rejected',
      'UnknownComponent',
    ]);
    expect(handle.snapshot().heartbeatIntervalS).toBe(2);

    await expect(
      cmd('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
    ).resolves.toEqual({ status: 'Accepted' });
    await waitFor('unavailable', () => lastStatus201(s.calls(id), 2) === 'Unavailable');
    await expect(
      cmd('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } }),
    ).resolves.toEqual({ status: 'Accepted' });
    await waitFor('available', () => lastStatus201(s.calls(id), 2) === 'Available');

    await handle.plugIn(1, 'TAG-OK-1');
    await waitFor('session', () => s.calls(id, 'TransactionEvent').length >= 1);
    await expect(cmd('UnlockConnector', { evseId: 1, connectorId: 1 })).resolves.toEqual({
      status: 'OngoingAuthorizedTransaction',
    });
    handle.stopWithCard(1);
    await expect(cmd('UnlockConnector', { evseId: 1, connectorId: 1 })).resolves.toEqual({
      status: 'Unlocked',
    });
    expect(handle.snapshot().connectors[0]).toMatchObject({ plugged: false, status: 'Available' });
    await expect(cmd('UnlockConnector', { evseId: 7, connectorId: 1 })).resolves.toEqual({
      status: 'UnknownConnector',
    });

    const heartbeats = s.calls(id, 'Heartbeat').length;
    await expect(cmd('TriggerMessage', { requestedMessage: 'Heartbeat' })).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('triggered heartbeat', () => s.calls(id, 'Heartbeat').length > heartbeats);
    const statuses = s.calls(id, 'StatusNotification').length;
    await expect(
      cmd('TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } }),
    ).resolves.toEqual({
      status: 'Accepted',
    });
    await waitFor('triggered status', () => s.calls(id, 'StatusNotification').length > statuses);
    expect(s.calls(id, 'StatusNotification').at(-1)!.params.evseId).toBe(2);
    await expect(
      cmd('TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 2 } }),
    ).resolves.toEqual({ status: 'Accepted' });
    await waitFor('triggered meter values', () =>
      s.calls(id, 'MeterValues').some((c) => c.params.evseId === 2),
    );
    await expect(cmd('TriggerMessage', { requestedMessage: 'LogStatusNotification' })).resolves.toEqual({
      status: 'NotImplemented',
    });

    await expect(cmd('ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    await expect(
      cmd('DataTransfer', { vendorId: 'Voltmesh', messageId: 'Echo', data: { n: 1 } }),
    ).resolves.toEqual({ status: 'Accepted', data: { n: 1 } });
    await expect(cmd('DataTransfer', { vendorId: 'Someone' })).resolves.toEqual({
      status: 'UnknownVendorId',
    });

    await expect(cmd('Reset', { type: 'Immediate' })).resolves.toEqual({ status: 'Accepted' });
    await waitFor('boot after reset', () => s.calls(id, 'BootNotification').length === 2);
    expect(s.calls(id, 'BootNotification')[1]!.params.reason).toBe('RemoteReset');
    await waitFor('accepted again', () => handle.snapshot().phase === 'accepted');
    expect(s.schemaFailures).toEqual([]);
    expect(swarm!.stats().schemaErrors).toBe(0);
  });
});
