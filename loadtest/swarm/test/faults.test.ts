import { afterEach, describe, expect, it } from 'vitest';
import { startSwarm, type Swarm, type SwarmEvent } from '../src/index.js';
import { station, testScenario } from './helpers.js';
import {
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

describe('faults', () => {
  it('a 1.6 fault ends the session and reports the error code, then recovers', async () => {
    server = await startTestServer();
    swarm = await startSwarm({
      fleet: { stations: [station(server.url, 'FAULT-16', 'ocpp1.6')] },
      scenario: testScenario,
      autonomous: false,
    });
    const s = server;
    const handle = swarm.station('FAULT-16');
    await waitFor('booted', () => handle.snapshot().phase === 'accepted');
    await handle.plugIn(1, 'TAG-OK-1');
    await waitFor('started', () => s.calls('FAULT-16', 'StartTransaction').length === 1);
    handle.setStatus(1, 'Faulted');
    await waitFor('stopped', () => s.calls('FAULT-16', 'StopTransaction').length === 1);
    expect(s.calls('FAULT-16', 'StopTransaction')[0]!.params.reason).toBe('Other');
    await waitFor('faulted status', () =>
      s
        .calls('FAULT-16', 'StatusNotification')
        .some((c) => c.params.status === 'Faulted' && c.params.errorCode === 'OtherError'),
    );
    handle.setStatus(1, 'Available');
    await waitFor(
      'recovered',
      () => s.calls('FAULT-16', 'StatusNotification').at(-1)!.params.status === 'Available',
    );
    expect(s.schemaFailures).toEqual([]);
  });

  it('a 2.0.1 fault is reported with NotifyEvent and cleared again', async () => {
    server = await startTestServer();
    swarm = await startSwarm({
      fleet: { stations: [station(server.url, 'FAULT-201', 'ocpp2.0.1')] },
      scenario: testScenario,
      autonomous: false,
    });
    const s = server;
    const handle = swarm.station('FAULT-201');
    await waitFor('booted', () => handle.snapshot().phase === 'accepted');
    handle.setStatus(2, 'Faulted');
    handle.setStatus(2, 'Available');
    await waitFor('two notices', () => s.calls('FAULT-201', 'NotifyEvent').length === 2);
    expect(s.calls('FAULT-201', 'NotifyEvent').map((c) => c.params.eventData[0].cleared)).toEqual([
      false,
      true,
    ]);
    await waitFor(
      'available',
      () => s.calls('FAULT-201', 'StatusNotification').at(-1)!.params.connectorStatus === 'Available',
    );
    expect(s.schemaFailures).toEqual([]);
  });
});

describe('an autonomous mixed fleet under frequent faults, reboots and drops', () => {
  it('keeps every frame schema-valid and every transaction well-formed', async () => {
    server = await startTestServer();
    const events: SwarmEvent[] = [];
    const url = server.url;
    swarm = await startSwarm({
      fleet: {
        stations: [0, 1, 2, 3, 4, 5].map((i) =>
          station(url, `CHAOS-${i}`, i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1'),
        ),
      },
      scenario: {
        ...testScenario,
        timeScale: 3600,
        arrivals: { perConnectorPerDay: 200, initialOccupancy: 1 },
        session: { energyKWh: { mean: 8, sd: 4, min: 1, max: 20 }, idleAfterFullMin: { min: 0, max: 20 } },
        // Rates per station per real hour: high enough that every kind happens in a few seconds.
        faults: { perStationPerHour: 1500, durationS: { min: 0.2, max: 0.5 } },
        reboots: { perStationPerHour: 400, downtimeS: { min: 0.2, max: 0.5 } },
        networkDrops: { perStationPerHour: 800, durationS: { min: 0.2, max: 0.6 } },
      },
      onEvent: (e) => events.push(e),
    });
    const s = server;
    const kinds = () => new Set(events.map((e) => e.type));
    await waitFor(
      'sessions, faults, reboots and drops',
      () =>
        ['session_started', 'session_stopped', 'fault', 'fault_cleared', 'reboot', 'network_drop'].every(
          (k) => kinds().has(k as SwarmEvent['type']),
        ),
      20_000,
    );
    await swarm.stop();
    expect(s.schemaFailures).toEqual([]);
    expect(events.filter((e) => e.type === 'schema_violation')).toEqual([]);
    // Per transaction (resends of unanswered messages aside): one start, seqNos without gaps in
    // order, nothing after the end.
    const byTx = new Map<string, { method: string; seqNo?: number; eventType?: string }[]>();
    for (const c of withoutRetransmissions(s.received.filter(isTransactionMessage))) {
      const key =
        c.method === 'TransactionEvent'
          ? c.params.transactionInfo.transactionId
          : String(c.method === 'StartTransaction' ? c.reply.transactionId : c.params.transactionId);
      byTx.set(key, [
        ...(byTx.get(key) ?? []),
        { method: c.method, seqNo: c.params.seqNo, eventType: c.params.eventType },
      ]);
    }
    expect(byTx.size).toBeGreaterThan(0);
    for (const msgs of byTx.values()) {
      const first = msgs[0]!;
      expect(first.method === 'StartTransaction' || first.eventType === 'Started').toBe(true);
      const endAt = msgs.findIndex((m) => m.method === 'StopTransaction' || m.eventType === 'Ended');
      if (endAt >= 0) expect(endAt).toBe(msgs.length - 1);
      if (first.method === 'TransactionEvent')
        expect(msgs.map((m) => m.seqNo)).toEqual(msgs.map((_, i) => i));
    }
  });
});
