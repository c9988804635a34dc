/** Station authentication (security profile 1), unknown stations, the takeover rule and boot gating. */
import type { NatsConnection } from '@nats-io/transport-node';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashStationPassword } from '../src/transport/station-auth.js';
import {
  charger,
  createSiteConfig,
  eventually,
  natsConnect,
  startTestAgent,
  uniqueSiteId,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

const PASSWORD = 'correct horse battery staple';

/** Opens a raw WebSocket; resolves with the HTTP status of a refused handshake, or 101 and the socket. */
function handshake(
  url: string,
  protocols: string[],
  auth?: { user: string; password: string },
): Promise<{ status: number; body: string; ws?: WebSocket }> {
  const headers: Record<string, string> = {};
  if (auth)
    headers['authorization'] = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const ws = new WebSocket(url, protocols, { headers });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ status: 101, body: '', ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

describe('station security', () => {
  let nc: NatsConnection;
  let edge: TestAgent;
  let devEdge: TestAgent;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    const siteId = uniqueSiteId('security');
    const config = await createSiteConfig(nc, siteId);
    await config.putStation('SEC-1', await hashStationPassword(PASSWORD), 1);
    await config.putStation('SEC-OFF', null, 0, false);
    edge = await startTestAgent({
      natsUrl: testServices().natsUrl,
      protocols: realProtocols,
      siteId,
      acceptUnknownStations: false,
    });
    devEdge = await startTestAgent({ natsUrl: testServices().natsUrl, protocols: realProtocols });
    await eventually(
      () => edge.agent.siteConfig.station('SEC-OFF'),
      (s) => s !== null,
    );
  });
  afterAll(async () => {
    for (const ws of open) ws.terminate();
    await edge?.stop();
    await devEdge?.stop();
    await nc?.close();
  });

  it('refuses a wrong password, missing credentials and a username that is not the identity with 401', async () => {
    const url = `${edge.url}/SEC-1`;
    expect((await handshake(url, ['ocpp1.6'], { user: 'SEC-1', password: 'wrong' })).status).toBe(401);
    expect((await handshake(url, ['ocpp1.6'])).status).toBe(401);
    const other = await handshake(url, ['ocpp1.6'], { user: 'SOMEONE', password: PASSWORD });
    expect(other.status).toBe(401);
    expect(other.body).toMatch(/username must equal/);
  });

  it('refuses an unknown station with 404 unless the development option is on', async () => {
    const refused = await handshake(`${edge.url}/NOBODY`, ['ocpp1.6']);
    expect(refused.status).toBe(404);
    expect(refused.body).toMatch(/unknown station/);
    const dev = await handshake(`${devEdge.url}/NOBODY`, ['ocpp1.6']);
    expect(dev.status).toBe(101);
    open.push(dev.ws!);
  });

  it('refuses bad identities and unsupported subprotocols with 400 and a reason', async () => {
    const longId = await handshake(`${edge.url}/${'x'.repeat(49)}`, ['ocpp1.6']);
    expect(longId.status).toBe(400);
    expect((await handshake(`${edge.url}/a%2Fb`, ['ocpp1.6'])).status).toBe(400);
    expect((await handshake(`${edge.url}/a%ZZ`, ['ocpp1.6'])).status).toBe(400);
    const proto = await handshake(`${edge.url}/SEC-1`, ['ocpp1.5']);
    expect(proto.status).toBe(400);
    expect(proto.body).toMatch(/unsupported WebSocket subprotocol/);
  });

  it('accepts the right password; an authenticated newcomer replaces the old socket (closed first)', async () => {
    const first = charger(edge.url, 'SEC-1', 'ocpp1.6', { password: PASSWORD });
    await first.connect();
    const firstClosed = new Promise<{ code: number; reason: string }>((r) => first.once('close', r));
    await first.call('Heartbeat', {});

    const second = charger(edge.url, 'SEC-1', 'ocpp1.6', { password: PASSWORD });
    await second.connect();
    const closed = await firstClosed;
    expect(closed.reason).toMatch(/replaced/);
    expect(await second.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(edge.agent.health().connectedStations).toBe(1);
    await second.close();
  });

  it('refuses an unauthenticated connection for an identity that is connected (409); the first stays', async () => {
    const first = charger(devEdge.url, 'DEV-1', 'ocpp1.6');
    await first.connect();
    const intruder = await handshake(`${devEdge.url}/DEV-1`, ['ocpp1.6']);
    expect(intruder.status).toBe(409);
    expect(await first.call('Heartbeat', {})).toHaveProperty('currentTime');
    await first.close();
  });

  it('refuses other CALLs with SecurityError while the station is Rejected', async () => {
    const cp = charger(edge.url, 'SEC-OFF', 'ocpp1.6');
    await cp.connect();
    const boot = (await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })) as {
      status: string;
    };
    expect(boot.status).toBe('Rejected');
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    await cp.close();
  });
});
