/** Fixtures of the history tests: an app with the history routes and events written at chosen times. */
import type { StationEvent } from '@voltmesh/contract';
import { pino } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { createApp, type App } from '../src/api/app.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin } from '../src/auth/login.js';
import { createSessionStore } from '../src/auth/sessions.js';
import { withTransaction, type Db } from '../src/db/pool.js';
import { createHistoryQueries } from '../src/history/queries.js';
import type { StorageEngine } from '../src/history/sources.js';
import { writeBatch } from '../src/ingest/write-batch.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createStationQueries } from '../src/stations/queries.js';
import { PASSWORD } from './support.js';

export function historyApp(db: Db, engine: StorageEngine = 'postgres'): App {
  const sessions = createSessionStore(db, 'history-test-secret-history-test-secret');
  const stations = createStationQueries(db, { trigram: true });
  return createApp({
    log: pino({ level: 'silent' }),
    auth: {
      login: createLogin({
        db,
        sessions,
        ipThrottle: createIpThrottle({ maxFailures: 100, windowMs: 60_000 }),
      }),
      sessions,
      secureCookies: false,
      sessionEnded: () => {},
    },
    stations,
    history: createHistoryQueries(db, { engine }),
    ops: { health: { database: async () => {}, nats: () => true }, registry: createMetrics().registry },
    webDistDir: null,
  });
}

export async function loginCookie(app: App, email: string): Promise<string> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

let seq = 0;
let streamSeq = 1_000_000;

/** Writes events through the ingest's batch writer, each at its own ISO time. */
export async function writeAt(
  db: Db,
  siteCode: string,
  identity: string | null,
  events: readonly { at: string; event: StationEvent }[],
): Promise<void> {
  const messages = events.map(({ at, event }) => ({
    envelope: {
      schemaVersion: 1 as const,
      id: uuidv7(),
      siteId: siteCode,
      stationId: identity,
      seq: ++seq,
      occurredAt: at,
      receivedAt: at,
      source: { kind: 'edge' as const },
      event,
    },
    streamSeq: ++streamSeq,
    subject: 'x',
    raw: new Uint8Array(),
  }));
  await withTransaction(db, (tx) => writeBatch(tx, messages));
}

type Sample = Extract<StationEvent, { type: 'meter.samples' }>['samples'][number];

export const sample = (
  at: string,
  measurand: string,
  value: number,
  unit: Sample['unit'],
  phase: string | null = null,
): Sample => ({
  at,
  measurand,
  value,
  unit,
  phase,
  location: null,
  context: 'sample.periodic',
  rawContext: null,
  rawUnit: unit,
});

export const meterEvent = (transactionId: string | null, samples: Sample[], evseId = 1): StationEvent => ({
  type: 'meter.samples',
  evseId,
  connectorId: 1,
  transactionId,
  samples,
});
