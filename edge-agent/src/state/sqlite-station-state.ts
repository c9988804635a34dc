/**
 * `StationState` backed by the edge's SQLite file. Every method is one autocommitted statement (or a
 * short transaction), so it is durable when it returns, which is what the pure handlers rely on.
 *
 * Transaction ids for stations that need the CSMS to allocate them are random 31-bit integers
 * (never sequential, so one station cannot guess another's ids) with a site-wide uniqueness
 * constraint; a replayed start (same station, EVSE, token and start time) gets its first id back.
 */
import { randomInt } from 'node:crypto';
import type { IdToken } from '@voltmesh/contract';
import { StateError } from '../errors.js';
import type { AuthDecision, Clock, StationState, TransactionRef } from '../handler-types.js';
import type { EdgeDatabase } from '../outbox/database.js';
import type { Registration } from '../registration/registration.js';
import type { SiteConfigStore } from '../site-config/site-config-store.js';

const MAX_ALLOCATION_ATTEMPTS = 16;

interface TxRow {
  transaction_id: number;
  evse_id: number;
  id_token: string;
  id_token_type: string;
  meter_start_wh: number;
  stopped: number;
}

export type { Registration };

/** One prepared-statement set per database, shared by every station's view of it. */
export class StationStateStore {
  private readonly stmt;

  constructor(
    db: EdgeDatabase,
    private readonly siteConfig: SiteConfigStore,
    private readonly clock: Clock,
  ) {
    this.stmt = {
      findReplay: db.prepare<[string, number, string, string], TxRow>(
        'SELECT * FROM allocated_transaction WHERE station_id = ? AND evse_id = ? AND id_token = ? AND started_at = ?',
      ),
      insertTx: db.prepare(
        `INSERT INTO allocated_transaction (transaction_id, station_id, evse_id, id_token, id_token_type, started_at, meter_start_wh)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      findTx: db.prepare<[number, string], TxRow>(
        'SELECT * FROM allocated_transaction WHERE transaction_id = ? AND station_id = ?',
      ),
      stopTx: db.prepare(
        'UPDATE allocated_transaction SET stopped = 1 WHERE transaction_id = ? AND station_id = ? AND stopped = 0',
      ),
      markEvent: db.prepare(
        'INSERT INTO seen_transaction_event (station_id, transaction_id, seq_no) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      getRegistration: db.prepare<[string], { status: Registration }>(
        'SELECT status FROM station_registration WHERE station_id = ?',
      ),
      putRegistration: db.prepare(
        'INSERT INTO station_registration (station_id, status) VALUES (?, ?) ON CONFLICT (station_id) DO UPDATE SET status = excluded.status',
      ),
    };
  }

  forStation(stationId: string): StationState {
    return {
      startTransaction: (start) => this.startTransaction(stationId, start),
      findTransaction: (id) => this.findTransaction(stationId, id),
      stopTransaction: (id) => {
        const n = parseTransactionId(id);
        return n !== null && this.stmt.stopTx.run(n, stationId).changes === 1;
      },
      markTransactionEvent: (id, seqNo) => this.stmt.markEvent.run(stationId, id, seqNo).changes === 1,
      authorize: (idToken) => this.authorize(idToken),
    };
  }

  /** The last registration answer given to a station; null if it never booted here. */
  registration(stationId: string): Registration | null {
    return this.stmt.getRegistration.get(stationId)?.status ?? null;
  }

  setRegistration(stationId: string, status: Registration): void {
    this.stmt.putRegistration.run(stationId, status);
  }

  private startTransaction(
    stationId: string,
    start: { evseId: number; idToken: IdToken; startedAt: string; meterStartWh: number },
  ): { transactionId: number; replay: boolean } {
    const key = [stationId, start.evseId, start.idToken.id, start.startedAt] as const;
    const existing = this.stmt.findReplay.get(...key);
    if (existing) return { transactionId: existing.transaction_id, replay: true };
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      const candidate = randomInt(1, 2 ** 31);
      const inserted = this.stmt.insertTx.run(
        candidate,
        stationId,
        start.evseId,
        start.idToken.id,
        start.idToken.type,
        start.startedAt,
        start.meterStartWh,
      );
      if (inserted.changes === 1) return { transactionId: candidate, replay: false };
    }
    throw new StateError(`could not allocate a unique transaction id for ${stationId}`);
  }

  private findTransaction(stationId: string, transactionId: string): TransactionRef | null {
    const n = parseTransactionId(transactionId);
    if (n === null) return null;
    const row = this.stmt.findTx.get(n, stationId);
    if (!row) return null;
    return {
      transactionId: String(row.transaction_id),
      evseId: row.evse_id,
      connectorId: row.evse_id > 0 ? 1 : 0,
      idToken: { id: row.id_token, type: row.id_token_type },
      meterStartWh: row.meter_start_wh,
    };
  }

  private authorize(idToken: IdToken): AuthDecision {
    const entry = this.siteConfig.token(idToken.id);
    if (entry) {
      const expiresAt = entry.expiresAt === null ? null : new Date(entry.expiresAt);
      const expired = expiresAt !== null && expiresAt.getTime() <= this.clock.now().getTime();
      return {
        status: expired ? 'expired' : entry.status,
        expiresAt,
        groupId: entry.groupId,
        decidedBy: 'local_list',
      };
    }
    const policy = this.siteConfig.policy();
    return {
      status: policy.unknownTokenWhileOffline === 'accept' ? 'accepted' : 'invalid',
      expiresAt: null,
      groupId: null,
      decidedBy: 'policy',
    };
  }
}

function parseTransactionId(id: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(id)) return null;
  const n = Number(id);
  return n < 2 ** 31 ? n : null;
}
