/**
 * 10,000 random and mutated frames from raw WebSocket connections (both versions): the process stays
 * up, every frame that needs an answer gets a CALLERROR with a code valid for the connection's version
 * (message id "-1" when the id is unreadable), and another station's session is unaffected.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { OcppVersion } from '@voltmesh/contract';
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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
import { bootAndAvailable16, session16 } from './support/sessions.js';

const FRAMES = 10_000;
const CONNECTIONS: OcppVersion[] = ['ocpp1.6', 'ocpp2.0.1', 'ocpp1.6', 'ocpp2.0.1'];

const CODES: Record<OcppVersion, Set<string>> = {
  'ocpp1.6': new Set([
    'NotImplemented',
    'NotSupported',
    'InternalError',
    'ProtocolError',
    'SecurityError',
    'FormationViolation',
    'PropertyConstraintViolation',
    'OccurenceConstraintViolation',
    'TypeConstraintViolation',
    'GenericError',
  ]),
  'ocpp2.0.1': new Set([
    'FormatViolation',
    'GenericError',
    'InternalError',
    'MessageTypeNotSupported',
    'NotImplemented',
    'NotSupported',
    'OccurenceConstraintViolation',
    'PropertyConstraintViolation',
    'ProtocolError',
    'RpcFrameworkError',
    'SecurityError',
    'TypeConstraintViolation',
  ]),
};
const UNREADABLE: Record<OcppVersion, string> = {
  'ocpp1.6': 'FormationViolation',
  'ocpp2.0.1': 'RpcFrameworkError',
};
const BAD_TYPE: Record<OcppVersion, string> = {
  'ocpp1.6': 'FormationViolation',
  'ocpp2.0.1': 'MessageTypeNotSupported',
};

const VALID: Record<OcppVersion, [string, Record<string, unknown>][]> = {
  'ocpp1.6': [
    ['BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
    ['Heartbeat', {}],
    ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }],
    ['Authorize', { idTag: 'FUZZ' }],
    ['DataTransfer', { vendorId: 'fuzz', data: 'x' }],
    [
      'MeterValues',
      { connectorId: 1, meterValue: [{ timestamp: '2026-11-22T10:00:00Z', sampledValue: [{ value: '1' }] }] },
    ],
  ],
  'ocpp2.0.1': [
    ['BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } }],
    ['Heartbeat', {}],
    [
      'StatusNotification',
      { timestamp: '2026-11-22T10:00:00Z', connectorStatus: 'Available', evseId: 1, connectorId: 1 },
    ],
    ['Authorize', { idToken: { idToken: 'FUZZ', type: 'ISO14443' } }],
  ],
};

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

type Expect = { kind: 'error'; id: string; code?: string } | { kind: 'reply'; id: string };
type Gen = ReturnType<typeof rng>;

function randomValue(g: Gen, depth = 0): unknown {
  switch (g.int(depth > 2 ? 6 : 8)) {
    case 0:
      return g.int(2) === 0 ? null : g.next() > 0.5;
    case 1:
      return g.pick([0, -1, 1e308, -0.5, 2 ** 53, 42]);
    case 2:
      return 'x'.repeat(g.int(4) === 0 ? 2000 : g.int(20));
    case 3:
      return String.fromCharCode(...Array.from({ length: g.int(16) }, () => g.int(0xd7ff)));
    case 4:
      return '2026-13-45T99:99:99Z';
    case 5:
      return g.pick(['Available', 'Accepted', 'NoError', '', 'Charging']);
    case 6:
      return Array.from({ length: g.int(4) }, () => randomValue(g, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: g.int(4) }, (_, i) => [`k${i}`, randomValue(g, depth + 1)]),
      );
  }
}

function mutate(g: Gen, payload: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = structuredClone(payload);
  const keys = Object.keys(copy);
  switch (g.int(5)) {
    case 0:
      if (keys.length) delete copy[g.pick(keys)];
      return copy;
    case 1:
      if (keys.length) copy[g.pick(keys)] = randomValue(g);
      return copy;
    case 2:
      copy[`unexpected${g.int(9)}`] = randomValue(g);
      return copy;
    case 3:
      return randomValue(g);
    default:
      return copy;
  }
}

function frame(g: Gen, version: OcppVersion, n: number): { data: string | Buffer; expect: Expect } {
  const id = `fz-${n}`;
  switch (g.int(9)) {
    case 0:
      return {
        data: Buffer.from(Array.from({ length: 1 + g.int(64) }, () => g.int(256))),
        expect: { kind: 'error', id: '-1', code: UNREADABLE[version] },
      };
    case 1: {
      const text = JSON.stringify([2, id, 'Heartbeat', {}]);
      const cut = text.slice(0, g.int(text.length - 1) + 1);
      return { data: cut.length ? cut : '[', expect: { kind: 'error', id: '-1', code: UNREADABLE[version] } };
    }
    case 2: {
      const v = g.pick([{}, 'hello', 7, null, { a: [1] }, true]);
      return { data: JSON.stringify(v), expect: { kind: 'error', id: '-1', code: UNREADABLE[version] } };
    }
    case 3:
      return {
        data: JSON.stringify([g.pick([5, 0, -1, 2.5, 99]), id, 'Heartbeat', {}]),
        expect: { kind: 'error', id: '-1', code: BAD_TYPE[version] },
      };
    case 4:
      return {
        data: JSON.stringify([2, g.pick([1, null, {}, []]), 'Heartbeat', {}]),
        expect: { kind: 'error', id: '-1', code: UNREADABLE[version] },
      };
    case 5:
      return {
        data: JSON.stringify([2, id, g.pick(['NoSuchAction', 'RemoteStartTransaction', 'Reset']), {}]),
        expect: { kind: 'error', id, code: 'NotImplemented' },
      };
    default: {
      const [action, payload] = g.pick(VALID[version]);
      const mutated = mutate(g, payload);
      return { data: JSON.stringify([2, id, action, mutated]), expect: { kind: 'reply', id } };
    }
  }
}

async function fuzzConnection(
  url: string,
  identity: string,
  version: OcppVersion,
  count: number,
  seed: number,
) {
  const ws = new WebSocket(`${url}/${identity}`, [version]);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const inbox: string[] = [];
  let waiter: (() => void) | null = null;
  ws.on('message', (m: Buffer) => {
    inbox.push(m.toString('utf8'));
    waiter?.();
  });
  const nextMessage = async (): Promise<string> => {
    const deadline = Date.now() + 10_000;
    while (inbox.length === 0) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error(`socket closed on ${identity}`);
      if (Date.now() > deadline) throw new Error(`no answer on ${identity}`);
      await new Promise<void>((r) => {
        waiter = r;
        setTimeout(r, 200);
      });
      waiter = null;
    }
    return inbox.shift()!;
  };

  const g = rng(seed);
  const problems: string[] = [];
  let errors = 0;
  for (let n = 0; n < count; n++) {
    const f = frame(g, version, n);
    ws.send(f.data);
    const reply = JSON.parse(await nextMessage()) as unknown[];
    const show = () =>
      `${identity} frame ${n} ${String(f.data).slice(0, 80)} -> ${JSON.stringify(reply).slice(0, 160)}`;
    if (reply[1] !== f.expect.id) problems.push(`wrong id: ${show()}`);
    if (reply[0] === 4) {
      errors++;
      const code = String(reply[2]);
      if (!CODES[version].has(code)) problems.push(`code not valid for ${version}: ${show()}`);
      if (f.expect.kind === 'error' && f.expect.code && code !== f.expect.code)
        problems.push(`expected ${f.expect.code}: ${show()}`);
    } else if (reply[0] !== 3 || f.expect.kind === 'error') {
      problems.push(`unexpected frame: ${show()}`);
    }
  }
  ws.close();
  return { problems, errors };
}

describe('malformed input', () => {
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

  it(
    'answers 10,000 bad frames correctly and leaves other stations alone',
    { timeout: 120_000 },
    async () => {
      const bystander = charger(edge.url, 'BYSTANDER', 'ocpp1.6');
      await bystander.connect();
      await bootAndAvailable16(bystander);
      const sessionDone = (async () => {
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await session16(bystander, `RFID-${i}`));
        return results;
      })();

      const per = FRAMES / CONNECTIONS.length;
      const results = await Promise.all(
        CONNECTIONS.map((version, i) => fuzzConnection(edge.url, `FUZZ-${i}`, version, per, 1000 + i)),
      );
      const problems = results.flatMap((r) => r.problems);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(results.reduce((n, r) => n + r.errors, 0)).toBeGreaterThan(FRAMES / 2);

      const sessions = await sessionDone;
      expect(sessions.map((s) => s.transactionId > 0)).toEqual([true, true, true]);
      await bystander.close();
      const health = await fetch(`http://127.0.0.1:${edge.agent.port}/health`);
      expect(health.status).toBe(200);

      const events = await eventually(
        () => readSiteEvents(nc, edge.siteId),
        (es) => es.some((e) => e.stationId === 'BYSTANDER' && e.event.type === 'station.disconnected'),
      );
      const mine = events.filter((e) => e.stationId === 'BYSTANDER');
      expect(mine.filter((e) => e.event.type === 'session.ended')).toHaveLength(3);
      expect(mine.map((e) => e.seq)).toEqual(mine.map((_, i) => i));
    },
  );

  it('refuses an oversized frame by closing that socket only (1009)', async () => {
    const ws = new WebSocket(`${edge.url}/BIG`, ['ocpp1.6']);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(600 * 1024) }]));
    expect(await closed).toBe(1009);
    expect((await fetch(`http://127.0.0.1:${edge.agent.port}/health`)).status).toBe(200);
  });
});
