/** Shared fixtures of the cloud tests: a migrated database, a small fleet, envelopes and polling. */
import { expect } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createTestDatabase, type TestDatabase } from '@voltmesh/infra/testing';
import { encodeEnvelope, eventSubject, type Envelope, type StationEvent } from '@voltmesh/contract';
import { v7 as uuidv7 } from 'uuid';
import { migrateUp } from '../src/db/migrate.js';
import { createPool, type Db } from '../src/db/pool.js';
import { seedFleet, type FleetInput } from '../src/seed/fleet.js';

export const PASSWORD = 'correct horse battery';

/** Response bodies in assertions: the point of those tests is to check the shape at runtime. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function fleet(
  tenant: string,
  siteCode: string,
  identities: string[],
  email = `admin@${tenant}.test`,
): FleetInput {
  return {
    tenant: { name: tenant },
    admin: { email, name: `${tenant} admin`, password: PASSWORD },
    cities: [
      {
        name: `${tenant} City`,
        countryCode: 'DE',
        lat: 52.5,
        lon: 13.4,
        sites: [
          {
            code: siteCode,
            name: `${tenant} Depot`,
            address: 'Main Street 1',
            lat: 52.51,
            lon: 13.41,
            gridCapacityKw: 400,
            stations: identities.map((identity, i) => ({
              identity,
              name: `${tenant} charger ${i + 1}`,
              lat: 52.51,
              lon: 13.41 + i / 1000,
              ocppVersion: 'ocpp1.6' as const,
              vendor: 'ACME',
              model: 'Volt 22',
              connectors: [{ type: 'Type2', maxPowerW: 22_000 }],
            })),
          },
        ],
      },
    ],
  };
}

export interface MigratedDb {
  db: Db;
  testDb: TestDatabase;
  close(): Promise<void>;
}

export async function migratedDatabase(serverUrl: string, max = 10): Promise<MigratedDb> {
  const testDb = await createTestDatabase(serverUrl, 'vm_cloud');
  await migrateUp(testDb.url);
  const db = createPool(testDb.url, max);
  return {
    db,
    testDb,
    async close() {
      await db.end();
      await testDb.drop();
    },
  };
}

export { seedFleet };

const base = Date.parse('2026-11-22T10:00:00.000Z');
export const at = (offsetS: number) => new Date(base + offsetS * 1000).toISOString();

export function envelope(
  siteId: string,
  stationId: string | null,
  event: StationEvent,
  opts: { atS: number; seq: number },
): Envelope {
  return {
    schemaVersion: 1,
    id: uuidv7(),
    siteId,
    stationId,
    seq: opts.seq,
    occurredAt: at(opts.atS),
    receivedAt: at(opts.atS),
    source: { kind: 'edge' },
    event,
  };
}

export const ev = {
  connected: (): StationEvent => ({
    type: 'station.connected',
    ocppVersion: 'ocpp1.6',
    securityProfile: 1,
    remoteAddress: null,
  }),
  disconnected: (): StationEvent => ({ type: 'station.disconnected', code: 1006, reason: 'gone' }),
  booted: (): StationEvent => ({
    type: 'station.booted',
    vendor: 'ACME',
    model: 'Volt 22X',
    serialNumber: 'SN1',
    firmwareVersion: '1.2.3',
    reason: 'unknown',
    registration: 'accepted',
    heartbeatIntervalS: 60,
  }),
  heartbeat: (): StationEvent => ({ type: 'station.heartbeat' }),
  status: (status: 'available' | 'occupied' | 'faulted' | 'unavailable', evseId = 1): StationEvent => ({
    type: 'connector.status',
    evseId,
    connectorId: evseId === 0 ? 0 : 1,
    status,
    rawStatus: status === 'occupied' ? 'Charging' : status[0]!.toUpperCase() + status.slice(1),
    errorCode: status === 'faulted' ? 'GroundFailure' : 'NoError',
    vendorErrorCode: null,
    info: null,
  }),
  started: (transactionId: string, meterStartWh: number): StationEvent => ({
    type: 'session.started',
    transactionId,
    evseId: 1,
    connectorId: 1,
    idToken: { id: 'TAG1', type: 'ISO14443' },
    meterStartWh,
    reservationId: null,
  }),
  ended: (transactionId: string, meterStopWh: number): StationEvent => ({
    type: 'session.ended',
    transactionId,
    meterStopWh,
    reason: 'local',
    rawReason: 'Local',
    idToken: null,
  }),
  meter: (transactionId: string | null, atS: number, registerWh: number, powerW: number): StationEvent => ({
    type: 'meter.samples',
    evseId: 1,
    connectorId: 1,
    transactionId,
    samples: [
      {
        at: at(atS),
        measurand: 'Energy.Active.Import.Register',
        value: registerWh,
        unit: 'Wh',
        phase: null,
        location: null,
        context: 'sample.periodic',
        rawUnit: 'Wh',
      },
      {
        at: at(atS),
        measurand: 'Power.Active.Import',
        value: powerW,
        unit: 'W',
        phase: null,
        location: null,
        context: 'sample.periodic',
        rawUnit: 'W',
      },
    ],
  }),
  edgeStatus: (): StationEvent => ({
    type: 'edge.status',
    agentVersion: '0.1.0',
    connectedStations: 1,
    outboxDepth: 0,
    outboxOldestAgeS: 0,
  }),
};

/** Publishes like the edge does: the event id is the JetStream message id. */
export async function publish(
  nc: NatsConnection,
  envelopes: readonly Envelope[],
  opts: { dedupe?: boolean } = {},
) {
  const js = jetstream(nc);
  for (const e of envelopes) {
    await js.publish(
      eventSubject(e.siteId, e.stationId),
      encodeEnvelope(e),
      opts.dedupe === false ? {} : { msgID: e.id },
    );
  }
}

export async function publishRaw(nc: NatsConnection, subject: string, data: Uint8Array) {
  await jetstream(nc).publish(subject, data);
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function count(db: Db, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** What `signedIn` needs of an app: Hono's `app.request`. */
interface Requestable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Cookie sessions against an app, one per e-mail with its CSRF token, and calls as any of them
 * (`app` is a getter: the app usually exists only after `beforeAll`).
 */
export function signedIn(app: () => Requestable) {
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const login = async (email: string, password = PASSWORD): Promise<void> => {
    const res = await app().request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    sessions.set(email, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken });
  };
  const call = async (
    email: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; type: string | null; json: Json }> => {
    const s = sessions.get(email);
    if (!s) throw new Error(`${email} has not signed in`);
    const res = await app().request(path, {
      method,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      json: text ? JSON.parse(text) : null,
    };
  };
  return { sessions, login, call };
}
