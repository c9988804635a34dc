import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startNats, startPostgres, testServices } from './index.js';

describe('shared test services', () => {
  it('provides a NATS server with JetStream enabled', async () => {
    const nc = await connect({ servers: testServices().natsUrl });
    try {
      const info = nc.info;
      expect(info?.jetstream).toBe(true);
    } finally {
      await nc.close();
    }
  });

  it('provides a PostgreSQL server where each test file gets its own database', async () => {
    const db = await createTestDatabase(testServices().databaseUrl);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.end();
    await db.drop();
    expect(rows[0]?.db).toBe(db.name);
  });
});

describe('fault helpers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('kills nats-server with SIGKILL and restarts it on the same port with its JetStream data', async () => {
    const nats = await startNats();
    cleanups.push(() => nats.dispose());
    let nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KEEP', subjects: ['keep.>'] });
    await nc.close();

    await nats.kill();
    await expect(connect({ servers: nats.url, reconnect: false, timeout: 500 })).rejects.toThrow();
    await nats.start();

    nc = await connect({ servers: nats.url });
    const again = await jetstreamManager(nc);
    expect((await again.streams.info('KEEP')).config.name).toBe('KEEP');
    await nc.close();
  });

  it('kills PostgreSQL with SIGKILL and restarts it with committed data intact', async () => {
    const postgres = await startPostgres({ fast: true });
    cleanups.push(() => postgres.dispose());
    const q = async (sql: string) => {
      const c = new pg.Client({ connectionString: postgres.url });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
    await q('create table t(v int); insert into t values (42)');
    await postgres.kill();
    await expect(q('select 1')).rejects.toThrow();
    await postgres.start();
    expect(await q('select v from t')).toEqual([{ v: 42 }]);
  });
});
