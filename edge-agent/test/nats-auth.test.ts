/**
 * The edge logs in to a NATS server with authorization using the site's edge credentials from the
 * cloud (NATS_USER / NATS_PASSWORD): with the right password its events reach JetStream; with a
 * wrong one it keeps serving chargers locally, reports the uplink down and says why, once, without
 * the password.
 */
import { startNats, type NatsServerHandle } from '@voltmesh/infra/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeObserver } from '../src/agent.js';
import {
  charger,
  ensureEventsStream,
  eventually,
  readSiteEvents,
  startTestAgent,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

const EDGE_USER = 'edge-nats-auth-site';
const EDGE_PASSWORD = 'q7Vx-edge-Secret-31';

describe('edge agent NATS login with the site user and password', () => {
  let nats: NatsServerHandle;
  let admin: NatsConnection;
  const agents: TestAgent[] = [];

  beforeAll(async () => {
    nats = await startNats({
      configText: `authorization {
  users = [
    { user: "${EDGE_USER}", password: "${EDGE_PASSWORD}" }
    { user: "test-admin", password: "test-admin-password" }
  ]
}
`,
    });
    admin = await connect({ servers: nats.url, user: 'test-admin', pass: 'test-admin-password' });
    await ensureEventsStream(admin);
  });
  afterAll(async () => {
    for (const a of agents) await a.stop();
    await admin?.close();
    await nats?.dispose();
  });

  it('refuses a client without credentials (the server really enforces authorization)', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/authoriz/i);
  });

  it('with the right password the edge connects and forwards a boot to JetStream', async () => {
    const edge = await startTestAgent({
      natsUrl: nats.url,
      protocols: realProtocols,
      config: { natsAuth: { kind: 'password', user: EDGE_USER, password: EDGE_PASSWORD } },
    });
    agents.push(edge);
    const cp = charger(edge.url, 'CP-AUTH-OK', 'ocpp1.6');
    await cp.connect();
    await cp.call('BootNotification', { chargePointVendor: 'Voltmesh', chargePointModel: 'Sim' });
    await cp.close();

    const events = await eventually(
      () => readSiteEvents(admin, edge.siteId),
      (e) => e.some((x) => x.event.type === 'station.booted'),
    );
    expect(events.map((e) => e.event.type)).toContain('station.booted');
    expect(edge.agent.health().nats).toMatchObject({ connected: true });
  });

  it('with a wrong password it serves chargers, reports the uplink down and logs why once, without the password', async () => {
    const errors: unknown[] = [];
    const observer: EdgeObserver = { onUplinkError: (e) => errors.push(e) };
    const edge = await startTestAgent({
      natsUrl: nats.url,
      protocols: realProtocols,
      config: { natsAuth: { kind: 'password', user: EDGE_USER, password: 'not-the-password' } },
      observer,
    });
    agents.push(edge);
    const cp = charger(edge.url, 'CP-AUTH-BAD', 'ocpp1.6');
    await cp.connect();
    const boot = (await cp.call('BootNotification', {
      chargePointVendor: 'Voltmesh',
      chargePointModel: 'Sim',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await cp.close();

    await eventually(
      () => errors.length,
      (n) => n > 0,
    );
    // Several retries (100 ms apart in tests), one report: the message does not change.
    await new Promise((r) => setTimeout(r, 600));
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toMatch(/authoriz/i);
    expect(JSON.stringify(errors, Object.getOwnPropertyNames(errors[0]))).not.toContain('not-the-password');
    expect(edge.agent.health().nats).toMatchObject({ connected: false });
    // What it accepted is kept for when the uplink works: nothing was published.
    expect((await readSiteEvents(admin, edge.siteId)).length).toBe(0);
    expect(edge.agent.outbox.stats().depth).toBeGreaterThan(0);
  });
});
