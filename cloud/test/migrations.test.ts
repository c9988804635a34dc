import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testServices } from '@voltmesh/infra/testing';
import { migrateUp, pendingMigrations } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { ensurePartitions } from '../src/db/partitions.js';

describe('migrations', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('apply on a fresh database, then are idempotent', async () => {
    const testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_mig');
    cleanups.push(() => testDb.drop());
    expect(await pendingMigrations(testDb.url)).toEqual([
      '1763780000000_initial-schema',
      '1763790000000_site-config',
      '1763800000000_commands-audit',
      '1763830000000_history-rollups',
      '1764840000000_accounts',
      '1764850000000_resources',
      '1764900000000_alerts',
      '1764910000000_event-log',
      '1764920000000_billing',
      '1764930000000_ledger',
    ]);
    expect(await migrateUp(testDb.url)).toEqual([
      '1763780000000_initial-schema',
      '1763790000000_site-config',
      '1763800000000_commands-audit',
      '1763830000000_history-rollups',
      '1764840000000_accounts',
      '1764850000000_resources',
      '1764900000000_alerts',
      '1764910000000_event-log',
      '1764920000000_billing',
      '1764930000000_ledger',
    ]);
    expect(await migrateUp(testDb.url)).toEqual([]);
    expect(await pendingMigrations(testDb.url)).toEqual([]);

    const db = createPool(testDb.url, 2);
    cleanups.push(() => db.end());
    const { rows: tables } = await db.query<{ relname: string }>(
      "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace",
    );
    const names = tables.map((t) => t.relname);
    for (const t of [
      'tenants',
      'cities',
      'sites',
      'stations',
      'connectors',
      'users',
      'grants',
      'auth_sessions',
      'station_events',
      'meter_samples',
      'sessions',
      'dead_letters',
      'audit_log',
      'id_tokens',
      'station_events_default',
      'meter_samples_default',
      'alert_rules',
      'incidents',
      'notifications',
      'oncall_groups',
      'tariffs',
      'tariff_versions',
      'tariff_assignments',
    ]) {
      expect(names).toContain(t);
    }
    const month = new Date().toISOString().slice(0, 7).replace('-', 'm');
    expect(names).toContain(`station_events_y${month}`);
    expect(names).toContain(`meter_samples_y${month}`);
    const { rows: ext } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'");
    expect(ext).toHaveLength(1);
  });

  it('moves rows out of the default partition when it creates a partition for their month', async () => {
    const testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_mig');
    cleanups.push(() => testDb.drop());
    await migrateUp(testDb.url);
    const c = new pg.Client({ connectionString: testDb.url });
    await c.connect();
    cleanups.push(() => c.end());
    // A row six months ahead lands in the default partition (only 3 months are created ahead).
    const future = new Date();
    future.setUTCMonth(future.getUTCMonth() + 6, 15);
    await c.query(
      `INSERT INTO station_events (occurred_at, id, tenant_id, site_id, seq, type, received_at, source, payload)
       VALUES ($1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 1, 'station.heartbeat', $1, '{}', '{}')`,
      [future],
    );
    expect((await c.query('SELECT count(*)::int AS n FROM station_events_default')).rows[0].n).toBe(1);
    const db = createPool(testDb.url, 1);
    cleanups.push(() => db.end());
    expect(await ensurePartitions(db, 7)).toBeGreaterThan(0);
    expect((await c.query('SELECT count(*)::int AS n FROM station_events_default')).rows[0].n).toBe(0);
    expect((await c.query('SELECT count(*)::int AS n FROM station_events')).rows[0].n).toBe(1);
  });
});
