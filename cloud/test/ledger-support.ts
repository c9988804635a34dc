/** Fixtures of the ledger and report tests: an app with those routes and users of chosen roles. */
import { pino } from 'pino';
import { createApp, type App } from '../src/api/app.js';
import { createAuditLog } from '../src/audit/audit-log.js';
import { createIpThrottle } from '../src/auth/ip-throttle.js';
import { createLogin } from '../src/auth/login.js';
import { hashPassword } from '../src/auth/password.js';
import type { Role } from '../src/auth/roles.js';
import { createSessionStore } from '../src/auth/sessions.js';
import type { Db } from '../src/db/pool.js';
import { createHistoryQueries } from '../src/history/queries.js';
import type { StorageEngine } from '../src/history/sources.js';
import { createLedgerStore } from '../src/ledger/ledger-store.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createReportQueries } from '../src/reports/queries.js';
import { createStationQueries } from '../src/stations/queries.js';
import { PASSWORD, type Json } from './support.js';

export function ledgerApp(db: Db, options: { now?: () => number; engine?: StorageEngine } = {}): App {
  const sessions = createSessionStore(db, 'ledger-test-secret-ledger-test-secret');
  const audit = createAuditLog(db);
  const engine = options.engine ?? 'postgres';
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
    stations: createStationQueries(db, { trigram: true }),
    audit,
    history: createHistoryQueries(db, { engine }),
    ledger: { db, ledger: createLedgerStore(db), audit, ...(options.now ? { now: options.now } : {}) },
    reports: { reports: createReportQueries(db, { engine }) },
    ops: { health: { database: async () => {}, nats: () => true }, registry: createMetrics().registry },
    webDistDir: null,
  });
}

let hash: Promise<string> | null = null;
/** A user holding one grant; `siteId` limits it to that site. */
export async function addUser(
  db: Db,
  tenantId: string,
  email: string,
  role: Role,
  siteId: string | null = null,
): Promise<void> {
  hash ??= hashPassword(PASSWORD);
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id',
    [email, await hash],
  );
  await db.query('INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, $3, $4)', [
    rows[0]!.id,
    tenantId,
    role,
    siteId,
  ]);
}

export interface Caller {
  get(path: string): Promise<{ status: number; body: Json; text: string; headers: Headers }>;
  post(path: string, body: unknown): Promise<{ status: number; body: Json }>;
}

export async function callerFor(app: App, email: string): Promise<Caller> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    async get(path) {
      const r = await app.request(path, { headers: { cookie } });
      // ignoreBOM keeps a byte-order mark in the text, where Response.text() would drop it.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());
      let body: Json = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: r.status, body, text, headers: r.headers };
    },
    async post(path, body) {
      const r = await app.request(path, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Json };
    },
  };
}
