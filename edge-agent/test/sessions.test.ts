import type { NatsConnection } from '@nats-io/transport-node';
import type { Envelope } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  charger,
  createSiteConfig,
  ensureEventsStream,
  eventually,
  natsConnect,
  readSiteEvents,
  startTestAgent,
  uniqueSiteId,
  type TestAgent,
} from './support/harness.js';
import { realProtocols } from './support/protocols.js';
import { bootAndAvailable16, bootAndAvailable201, session16, session201 } from './support/sessions.js';

function expectExactlyOnceInOrder(events: Envelope[], stationId: string): Envelope[] {
  const mine = events.filter((e) => e.stationId === stationId);
  expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
  expect(mine.map((e) => e.seq)).toEqual(mine.map((_, i) => i));
  return mine;
}

describe('full charging sessions through the edge', () => {
  let nc: NatsConnection;
  let edge: TestAgent;

  beforeAll(async () => {
    nc = await natsConnect(testServices().natsUrl);
    await ensureEventsStream(nc);
    const siteId = uniqueSiteId('sessions');
    const config = await createSiteConfig(nc, siteId);
    await config.putToken('RFID-OK');
    await config.putToken('RFID-BLOCKED', 'blocked');
    await config.putPolicy('reject');
    edge = await startTestAgent({ natsUrl: testServices().natsUrl, protocols: realProtocols, siteId });
    await eventually(
      () => edge.agent.siteConfig.token('RFID-BLOCKED'),
      (t) => t !== null,
    );
  });
  afterAll(async () => {
    await edge?.stop();
    await nc?.close();
  });

  it('1.6: a session arrives in JetStream exactly once and in order', async () => {
    const cp = charger(edge.url, 'CP16-S', 'ocpp1.6');
    await cp.connect();
    await bootAndAvailable16(cp);
    const { transactionId, authorized } = await session16(cp, 'RFID-OK');
    const blocked = (await cp.call('Authorize', { idTag: 'RFID-BLOCKED' })) as {
      idTagInfo: { status: string };
    };
    const unknown = (await cp.call('Authorize', { idTag: 'RFID-NOBODY' })) as {
      idTagInfo: { status: string };
    };
    await cp.close();
    expect(authorized).toBe('Accepted');
    expect(blocked.idTagInfo.status).toBe('Blocked');
    expect(unknown.idTagInfo.status).toBe('Invalid');
    expect(transactionId).toBeGreaterThan(0);

    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.some((e) => e.stationId === 'CP16-S' && e.event.type === 'station.disconnected'),
    );
    const mine = expectExactlyOnceInOrder(events, 'CP16-S');
    const types = mine.map((e) => e.event.type);
    expect(types.filter((t) => t === 'session.started')).toHaveLength(1);
    expect(types.filter((t) => t === 'session.ended')).toHaveLength(1);
    expect(types.indexOf('session.started')).toBeLessThan(types.indexOf('session.ended'));
    expect(types.filter((t) => t === 'meter.samples').length).toBeGreaterThanOrEqual(2);
    const started = mine.find((e) => e.event.type === 'session.started')!;
    expect(started.event).toMatchObject({ transactionId: String(transactionId), evseId: 1, connectorId: 1 });
  });

  it('1.6: a replayed StartTransaction gets the same transaction id and no second session', async () => {
    const cp = charger(edge.url, 'CP16-R', 'ocpp1.6');
    await cp.connect();
    await bootAndAvailable16(cp);
    const start = { connectorId: 1, idTag: 'RFID-OK', meterStart: 5, timestamp: '2026-11-22T10:00:00.000Z' };
    const a = (await cp.call('StartTransaction', start)) as { transactionId: number };
    const b = (await cp.call('StartTransaction', start)) as { transactionId: number };
    await cp.close();
    expect(b.transactionId).toBe(a.transactionId);
    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.some((e) => e.stationId === 'CP16-R' && e.event.type === 'station.disconnected'),
    );
    const mine = expectExactlyOnceInOrder(events, 'CP16-R');
    expect(mine.filter((e) => e.event.type === 'session.started')).toHaveLength(1);
  });

  it('2.0.1: a session with a retried TransactionEvent arrives exactly once', async () => {
    const cs = charger(edge.url, 'CS201-S', 'ocpp2.0.1');
    await cs.connect();
    await bootAndAvailable201(cs);
    const { transactionId, authorized } = await session201(cs, 'RFID-OK');
    await cs.close();
    expect(authorized).toBe('Accepted');
    const events = await eventually(
      () => readSiteEvents(nc, edge.siteId),
      (es) => es.some((e) => e.stationId === 'CS201-S' && e.event.type === 'station.disconnected'),
    );
    const mine = expectExactlyOnceInOrder(events, 'CS201-S');
    const sessionTypes = mine
      .filter((e) => e.event.type.startsWith('session.'))
      .map((e) => [e.event.type, (e.event as { seqNo?: number | null }).seqNo ?? null]);
    expect(sessionTypes.filter(([t]) => t === 'session.started')).toHaveLength(1);
    expect(sessionTypes.filter(([t]) => t === 'session.ended')).toHaveLength(1);
    expect(sessionTypes.filter(([t, n]) => t === 'session.updated' && n === 1)).toHaveLength(1);
    expect(mine.find((e) => e.event.type === 'session.started')!.event).toMatchObject({ transactionId });
  });
});
