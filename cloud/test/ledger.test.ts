/**
 * The transaction ledger's storage rules against a real PostgreSQL: a session charge is written
 * once per session with the token's holder, group and company as they were at write time, and the
 * table refuses UPDATE, DELETE and TRUNCATE.
 */
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../src/db/pool.js';
import { LedgerError, recordSessionCharge } from '../src/ledger/ledger.js';
import { createLedgerStore } from '../src/ledger/ledger-store.js';
import { fleet, migratedDatabase, seedFleet, type MigratedDb } from './support.js';

describe('ledger storage', () => {
  let m: MigratedDb;
  let tenantId: string;
  let sessionId: string;

  const entries = async () =>
    (
      await m.db.query<Record<string, string | null>>(
        `SELECT kind, amount::text AS amount, currency, id_token, holder_name, group_name, group_kind, company,
                site_id, order_number
           FROM ledger_entries WHERE tenant_id = $1 ORDER BY recorded_at`,
        [tenantId],
      )
    ).rows;

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl, 4);
    tenantId = (await seedFleet(m.db, fleet('Ledg', 'ledg-1', ['L-1']))).tenantId;
    const { rows } = await m.db.query<{ id: string; site_id: string }>(
      `INSERT INTO sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, id_token, started_at)
       SELECT $1, id, 1, 1, 'tx-1', 'CARD-Ж', now() FROM stations WHERE tenant_id = $1 RETURNING id`,
      [tenantId],
    );
    sessionId = rows[0]!.id;
    await m.db.query(
      `WITH h AS (INSERT INTO token_holders (tenant_id, name, company) VALUES ($1, 'Анна Петрова', '北京公司') RETURNING id),
            g AS (INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, 'Fleet A', 'corporate') RETURNING id)
       INSERT INTO id_tokens (tenant_id, id_token, type, holder_id, token_group_id)
       SELECT $1, 'CARD-Ж', 'ISO14443', h.id, g.id FROM h, g`,
      [tenantId],
    );
  });
  afterAll(async () => {
    await m?.close();
  });

  const charge = (amount: string) => ({
    tenantId,
    sessionId,
    amount,
    currency: 'EUR',
    idToken: 'CARD-Ж',
    occurredAt: new Date('2026-12-01T10:00:00Z'),
  });

  it('records a session charge once, with the holder, group and company of the token', async () => {
    await withTransaction(m.db, (tx) => recordSessionCharge(tx, charge('12.34')));
    // Redelivery: billing calls again, even with another amount; the first charge stands.
    await withTransaction(m.db, (tx) => recordSessionCharge(tx, charge('99')));
    const rows = await entries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'session_charge',
      amount: '12.3400',
      currency: 'EUR',
      id_token: 'CARD-Ж',
      holder_name: 'Анна Петрова',
      group_name: 'Fleet A',
      group_kind: 'corporate',
      company: '北京公司',
    });
    expect(rows[0]!.site_id).not.toBeNull();
    expect(rows[0]!.order_number).toMatch(/^VM-\d{8}$/);
  });

  it('rolls back with the caller: a charge inside a failed transaction is not kept', async () => {
    const { rows } = await m.db.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, station_id, transaction_id, started_at)
       SELECT $1, id, 'tx-2', now() FROM stations WHERE tenant_id = $1 RETURNING id`,
      [tenantId],
    );
    await expect(
      withTransaction(m.db, async (tx) => {
        await recordSessionCharge(tx, { ...charge('1'), sessionId: rows[0]!.id, idToken: null });
        throw new Error('billing failed later');
      }),
    ).rejects.toThrow('billing failed later');
    expect(await entries()).toHaveLength(1);
  });

  it('refuses negative, float-formatted and unknown-currency charges', async () => {
    for (const [amount, currency, code] of [
      ['-1.00', 'EUR', 'ledger.invalid_amount'],
      ['1e3', 'EUR', 'ledger.invalid_amount'],
      ['0.12345', 'EUR', 'ledger.invalid_amount'],
      ['1.00', 'eur', 'ledger.invalid_currency'],
    ] as const) {
      const error = await withTransaction(m.db, (tx) =>
        recordSessionCharge(tx, { ...charge(amount), currency }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).code).toBe(code);
    }
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    for (const sql of [
      `UPDATE ledger_entries SET amount = 0 WHERE tenant_id = $1`,
      `DELETE FROM ledger_entries WHERE tenant_id = $1`,
    ]) {
      await expect(m.db.query(sql, [tenantId])).rejects.toThrow(/append-only/);
    }
    await expect(m.db.query('TRUNCATE ledger_entries')).rejects.toThrow(/append-only/);
    expect((await entries())[0]!.amount).toBe('12.3400');
  });

  it('streams a long period through a cursor, a batch at a time, in order', async () => {
    await m.db.query(
      `INSERT INTO ledger_entries (tenant_id, kind, amount, currency, occurred_at, external_ref, actor_user_id, reason)
       SELECT $1, 'session_charge', g / 100.0, 'EUR', timestamptz '2026-10-01' + g * interval '1 minute', 'BULK-' || g,
              gen_random_uuid(), 'bulk'
         FROM generate_series(1, 2345) g`,
      [tenantId],
    );
    const store = createLedgerStore(m.db);
    const period = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };
    const sizes: number[] = [];
    let previous = '';
    let sum = 0;
    for await (const batch of store.stream(
      { tenantId, siteId: null, cityId: null },
      { sort: 'occurredAt' },
      period,
      500,
    )) {
      sizes.push(batch.length);
      for (const e of batch) {
        expect(e.occurredAt > previous).toBe(true);
        previous = e.occurredAt;
        sum += Math.round(Number(e.amount) * 100);
      }
    }
    expect(sizes).toEqual([500, 500, 500, 500, 345]);
    expect(sum).toBe((2345 * 2346) / 2);
    // The cursor's connection went back to the pool.
    expect(m.db.totalCount - m.db.idleCount).toBe(0);
  });

  it('refuses an adjustment without a reason and a refund without the charge it refunds', async () => {
    await expect(
      m.db.query(
        `INSERT INTO ledger_entries (tenant_id, kind, amount, currency, occurred_at) VALUES ($1, 'adjustment', 5, 'EUR', now())`,
        [tenantId],
      ),
    ).rejects.toThrow(/ledger_who_and_why/);
    await expect(
      m.db.query(
        `INSERT INTO ledger_entries (tenant_id, kind, amount, currency, occurred_at, reason, actor_user_id)
         VALUES ($1, 'refund', -5, 'EUR', now(), 'x', gen_random_uuid())`,
        [tenantId],
      ),
    ).rejects.toThrow(/ledger_amount_sign/);
  });
});
