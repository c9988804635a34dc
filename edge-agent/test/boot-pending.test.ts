/**
 * Boot Pending by site policy, end to end with a real nats-server and real sockets, in both versions:
 * an unknown station is refused (404) until the KV `policy` says `unknownStations: "pending"`; then it
 * connects, its BootNotification is answered Pending with the retry interval, every other CALL gets
 * SecurityError unless the edge asked for it (TriggerMessage), commands the version forbids while
 * Pending are refused by the edge, `station.booted` says `registration: "pending"`, and once the
 * cloud writes the station's entry with `enabled: true` the edge triggers a BootNotification that is
 * Accepted.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { commandSubject, CommandResult, type Command } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  charger,
  createSiteConfig,
  ensureEventsStream,
  eventually,
  natsConnect,
  readSiteEvents,
  startTestAgent,
  type TestAgent,
  type TestCharger,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

const VERSIONS = [
  {
    version: 'ocpp1.6' as const,
    boot: { chargePointVendor: 'ACME', chargePointModel: 'P1' },
    readConfig: {
      action: 'GetConfiguration',
      reply: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] },
    },
  },
  {
    version: 'ocpp2.0.1' as const,
    boot: { reason: 'PowerUp', chargingStation: { vendorName: 'ACME', model: 'P2' } },
    readConfig: {
      action: 'GetVariables',
      reply: {
        getVariableResult: [
          {
            attributeStatus: 'Accepted',
            attributeValue: '300',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
        ],
      },
    },
  },
];

function upgradeStatus(url: string, protocol: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [protocol]);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe.each(VERSIONS)('boot Pending by site policy ($version)', ({ version, boot, readConfig }) => {
  let nc: NatsConnection;
  let edge: TestAgent;
  let config: Awaited<ReturnType<typeof createSiteConfig>>;
  const chargers: TestCharger[] = [];
  const id = `NEW-${version === 'ocpp1.6' ? '16' : '201'}`;

  const command = async (command: Command): Promise<CommandResult> => {
    const req = { id: randomUUID(), stationId: id, timeoutMs: 5000, command };
    const reply = await nc.request(commandSubject(edge.siteId), JSON.stringify(req), { timeout: 10_000 });
    return CommandResult.parse(reply.json());
  };

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    await ensureEventsStream(nc);
    edge = await startTestAgent({
      natsUrl: testServices().natsUrl,
      protocols: realProtocols,
      acceptUnknownStations: false,
    });
    config = await createSiteConfig(nc, edge.siteId);
    // The command subscription exists once the uplink is up; probe until it answers.
    for (let i = 0; i < 100; i++) {
      const req = { id: randomUUID(), stationId: 'nobody', timeoutMs: 200, command: { type: 'clear_cache' } };
      const ok = await nc
        .request(commandSubject(edge.siteId), JSON.stringify(req), { timeout: 200 })
        .catch(() => null);
      if (ok) break;
    }
  });
  afterAll(async () => {
    await Promise.all(chargers.map((c) => c.close({ force: true })));
    await edge?.stop();
    await nc?.close();
  });

  it('refuses an unknown station with 404 while the policy says reject (the default)', async () => {
    expect(await upgradeStatus(`${edge.url}/${id}`, version)).toBe(404);
  });

  it('parks it as Pending, refuses its CALLs, lets solicited ones through, accepts it once enabled', async () => {
    await config.putPolicy('reject', 300, { unknownStations: 'pending', bootRetryIntervalS: 15 });
    await eventually(
      () => edge.agent.siteConfig.policy().unknownStations,
      (v) => v === 'pending',
    );

    const cp = charger(edge.url, id, version);
    chargers.push(cp);
    const bootReplies: { status: string; interval: number }[] = [];
    const triggeredHeartbeats: unknown[] = [];
    cp.handle('TriggerMessage', ({ params }) => {
      const requested = (params as { requestedMessage: string }).requestedMessage;
      // The triggered message goes out after the TriggerMessage answer (1.6 §5.17, 2.0.1 F06).
      setTimeout(() => {
        if (requested === 'BootNotification')
          void cp.call('BootNotification', boot).then((r) => bootReplies.push(r as never));
        if (requested === 'Heartbeat') void cp.call('Heartbeat', {}).then((r) => triggeredHeartbeats.push(r));
      }, 0);
      return { status: 'Accepted' };
    });
    cp.handle(readConfig.action, () => readConfig.reply);
    await cp.connect();

    // Nothing but BootNotification before the first boot of a parked station.
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    const first = (await cp.call('BootNotification', boot)) as { status: string; interval: number };
    expect(first).toMatchObject({ status: 'Pending', interval: 15 });
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    await expect(
      cp.call(
        'StatusNotification',
        version === 'ocpp1.6'
          ? { connectorId: 1, errorCode: 'NoError', status: 'Available' }
          : { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 },
      ),
    ).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });

    // Commands: reading configuration is what Pending is for; a remote start is not sent.
    const read = await command({
      type: 'get_configuration',
      settings: [
        {
          component: version === 'ocpp1.6' ? null : 'OCPPCommCtrlr',
          componentInstance: null,
          evseId: null,
          variable: 'HeartbeatInterval',
          variableInstance: null,
        },
      ],
    });
    expect(read.outcome).toBe('accepted');
    const start = await command({ type: 'remote_start', evseId: 1, idToken: { id: 'T1', type: 'ISO14443' } });
    expect(start.outcome).toBe('rejected');
    expect(start.detail).toMatch(/^registration_pending: /);

    // A message the edge asked for with TriggerMessage is let through while Pending.
    expect((await command({ type: 'trigger_message', message: 'heartbeat', evseId: null })).outcome).toBe(
      'accepted',
    );
    await eventually(
      () => triggeredHeartbeats.length,
      (n) => n === 1,
      5000,
    );
    expect(triggeredHeartbeats[0]).toHaveProperty('currentTime');

    // The operator approves: the edge asks the station to boot again, and that boot is Accepted.
    await config.putStation(id, null, 0, true);
    await eventually(
      () => bootReplies.length,
      (n) => n > 0,
      10_000,
    );
    expect(bootReplies[0]).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(await cp.call('Heartbeat', {})).toHaveProperty('currentTime');

    const booted = await eventually(
      async () => (await readSiteEvents(nc, edge.siteId)).filter((e) => e.event.type === 'station.booted'),
      (events) => events.length >= 2,
    );
    expect(
      booted.map((e) => [e.stationId, e.event.type === 'station.booted' && e.event.registration]),
    ).toEqual([
      [id, 'pending'],
      [id, 'accepted'],
    ]);
  });

  it('a station the cloud disables is Rejected and gets no commands', async () => {
    await config.putStation(id, null, 0, false);
    await eventually(
      () => edge.agent.siteConfig.station(id)?.enabled,
      (v) => v === false,
    );
    const cp = chargers[0]!;
    expect(await cp.call('BootNotification', boot)).toMatchObject({ status: 'Rejected', interval: 15 });
    const res = await command({ type: 'clear_cache' });
    expect(res.outcome).toBe('rejected');
    expect(res.detail).toMatch(/^registration_rejected: /);
  });
});
