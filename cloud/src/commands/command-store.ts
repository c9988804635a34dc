/** Storage of remote commands: the target lookup (scoped to the caller), the record and the history. */
import type { Command, CommandResult } from '@voltmesh/contract';
import type { Db } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';

export interface CommandTarget {
  stationId: string;
  stationIdentity: string;
  siteCode: string;
  online: boolean;
}

export interface CommandRecord {
  id: string;
  tenantId: string;
  stationId: string;
  userId: string;
  userEmail: string;
  command: Command;
  result: CommandResult;
  ip: string | null;
  requestedAt: Date;
  durationMs: number;
}

export interface CommandHistoryItem {
  id: string;
  type: string;
  command: Command;
  outcome: CommandResult['outcome'];
  detail: string | null;
  userEmail: string;
  requestedAt: string;
  durationMs: number;
}

export interface ActiveTransaction {
  sessionId: string;
  transactionId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  startedAt: string | null;
}

export interface CommandStore {
  target(scope: Scope, stationId: string): Promise<CommandTarget | null>;
  save(record: CommandRecord): Promise<void>;
  history(
    stationId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: CommandHistoryItem[]; total: number }>;
  activeTransactions(stationId: string): Promise<ActiveTransaction[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createCommandStore(db: Db): CommandStore {
  return {
    async target(scope, stationId) {
      if (!UUID.test(stationId)) return null;
      const { rows } = await db.query<CommandTarget>(
        `SELECT st.id AS "stationId", st.identity AS "stationIdentity", si.code AS "siteCode", st.online
           FROM stations st JOIN sites si ON si.id = st.site_id
          WHERE st.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)
            AND st.id = $4`,
        [scope.tenantId, scope.siteId, scope.cityId, stationId],
      );
      return rows[0] ?? null;
    },

    async save(r) {
      await db.query(
        `INSERT INTO commands (id, tenant_id, station_id, user_id, user_email, type, command, outcome, detail,
                               settings, data, ip, requested_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          r.id,
          r.tenantId,
          r.stationId,
          r.userId,
          r.userEmail,
          r.command.type,
          JSON.stringify(r.command),
          r.result.outcome,
          r.result.detail,
          r.result.settings === null ? null : JSON.stringify(r.result.settings),
          r.result.data,
          r.ip,
          r.requestedAt,
          r.durationMs,
        ],
      );
    },

    async history(stationId, page) {
      const [{ rows }, count] = await Promise.all([
        db.query<Omit<CommandHistoryItem, 'requestedAt'> & { requestedAt: Date }>(
          `SELECT id, type, command, outcome, detail, user_email AS "userEmail", requested_at AS "requestedAt",
                  duration_ms AS "durationMs"
             FROM commands WHERE station_id = $1
            ORDER BY requested_at DESC, id LIMIT $2 OFFSET $3`,
          [stationId, page.limit, page.offset],
        ),
        db.query<{ n: number }>('SELECT count(*)::int AS n FROM commands WHERE station_id = $1', [stationId]),
      ]);
      return {
        items: rows.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString() })),
        total: count.rows[0]?.n ?? 0,
      };
    },

    async activeTransactions(stationId) {
      const { rows } = await db.query<Omit<ActiveTransaction, 'startedAt'> & { startedAt: Date | null }>(
        `SELECT id AS "sessionId", transaction_id AS "transactionId", evse_id AS "evseId",
                connector_id AS "connectorId", id_token AS "idToken", started_at AS "startedAt"
           FROM sessions WHERE station_id = $1 AND status = 'active'
          ORDER BY started_at DESC NULLS LAST`,
        [stationId],
      );
      return rows.map((r) => ({ ...r, startedAt: r.startedAt?.toISOString() ?? null }));
    },
  };
}
