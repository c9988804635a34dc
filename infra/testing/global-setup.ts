/**
 * Vitest global setup: one throwaway nats-server (JetStream) and one throwaway PostgreSQL for the
 * whole run, each in a temp dir on a free port, stopped at the end. NATS_URL / DATABASE_URL in the
 * environment replace them. Tests read the URLs with `testServices()`; fault tests that kill a server
 * start their own with `startNats()` / `startPostgres()` so other tests are unaffected.
 */
import type { TestProject } from 'vitest/node';
import { startNats, startPostgres, type NatsServerHandle, type PostgresHandle } from '../services/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
  }
}

let nats: NatsServerHandle | undefined;
let postgres: PostgresHandle | undefined;
let users = 0;
// An empty variable (`NATS_URL= pnpm test`) means "not set", not "connect to the default address".
const externalNats = process.env['NATS_URL'] || undefined;
const externalDatabase = process.env['DATABASE_URL'] || undefined;

export async function setup(project: TestProject): Promise<void> {
  users++;
  if (users === 1) {
    const [n, p] = await Promise.all([
      externalNats ? undefined : startNats(),
      externalDatabase ? undefined : startPostgres({ fast: true }),
    ]);
    nats = n;
    postgres = p;
  }
  project.provide('natsUrl', externalNats ?? nats!.url);
  project.provide('databaseUrl', externalDatabase ?? postgres!.url);
}

export async function teardown(): Promise<void> {
  users--;
  if (users > 0) return;
  await Promise.all([nats?.dispose(), postgres?.dispose()]);
}
