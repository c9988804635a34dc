/**
 * The ledger API against a real PostgreSQL: the orders list defaults to the current month, refunds
 * never exceed the charge, adjustments need a reason, balances per token/holder/company add up,
 * the CSV export keeps Cyrillic and Chinese names (UTF-8 with BOM), an import of missing orders
 * reports bad rows and imports nothing twice, and nobody sees another tenant's or site's entries.
 */
import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/api/app.js';
import { withTransaction } from '../src/db/pool.js';
import { recordSessionCharge } from '../src/ledger/ledger.js';
import { parseCsv } from '../src/api/csv.js';
import { addUser, callerFor, ledgerApp, type Caller } from './ledger-support.js';
import { fleet, migratedDatabase, seedFleet, type Json, type MigratedDb } from './support.js';

const NOW = Date.parse('2026-12-15T12:00:00Z');

describe('ledger API', () => {
  let m: MigratedDb;
  let app: App;
  let admin: Caller;
  let analyst: Caller;
  let siteAnalyst: Caller;
  let technician: Caller;
  let otherAdmin: Caller;
  const sessions: Record<string, string> = {};
  const sites: Record<string, string> = {};

  const session = async (tenantId: string, identity: string, tx: string, idToken: string | null) => {
    const { rows } = await m.db.query<{ id: string; site_id: string }>(
      `INSERT INTO sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, id_token, started_at)
       SELECT $1, id, 1, 1, $3, $4, now() FROM stations WHERE tenant_id = $1 AND identity = $2
       RETURNING id, (SELECT site_id FROM stations WHERE identity = $2) AS site_id`,
      [tenantId, identity, tx, idToken],
    );
    sessions[tx] = rows[0]!.id;
    sites[identity] = rows[0]!.site_id;
    return rows[0]!.id;
  };
  const charge = (tenantId: string, tx: string, amount: string, day: string, idToken: string | null) =>
    withTransaction(m.db, (c) =>
      recordSessionCharge(c, {
        tenantId,
        sessionId: sessions[tx]!,
        amount,
        currency: 'EUR',
        idToken,
        occurredAt: new Date(`${day}T10:00:00Z`),
      }),
    );

  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl, 6);
    const t = (await seedFleet(m.db, fleet('Ledger', 'lg-1', ['LG-1']))).tenantId;
    await seedFleet(m.db, fleet('Ledger', 'lg-2', ['LG-2']));
    const o = (await seedFleet(m.db, fleet('Elsewhere', 'el-1', ['EL-1']))).tenantId;
    await m.db.query(
      `WITH a AS (INSERT INTO token_holders (tenant_id, name, company) VALUES ($1, 'Анна Петрова', '北京公司') RETURNING id),
            w AS (INSERT INTO token_holders (tenant_id, name) VALUES ($1, '王伟') RETURNING id),
            g AS (INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, 'Family', 'personal') RETURNING id)
       INSERT INTO id_tokens (tenant_id, id_token, type, holder_id, token_group_id)
       SELECT $1, 'CARD-1', 'ISO14443', a.id, NULL FROM a
       UNION ALL SELECT $1, 'CARD-2', 'ISO14443', w.id, g.id FROM w, g`,
      [t],
    );
    await session(t, 'LG-1', 'tx-1', 'CARD-1');
    await session(t, 'LG-2', 'tx-2', 'CARD-2');
    await session(t, 'LG-1', 'tx-3', 'CARD-1');
    await session(o, 'EL-1', 'tx-4', 'CARD-1');
    await charge(t, 'tx-1', '100.00', '2026-12-02', 'CARD-1');
    await charge(t, 'tx-2', '40.5', '2026-12-03', 'CARD-2');
    await charge(t, 'tx-3', '10', '2026-11-20', 'CARD-1');
    await charge(o, 'tx-4', '77', '2026-12-02', 'CARD-1');

    app = ledgerApp(m.db, { now: () => NOW });
    await addUser(m.db, t, 'analyst@ledger.test', 'analyst');
    await addUser(m.db, t, 'site-analyst@ledger.test', 'analyst', sites['LG-2']);
    await addUser(m.db, t, 'tech@ledger.test', 'technician');
    admin = await callerFor(app, 'admin@Ledger.test');
    analyst = await callerFor(app, 'analyst@ledger.test');
    siteAnalyst = await callerFor(app, 'site-analyst@ledger.test');
    technician = await callerFor(app, 'tech@ledger.test');
    otherAdmin = await callerFor(app, 'admin@Elsewhere.test');
  });
  afterAll(async () => {
    await m?.close();
  });

  it('lists the current month by default, with the holder resolved and the sums per currency', async () => {
    const res = await analyst.get('/api/ledger');
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2026-12-01T00:00:00.000Z');
    expect(res.body.to).toBe('2027-01-01T00:00:00.000Z');
    expect(res.body.items.map((e: Json) => [e.kind, e.amount, e.holderName])).toEqual([
      ['session_charge', '40.5000', '王伟'],
      ['session_charge', '100.0000', 'Анна Петрова'],
    ]);
    expect(res.body.sums).toEqual([{ currency: 'EUR', amount: '140.5000' }]);
    const november = await analyst.get('/api/ledger?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(november.body.items.map((e: Json) => e.amount)).toEqual(['10.0000']);
    const bad = await analyst.get('/api/ledger?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('report.range_invalid');
    expect(bad.body.errors[0].path).toBe('to');
    expect((await technician.get('/api/ledger')).status).toBe(403);
  });

  it('refunds at most what is left of a charge, and records who and why in the audit log', async () => {
    const first = await admin.post('/api/ledger/refunds', {
      sessionId: sessions['tx-1'],
      amount: '30.25',
      reason: 'charger stopped early',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'refund', amount: '-30.2500', holderName: 'Анна Петрова' });
    const charge = (await admin.get('/api/ledger?kind=session_charge&idToken=CARD-1')).body.items[0];
    expect(first.body.refundOf).toBe(charge.orderNumber);

    const tooMuch = await admin.post('/api/ledger/refunds', {
      orderNumber: charge.orderNumber,
      amount: '69.7501',
      reason: 'more than is left',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('ledger.refund_exceeds_charge');
    expect(tooMuch.body.errors).toEqual([{ path: 'amount', message: expect.stringContaining('69.7500') }]);

    const rest = await admin.post('/api/ledger/refunds', {
      orderNumber: charge.orderNumber,
      amount: '69.75',
      reason: 'rest of it',
    });
    expect(rest.status).toBe(201);
    const nothingLeft = await admin.post('/api/ledger/refunds', {
      sessionId: sessions['tx-1'],
      amount: '0.0001',
      reason: 'one more',
    });
    expect(nothingLeft.body.code).toBe('ledger.refund_exceeds_charge');

    const noReason = await admin.post('/api/ledger/refunds', { sessionId: sessions['tx-2'], amount: '1' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: Json) => e.path)).toContain('reason');
    expect(
      (
        await analyst.post('/api/ledger/refunds', {
          sessionId: sessions['tx-2'],
          amount: '1',
          reason: 'nope',
        })
      ).status,
    ).toBe(403);
    // Another tenant's charge does not exist for this admin.
    const foreign = await admin.post('/api/ledger/refunds', {
      sessionId: sessions['tx-4'],
      amount: '1',
      reason: 'not mine',
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ledger.charge_not_found');

    const { rows } = await m.db.query<{ action: string; user_email: string; detail: Json }>(
      "SELECT action, user_email, detail FROM audit_log WHERE action = 'ledger.refund_recorded' ORDER BY id",
    );
    expect(rows.map((r) => [r.user_email, r.detail.amount, r.detail.reason])).toEqual([
      ['admin@Ledger.test', '-30.2500', 'charger stopped early'],
      ['admin@Ledger.test', '-69.7500', 'rest of it'],
    ]);
  });

  it('records adjustments with a reason, against a session or (tenant-wide) a token', async () => {
    const onSession = await admin.post('/api/ledger/adjustments', {
      sessionId: sessions['tx-2'],
      amount: '-5.5',
      currency: 'EUR',
      reason: 'goodwill credit',
    });
    expect(onSession.status).toBe(201);
    expect(onSession.body).toMatchObject({
      kind: 'adjustment',
      amount: '-5.5000',
      idToken: 'CARD-2',
      holderName: '王伟',
      groupName: 'Family',
      siteId: sites['LG-2'],
      reason: 'goodwill credit',
      actorEmail: 'admin@Ledger.test',
    });
    const onToken = await admin.post('/api/ledger/adjustments', {
      idToken: 'CARD-1',
      amount: '2',
      currency: 'EUR',
      reason: 'card replacement fee',
    });
    expect(onToken.status).toBe(201);
    expect(onToken.body).toMatchObject({ holderName: 'Анна Петрова', company: '北京公司', siteId: null });
    const zero = await admin.post('/api/ledger/adjustments', {
      amount: '0.00',
      currency: 'EUR',
      reason: 'nothing',
    });
    expect(zero.status).toBe(400);
    expect(zero.body.errors[0].path).toBe('amount');
    const float = await admin.post('/api/ledger/adjustments', {
      amount: '1e3',
      currency: 'EUR',
      reason: 'exp',
    });
    expect(float.status).toBe(400);
    const audit = await m.db.query("SELECT 1 FROM audit_log WHERE action = 'ledger.adjustment_recorded'");
    expect(audit.rows).toHaveLength(2);
  });

  it('sums balances per token, holder and company from every entry', async () => {
    const byToken = (await analyst.get('/api/ledger/balances?by=token')).body;
    const card = (k: string) => byToken.items.find((b: Json) => b.key === k);
    // CARD-1: 100 + 10 charged, 100 refunded, +2 adjusted.
    expect(card('CARD-1')).toMatchObject({
      charged: '110.0000',
      refunded: '100.0000',
      adjusted: '2.0000',
      balance: '12.0000',
      entries: 5,
      label: 'Анна Петрова',
    });
    expect(card('CARD-2')).toMatchObject({ charged: '40.5000', adjusted: '-5.5000', balance: '35.0000' });
    const byHolder = (await analyst.get('/api/ledger/balances?by=holder')).body.items;
    expect(byHolder.map((b: Json) => [b.label, b.balance])).toEqual([
      ['王伟', '35.0000'],
      ['Анна Петрова', '12.0000'],
    ]);
    const byCompany = (await analyst.get('/api/ledger/balances?by=company')).body.items;
    expect(byCompany.map((b: Json) => [b.key, b.balance])).toEqual([
      ['', '35.0000'],
      ['北京公司', '12.0000'],
    ]);
    const other = (await otherAdmin.get('/api/ledger/balances?by=token')).body.items;
    expect(other.map((b: Json) => [b.key, b.balance])).toEqual([['CARD-1', '77.0000']]);
  });

  it('exports CSV as UTF-8 with a BOM, Cyrillic and Chinese names intact', async () => {
    const res = await analyst.get('/api/ledger.csv?kind=session_charge&from=2026-11-01T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="ledger-2026-11-01-');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(res.text);
    expect(rows[0]!.cells.slice(0, 8)).toEqual([
      'order_number',
      'kind',
      'occurred_at',
      'amount',
      'currency',
      'id_token',
      'holder',
      'group',
    ]);
    expect(rows.slice(1).map((r) => [r.cells[3], r.cells[6], r.cells[8]])).toEqual([
      ['10.0000', 'Анна Петрова', '北京公司'],
      ['100.0000', 'Анна Петрова', '北京公司'],
      ['40.5000', '王伟', ''],
    ]);
  });

  it('imports missing orders once, reporting each bad row with its reason; a dry run writes nothing', async () => {
    const csv = [
      'external_ref,occurred_at,amount,currency,id_token,site_code,note',
      'EXT-1,2026-12-05T08:00:00Z,12.30,EUR,CARD-2,lg-2,"paper order, late"',
      'EXT-2,2026-12-05T09:00:00+03:00,7,EUR,,,',
      'EXT-3,yesterday,7,EUR,,,',
      'EXT-4,2026-12-05T09:00:00Z,-1,EUR,,,',
      'EXT-5,2026-12-05T09:00:00Z,1.5,eur,,,',
      'EXT-1,2026-12-05T09:00:00Z,1,EUR,,,',
      ',2026-12-05T09:00:00Z,1,EUR,,,',
      'EXT-6,2026-12-05T09:00:00Z,1,EUR,,nowhere,',
      'EXT-7,2026-12-05T09:00:00Z,1,EUR,,el-1,',
    ].join('\r\n');
    const expectedRejections = [
      [4, 'invalid_value', 'occurred_at'],
      [5, 'invalid_value', 'amount'],
      [6, 'invalid_value', 'currency'],
      [7, 'duplicate_in_file', 'external_ref'],
      [8, 'missing_column', 'external_ref'],
      [9, 'unknown_site', 'site_code'],
      [10, 'unknown_site', 'site_code'],
    ];
    const dry = await admin.post('/api/ledger/import', { csv: `\uFEFF${csv}`, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.accepted.map((a: Json) => [a.line, a.externalRef, a.orderNumber])).toEqual([
      [2, 'EXT-1', null],
      [3, 'EXT-2', null],
    ]);
    expect(dry.body.rejected.map((r: Json) => [r.line, r.code, r.field])).toEqual(expectedRejections);
    expect(
      (await m.db.query('SELECT 1 FROM ledger_entries WHERE external_ref IS NOT NULL')).rows,
    ).toHaveLength(0);

    const real = await admin.post('/api/ledger/import', { csv, dryRun: false });
    expect(real.body.accepted.map((a: Json) => a.externalRef)).toEqual(['EXT-1', 'EXT-2']);
    expect(real.body.accepted[0].orderNumber).toMatch(/^VM-\d{8}$/);
    const again = await admin.post('/api/ledger/import', { csv });
    expect(again.body.accepted).toEqual([]);
    expect(
      again.body.rejected.filter((r: Json) => r.code === 'already_imported').map((r: Json) => r.line),
    ).toEqual([2, 3]);
    const imported = (await admin.get('/api/ledger?q=EXT-')).body.items;
    expect(imported.map((e: Json) => [e.externalRef, e.amount, e.holderName, e.reason])).toEqual([
      ['EXT-1', '12.3000', '王伟', 'paper order, late'],
      ['EXT-2', '7.0000', null, 'imported order'],
    ]);
    const unreadable = await admin.post('/api/ledger/import', { csv: 'amount,currency\n1,EUR' });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.code).toBe('ledger.import_unreadable');
    expect((await siteAnalyst.post('/api/ledger/import', { csv })).status).toBe(403);
    const audit = await m.db.query(
      "SELECT detail FROM audit_log WHERE action = 'ledger.orders_imported' ORDER BY id",
    );
    expect(audit.rows.map((r: Json) => r.detail.accepted)).toEqual([2, 0]);
  });

  it("shows a site-scoped analyst only their site's entries, and another tenant nothing of this one", async () => {
    const mine = (await siteAnalyst.get('/api/ledger?from=2026-11-01T00:00:00Z')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e: Json) => e.siteId === sites['LG-2'])).toBe(true);
    const balances = (await siteAnalyst.get('/api/ledger/balances?by=holder')).body.items;
    expect(balances.map((b: Json) => b.label)).toEqual(['王伟']);
    const csv = await siteAnalyst.get('/api/ledger.csv?from=2026-11-01T00:00:00Z');
    expect(csv.text).not.toContain('Анна');
    const other = (await otherAdmin.get('/api/ledger?from=2026-11-01T00:00:00Z')).body;
    expect(other.items.map((e: Json) => e.amount)).toEqual(['77.0000']);
    expect(JSON.stringify(other)).not.toContain('王伟');
  });
});
