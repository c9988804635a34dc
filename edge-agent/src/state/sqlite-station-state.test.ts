import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../outbox/database.js';
import { SiteConfigStore } from '../site-config/site-config-store.js';
import { StationStateStore } from './sqlite-station-state.js';

const dir = mkdtempSync(join(tmpdir(), 'vm-state-'));
const db = openEdgeDatabase(dir);
const siteConfig = new SiteConfigStore(db);
let now = new Date('2026-11-22T10:00:00Z');
const store = new StationStateStore(db, siteConfig, { now: () => now });
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = { id: 'RFID-1', type: 'ISO14443' };
const start = (startedAt: string, evseId = 1) => ({ evseId, idToken: token, startedAt, meterStartWh: 0 });

describe('StationState on SQLite', () => {
  it('allocates random, site-unique transaction ids and replays the same start to the same id', () => {
    const a = store.forStation('A');
    const b = store.forStation('B');
    const ids = new Set<number>();
    for (let i = 0; i < 200; i++) {
      ids.add(
        a.startTransaction(start(`2026-11-22T10:00:${String(i % 60).padStart(2, '0')}.${i}Z`)).transactionId,
      );
      ids.add(b.startTransaction(start(`2026-11-22T10:00:00.${i}Z`)).transactionId);
    }
    expect(ids.size).toBe(400);
    expect([...ids].every((id) => id > 0 && id < 2 ** 31)).toBe(true);
    const sorted = [...ids].slice(0, 10);
    expect(sorted.some((id, i) => i > 0 && id !== sorted[i - 1]! + 1)).toBe(true);

    const first = a.startTransaction(start('2026-11-22T11:00:00Z'));
    expect(first.replay).toBe(false);
    expect(a.startTransaction(start('2026-11-22T11:00:00Z'))).toEqual({ ...first, replay: true });
  });

  it('finds and stops a transaction once, and only at its own station', () => {
    const a = store.forStation('A');
    const { transactionId } = a.startTransaction(start('2026-11-22T12:00:00Z', 2));
    const id = String(transactionId);
    expect(a.findTransaction(id)).toMatchObject({
      transactionId: id,
      evseId: 2,
      connectorId: 1,
      idToken: token,
    });
    expect(store.forStation('B').findTransaction(id)).toBeNull();
    expect(store.forStation('B').stopTransaction(id)).toBe(false);
    expect(a.stopTransaction(id)).toBe(true);
    expect(a.stopTransaction(id)).toBe(false);
    expect(a.findTransaction('not-a-number')).toBeNull();
  });

  it('deduplicates 2.0.1 transaction events on (station, transactionId, seqNo)', () => {
    const a = store.forStation('A');
    expect(a.markTransactionEvent('tx-1', 0)).toBe(true);
    expect(a.markTransactionEvent('tx-1', 0)).toBe(false);
    expect(a.markTransactionEvent('tx-1', 1)).toBe(true);
    expect(store.forStation('B').markTransactionEvent('tx-1', 0)).toBe(true);
  });

  it('authorises from the local list, honours expiry, and falls back to the site policy', () => {
    const a = store.forStation('A');
    siteConfig.putToken({
      idToken: 'RFID-1',
      type: 'ISO14443',
      status: 'accepted',
      expiresAt: '2026-11-23T00:00:00Z',
      groupId: 'G',
    });
    expect(a.authorize(token)).toMatchObject({ status: 'accepted', groupId: 'G', decidedBy: 'local_list' });
    now = new Date('2026-11-24T00:00:00Z');
    expect(a.authorize(token).status).toBe('expired');
    expect(a.authorize({ id: 'STRANGER', type: 'ISO14443' })).toMatchObject({
      status: 'invalid',
      decidedBy: 'policy',
    });
    siteConfig.putPolicy({ unknownTokenWhileOffline: 'accept', heartbeatIntervalS: 60 });
    expect(a.authorize({ id: 'STRANGER', type: 'ISO14443' })).toMatchObject({
      status: 'accepted',
      decidedBy: 'policy',
    });
  });
});
