/** Security profiles 2 (TLS + Basic) and 3 (mutual TLS, certificate CN = identity). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashStationPassword } from '../src/transport/station-auth.js';
import {
  createSiteConfig,
  eventually,
  natsConnect,
  startTestAgent,
  tempDir,
  uniqueSiteId,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

function makePki(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Voltmesh Test CA',
  );
  const leaf = (name: string, cn: string, ext: string) => {
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
    );
    execFileSync('sh', ['-c', `printf '%s' '${ext}' > ${name}.ext`], { cwd: dir });
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };
  leaf('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  leaf('station', 'TLS-3', 'extendedKeyUsage=clientAuth');
  leaf('other', 'SOMEONE-ELSE', 'extendedKeyUsage=clientAuth');
}

function connect(url: string, protocols: string[], options: WebSocket.ClientOptions): Promise<number> {
  const ws = new WebSocket(url, protocols, options);
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('TLS security profiles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  let edge: TestAgent;
  const file = (name: string) => readFileSync(join(dir.path, name));

  beforeAll(async () => {
    dir = await tempDir();
    makePki(dir.path);
    nc = await natsConnect(testServices().natsUrl);
    const siteId = uniqueSiteId('tls');
    const config = await createSiteConfig(nc, siteId);
    await config.putStation('TLS-2', await hashStationPassword('secret-2'), 2);
    await config.putStation('TLS-3', null, 3);
    edge = await startTestAgent({
      natsUrl: testServices().natsUrl,
      protocols: realProtocols,
      siteId,
      acceptUnknownStations: false,
      config: { tls: { cert: file('server.pem'), key: file('server.key'), ca: file('ca.pem') } },
    });
    await eventually(
      () => edge.agent.siteConfig.station('TLS-3'),
      (s) => s !== null,
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await nc?.close();
    await dir?.remove();
  });

  const url = (id: string) => `wss://127.0.0.1:${edge.agent.port}/ocpp/${id}`;
  const basic = (user: string, pw: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`,
  });

  it('profile 2: Basic auth over TLS', async () => {
    const ca = file('ca.pem');
    expect(await connect(url('TLS-2'), ['ocpp2.0.1'], { ca, headers: basic('TLS-2', 'secret-2') })).toBe(101);
    expect(await connect(url('TLS-2'), ['ocpp2.0.1'], { ca, headers: basic('TLS-2', 'wrong') })).toBe(401);
  });

  it('profile 3: a client certificate whose CN is the identity', async () => {
    const ca = file('ca.pem');
    expect(
      await connect(url('TLS-3'), ['ocpp1.6'], { ca, cert: file('station.pem'), key: file('station.key') }),
    ).toBe(101);
    expect(
      await connect(url('TLS-3'), ['ocpp1.6'], { ca, cert: file('other.pem'), key: file('other.key') }),
    ).toBe(401);
    expect(await connect(url('TLS-3'), ['ocpp1.6'], { ca })).toBe(401);
  });
});
