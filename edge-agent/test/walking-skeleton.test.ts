import { testServices } from '@voltmesh/infra/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  charger,
  ensureEventsStream,
  eventually,
  natsConnect,
  readSiteEvents,
  startTestAgent,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';

describe('walking skeleton: a charger booting at the edge reaches JetStream', () => {
  let nc: NatsConnection;
  let edge: TestAgent;

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    await ensureEventsStream(nc);
    edge = await startTestAgent({ natsUrl: testServices().natsUrl, protocols: realProtocols });
  });
  afterAll(async () => {
    await edge?.stop();
    await nc?.close();
  });

  it('1.6: connected, booted, connector status and heartbeat arrive once each, in order', async () => {
    const cp = charger(edge.url, 'CP-16', 'ocpp1.6');
    await cp.connect();
    const boot = (await cp.call('BootNotification', {
      chargePointVendor: 'Voltmesh',
      chargePointModel: 'Sim',
    })) as {
      status: string;
    };
    expect(boot.status).toBe('Accepted');
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await cp.call('Heartbeat', {});
    await cp.close();

    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.filter((e) => e.stationId === 'CP-16').length >= 5,
    );
    const station = events.filter((e) => e.stationId === 'CP-16');
    expect(station.map((e) => e.event.type)).toEqual([
      'station.connected',
      'station.booted',
      'connector.status',
      'station.heartbeat',
      'station.disconnected',
    ]);
    expect(station.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(station.map((e) => e.id)).size).toBe(5);
    expect(station[1]!.source).toMatchObject({
      kind: 'ocpp',
      ocppVersion: 'ocpp1.6',
      action: 'BootNotification',
    });
    expect(events.some((e) => e.stationId === null && e.event.type === 'edge.status')).toBe(true);
  });

  it('2.0.1: the same lifecycle produces the same event types', async () => {
    const cs = charger(edge.url, 'CS-201', 'ocpp2.0.1');
    await cs.connect();
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'Voltmesh', model: 'Sim' },
    });
    await cs.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    await cs.call('Heartbeat', {});
    await cs.close();
    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.filter((e) => e.stationId === 'CS-201').length >= 5,
    );
    expect(events.filter((e) => e.stationId === 'CS-201').map((e) => e.event.type)).toEqual([
      'station.connected',
      'station.booted',
      'connector.status',
      'station.heartbeat',
      'station.disconnected',
    ]);
  });

  it('answers GET /health with the documented shape', async () => {
    const res = await fetch(`http://127.0.0.1:${edge.agent.port}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', siteId: edge.siteId, nats: { connected: true } });
    expect(body).toHaveProperty('outbox.depth');
    expect(body).toHaveProperty('outbox.oldestAgeS');
    expect(body).toHaveProperty('forwardRatePerS');
    expect(body).toHaveProperty('connectedStations');
    const metrics = await (await fetch(`http://127.0.0.1:${edge.agent.port}/metrics`)).text();
    expect(metrics).toContain('vm_edge_outbox_depth');
  });
});
