import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope, type StationEvent } from '@voltmesh/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { openEdgeDatabase, type EdgeDatabase } from './database.js';
import { Outbox, type OutboxAppend } from './outbox.js';

const dirs: string[] = [];
function open(budgetBytes = 1 << 30): { db: EdgeDatabase; outbox: Outbox; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vm-outbox-'));
  dirs.push(dir);
  const db = openEdgeDatabase(dir);
  return { db, dir, outbox: new Outbox(db, { siteId: 's1', budgetBytes }) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const heartbeat = (stationId: string | null): OutboxAppend => ({
  stationId,
  occurredAt: '2026-11-22T10:00:00.000Z',
  source: { kind: 'ocpp', ocppVersion: 'ocpp1.6', action: 'Heartbeat', messageId: 'm' },
  event: { type: 'station.heartbeat' },
});
const meter = (context: 'sample.periodic' | 'transaction.end'): OutboxAppend => ({
  ...heartbeat('CP'),
  event: {
    type: 'meter.samples',
    evseId: 1,
    connectorId: 1,
    transactionId: '7',
    samples: [
      {
        at: '2026-11-22T10:00:00.000Z',
        measurand: 'Energy.Active.Import.Register',
        value: 1,
        unit: 'Wh',
        phase: null,
        location: null,
        context,
        rawUnit: 'Wh',
      },
    ],
  } satisfies StationEvent,
});

describe('outbox', () => {
  it('group-commits appends from one tick and numbers them per station', async () => {
    const { outbox, db } = open();
    const commits: number[] = [];
    outbox.onCommit(() => commits.push(outbox.stats().depth));
    await Promise.all([
      outbox.append([heartbeat('A'), heartbeat('B')]),
      outbox.append([heartbeat('A')]),
      outbox.append([heartbeat(null)]),
    ]);
    expect(commits).toEqual([4]);
    const rows = outbox.peek(10).map((r) => decodeEnvelope(Buffer.from(r.body)));
    expect(rows.map((e) => [e.stationId, e.seq])).toEqual([
      ['A', 0],
      ['B', 0],
      ['A', 1],
      [null, 0],
    ]);
    expect(rows.every((e) => e.siteId === 's1' && e.schemaVersion === 1)).toBe(true);
    db.close();
  });

  it('keeps sequence numbers across a reopen and deletes only acknowledged rows', async () => {
    const { outbox, db, dir } = open();
    await outbox.append([heartbeat('A'), heartbeat('A')]);
    const [first] = outbox.peek(1);
    outbox.ack([first!]);
    outbox.close();
    db.close();
    const db2 = openEdgeDatabase(dir);
    const again = new Outbox(db2, { siteId: 's1', budgetBytes: 1 << 30 });
    expect(again.stats().depth).toBe(1);
    await again.append([heartbeat('A')]);
    expect(again.peek(10).map((r) => decodeEnvelope(Buffer.from(r.body)).seq)).toEqual([1, 2]);
    db2.close();
  });

  it('rolls back one failed work item without touching the others in the same commit', async () => {
    const { outbox, db } = open();
    db.exec('CREATE TABLE probe (v INTEGER)');
    const ok = outbox.transact(() => {
      db.prepare('INSERT INTO probe VALUES (1)').run();
      return { value: 'ok', entries: [heartbeat('A')] };
    });
    const bad = outbox.transact(() => {
      db.prepare('INSERT INTO probe VALUES (2)').run();
      throw new Error('handler bug');
    });
    const invalid = outbox.append([
      { ...heartbeat('A'), event: { type: 'station.heartbeat', extra: 1 } as never },
    ]);
    await expect(ok).resolves.toBe('ok');
    await expect(bad).rejects.toThrow('handler bug');
    await expect(invalid).resolves.toBeUndefined();
    expect(db.prepare('SELECT v FROM probe').all()).toEqual([{ v: 1 }]);
    await expect(
      outbox.append([{ ...heartbeat('A'), event: { type: 'session.started' } as never }]),
    ).rejects.toMatchObject({ code: 'VM_EDGE_OUTBOX' });
    db.close();
  });

  it('over budget thins periodic meter samples first and never drops other events', async () => {
    const { outbox, db } = open(40_000);
    const entries: OutboxAppend[] = [];
    for (let i = 0; i < 200; i++) entries.push(meter('sample.periodic'), heartbeat('CP'));
    entries.push(meter('transaction.end'));
    await outbox.append(entries);
    const stats = outbox.stats();
    expect(stats.thinnedTotal).toBeGreaterThan(0);
    const kept = outbox.peek(1000).map((r) => decodeEnvelope(Buffer.from(r.body)).event);
    expect(kept.filter((e) => e.type === 'station.heartbeat')).toHaveLength(200);
    expect(
      kept.filter((e) => e.type === 'meter.samples' && e.samples[0]!.context === 'transaction.end'),
    ).toHaveLength(1);
    expect(stats.depth).toBe(kept.length);
    db.close();
  });
});
