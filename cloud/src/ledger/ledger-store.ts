/**
 * Reading and appending ledger entries for the API: the orders list, balances, adjustments and
 * refunds. Every read is limited to the caller's tenant and scope: a site- or city-scoped grant sees
 * entries of its sites only (entries without a site — tenant-level adjustments, imported orders
 * without a site — only tenant-wide grants see).
 */
import type { z } from '@hono/zod-openapi';
import Cursor from 'pg-cursor';
import { withTransaction, type Db, type Tx } from '../db/pool.js';
import type { Scope } from '../stations/queries.js';
import { TOKEN_OWNER_SQL } from './ledger.js';
import { Decimal, formatAmount } from './money.js';
import type {
  AdjustmentBody,
  Balance,
  BalanceGroup,
  BalanceQuery,
  LedgerCsvQuery,
  LedgerEntry,
  LedgerQuery,
  RefundBody,
} from './schemas.js';

export type Entry = z.infer<typeof LedgerEntry>;
type BalanceRow = z.infer<typeof Balance>;
export interface Actor {
  userId: string;
  email: string;
}
export interface Period {
  from: Date;
  to: Date;
}

export class LedgerStoreError extends Error {
  constructor(
    readonly code: 'ledger.charge_not_found' | 'ledger.refund_exceeds_charge' | 'session.not_found',
    message: string,
    readonly refundable?: string,
  ) {
    super(message);
    this.name = 'LedgerStoreError';
  }
}

export interface LedgerStore {
  list(scope: Scope, q: z.output<typeof LedgerQuery>, period: Period): Promise<LedgerPage>;
  /** Rows for the CSV export, read through a cursor `batch` at a time (constant memory). */
  stream(
    scope: Scope,
    q: z.output<typeof LedgerCsvQuery>,
    period: Period,
    batch?: number,
  ): AsyncIterable<Entry[]>;
  balances(
    scope: Scope,
    q: z.output<typeof BalanceQuery>,
    asOf: Date | null,
  ): Promise<{ items: BalanceRow[]; total: number }>;
  adjust(scope: Scope, actor: Actor, body: z.output<typeof AdjustmentBody>, now: Date): Promise<Entry>;
  refund(scope: Scope, actor: Actor, body: z.output<typeof RefundBody>, now: Date): Promise<Entry>;
}
export interface LedgerPage {
  items: Entry[];
  total: number;
  sums: { currency: string; amount: string }[];
}

/** `$1` tenant, `$2` scope site, `$3` scope city. */
export const LEDGER_SCOPED = (alias: string) => `${alias}.tenant_id = $1
  AND ($2::uuid IS NULL OR ${alias}.site_id = $2)
  AND ($3::uuid IS NULL OR ${alias}.site_id IN (SELECT id FROM sites WHERE city_id = $3 AND tenant_id = $1))`;

export const ENTRY_SELECT = `SELECT e.id, e.order_number AS "orderNumber", e.kind, e.amount::text AS amount, e.currency,
       e.occurred_at AS "occurredAt", e.recorded_at AS "recordedAt", e.session_id AS "sessionId",
       e.station_id AS "stationId", st.name AS "stationName", e.site_id AS "siteId", si.name AS "siteName",
       e.id_token AS "idToken", e.holder_id AS "holderId", e.holder_name AS "holderName",
       e.group_id AS "groupId", e.group_name AS "groupName", e.group_kind AS "groupKind", e.company,
       r.order_number AS "refundOf", e.reason, e.actor_email AS "actorEmail", e.external_ref AS "externalRef"
  FROM ledger_entries e
  LEFT JOIN stations st ON st.id = e.station_id
  LEFT JOIN sites si ON si.id = e.site_id
  LEFT JOIN ledger_entries r ON r.id = e.refund_of`;

const SORTS: Record<z.output<typeof LedgerQuery>['sort'], string> = {
  occurredAt: 'e.occurred_at ASC, e.order_number ASC',
  '-occurredAt': 'e.occurred_at DESC, e.order_number DESC',
  amount: 'e.amount ASC, e.order_number ASC',
  '-amount': 'e.amount DESC, e.order_number DESC',
  orderNumber: 'e.order_number ASC',
  '-orderNumber': 'e.order_number DESC',
};

type RawEntry = Omit<Entry, 'occurredAt' | 'recordedAt' | 'amount'> & {
  occurredAt: Date;
  recordedAt: Date;
  amount: string;
};
const toEntry = (r: RawEntry): Entry => ({
  ...r,
  amount: formatAmount(new Decimal(r.amount)),
  occurredAt: r.occurredAt.toISOString(),
  recordedAt: r.recordedAt.toISOString(),
});
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type Filters = Omit<z.output<typeof LedgerCsvQuery>, 'sort'>;
/** WHERE text and parameters of the list filters; `$1..$3` are the scope. */
function where(scope: Scope, q: Filters, period: Period): { sql: string; params: unknown[] } {
  const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId, period.from, period.to];
  const clauses = [LEDGER_SCOPED('e'), 'e.occurred_at >= $4', 'e.occurred_at < $5'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (q.kind) add((p) => `e.kind = ${p}`, q.kind);
  if (q.idToken) add((p) => `e.id_token = ${p}`, q.idToken);
  if (q.holderId) add((p) => `e.holder_id = ${p}::uuid`, q.holderId);
  if (q.groupId) add((p) => `e.group_id = ${p}::uuid`, q.groupId);
  if (q.siteId) add((p) => `e.site_id = ${p}::uuid`, q.siteId);
  if (q.q?.trim()) {
    add(
      (p) =>
        `concat_ws(' ', e.order_number, e.external_ref, e.id_token, e.holder_name, e.company, e.group_name, e.reason) ILIKE ${p}`,
      `%${escapeLike(q.q.trim())}%`,
    );
  }
  return { sql: clauses.join(' AND '), params };
}

const BALANCE_KEYS: Record<BalanceGroup, { key: string; label: string }> = {
  token: { key: "coalesce(e.id_token, '')", label: 'max(e.holder_name)' },
  holder: { key: "coalesce(e.holder_id::text, '')", label: 'max(e.holder_name)' },
  group: { key: "coalesce(e.group_id::text, '')", label: 'max(e.group_name)' },
  // A holder's company, else the name of a corporate group: the company the token bills to.
  company: {
    key: "coalesce(e.company, CASE WHEN e.group_kind = 'corporate' THEN e.group_name END, '')",
    label: "nullif(coalesce(e.company, CASE WHEN e.group_kind = 'corporate' THEN e.group_name END, ''), '')",
  },
};

export function createLedgerStore(db: Db): LedgerStore {
  const byId = async (tx: Tx | Db, id: string): Promise<Entry> => {
    const { rows } = await tx.query<RawEntry>(`${ENTRY_SELECT} WHERE e.id = $1`, [id]);
    return toEntry(rows[0]!);
  };

  return {
    async list(scope, q, period) {
      const w = where(scope, q, period);
      const [{ rows }, count, sums] = await Promise.all([
        db.query<RawEntry>(
          `${ENTRY_SELECT} WHERE ${w.sql} ORDER BY ${SORTS[q.sort]}
            LIMIT $${w.params.length + 1} OFFSET $${w.params.length + 2}`,
          [...w.params, q.limit, q.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries e WHERE ${w.sql}`, w.params),
        db.query<{ currency: string; amount: string }>(
          `SELECT e.currency, sum(e.amount)::text AS amount FROM ledger_entries e WHERE ${w.sql}
            GROUP BY e.currency ORDER BY e.currency`,
          w.params,
        ),
      ]);
      return {
        items: rows.map(toEntry),
        total: count.rows[0]?.n ?? 0,
        sums: sums.rows.map((s) => ({ currency: s.currency, amount: formatAmount(new Decimal(s.amount)) })),
      };
    },

    async *stream(scope, q, period, batch = 500) {
      const w = where(scope, q, period);
      const client = await db.connect();
      const cursor = client.query(
        new Cursor<RawEntry>(`${ENTRY_SELECT} WHERE ${w.sql} ORDER BY ${SORTS[q.sort]}`, w.params),
      );
      try {
        for (;;) {
          const rows = await cursor.read(batch);
          if (rows.length === 0) return;
          yield rows.map(toEntry);
        }
      } finally {
        await cursor.close().catch(() => {});
        client.release();
      }
    },

    async balances(scope, q, asOf) {
      const g = BALANCE_KEYS[q.by];
      const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId, asOf];
      let search = '';
      if (q.q?.trim()) {
        params.push(`%${escapeLike(q.q.trim())}%`);
        search = `AND concat_ws(' ', e.id_token, e.holder_name, e.company, e.group_name) ILIKE $${params.length}`;
      }
      const grouped = `SELECT ${g.key} AS key, ${g.label} AS label, e.currency,
              sum(e.amount) FILTER (WHERE e.kind = 'session_charge') AS charged,
              -sum(e.amount) FILTER (WHERE e.kind = 'refund') AS refunded,
              sum(e.amount) FILTER (WHERE e.kind = 'adjustment') AS adjusted,
              sum(e.amount) AS balance, count(*)::int AS entries
         FROM ledger_entries e
        WHERE ${LEDGER_SCOPED('e')} AND ($4::timestamptz IS NULL OR e.occurred_at < $4) ${search}
        GROUP BY 1, e.currency`;
      const [{ rows }, count] = await Promise.all([
        db.query<{
          key: string;
          label: string | null;
          currency: string;
          charged: string | null;
          refunded: string | null;
          adjusted: string | null;
          balance: string;
          entries: number;
        }>(
          `SELECT key, label, currency, charged::text, refunded::text, adjusted::text, balance::text, entries
             FROM (${grouped}) b ORDER BY b.balance DESC, b.key, b.currency
            LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, q.limit, q.offset],
        ),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${grouped}) b`, params),
      ]);
      const money = (v: string | null) => formatAmount(new Decimal(v ?? 0));
      return {
        items: rows.map((r) => ({
          key: r.key,
          label: r.key === '' ? null : (r.label ?? (q.by === 'token' || q.by === 'company' ? r.key : null)),
          currency: r.currency,
          charged: money(r.charged),
          refunded: money(r.refunded),
          adjusted: money(r.adjusted),
          balance: money(r.balance),
          entries: r.entries,
        })),
        total: count.rows[0]?.n ?? 0,
      };
    },

    async adjust(scope, actor, body, now) {
      return withTransaction(db, async (tx) => {
        let site: string | null = null;
        let station: string | null = null;
        let idToken = body.idToken;
        if (body.sessionId) {
          const { rows } = await tx.query<{ site_id: string; station_id: string; id_token: string | null }>(
            `SELECT st.site_id, st.id AS station_id, s.id_token
               FROM sessions s JOIN stations st ON st.id = s.station_id
              WHERE s.id = $4 AND ${LEDGER_SCOPED('st')}`,
            [scope.tenantId, scope.siteId, scope.cityId, body.sessionId],
          );
          if (!rows[0])
            throw new LedgerStoreError('session.not_found', 'no session with this id in your scope');
          ({ site_id: site, station_id: station } = rows[0]);
          idToken ??= rows[0].id_token;
        }
        const { rows } = await tx.query<{ id: string }>(
          `WITH o AS (${TOKEN_OWNER_SQL('$1', '$3', '$4')})
           INSERT INTO ledger_entries (tenant_id, kind, amount, currency, session_id, station_id, site_id, id_token,
                                       holder_id, holder_name, group_id, group_name, group_kind, company,
                                       actor_user_id, actor_email, reason, occurred_at)
           SELECT $1, 'adjustment', $5::numeric, $6, $2, $9, $3, $4,
                  o.holder_id, o.holder_name, o.group_id, o.group_name, o.group_kind, o.company, $7, $8, $10, $11
             FROM (SELECT 1) one LEFT JOIN o ON true
           RETURNING id`,
          [
            scope.tenantId,
            body.sessionId,
            site,
            idToken,
            new Decimal(body.amount).toFixed(4),
            body.currency,
            actor.userId,
            actor.email,
            station,
            body.reason,
            body.occurredAt ? new Date(body.occurredAt) : now,
          ],
        );
        return byId(tx, rows[0]!.id);
      });
    },

    async refund(scope, actor, body, now) {
      return withTransaction(db, async (tx) => {
        // The charge row lock serialises refunds of one charge, so two at once cannot exceed it.
        const { rows } = await tx.query<{ id: string; amount: string; currency: string }>(
          `SELECT e.id, e.amount::text AS amount, e.currency FROM ledger_entries e
            WHERE ${LEDGER_SCOPED('e')} AND e.kind = 'session_charge'
              AND (e.session_id = $4::uuid OR e.order_number = $5)
            ORDER BY e.occurred_at LIMIT 1
              FOR UPDATE`,
          [scope.tenantId, scope.siteId, scope.cityId, body.sessionId ?? null, body.orderNumber ?? null],
        );
        const charge = rows[0];
        if (!charge) {
          throw new LedgerStoreError(
            'ledger.charge_not_found',
            'no charge for this session or order in your scope',
          );
        }
        const { rows: done } = await tx.query<{ refunded: string }>(
          `SELECT coalesce(-sum(amount), 0)::text AS refunded FROM ledger_entries WHERE refund_of = $1`,
          [charge.id],
        );
        const refundable = new Decimal(charge.amount).minus(done[0]!.refunded);
        const amount = new Decimal(body.amount);
        if (amount.greaterThan(refundable)) {
          throw new LedgerStoreError(
            'ledger.refund_exceeds_charge',
            `at most ${formatAmount(refundable)} ${charge.currency} of this charge can still be refunded`,
            formatAmount(refundable),
          );
        }
        const { rows: inserted } = await tx.query<{ id: string }>(
          `INSERT INTO ledger_entries (tenant_id, kind, amount, currency, session_id, station_id, site_id, id_token,
                                       holder_id, holder_name, group_id, group_name, group_kind, company, refund_of,
                                       actor_user_id, actor_email, reason, occurred_at)
           SELECT tenant_id, 'refund', $2::numeric, currency, session_id, station_id, site_id, id_token,
                  holder_id, holder_name, group_id, group_name, group_kind, company, id, $3, $4, $5, $6
             FROM ledger_entries WHERE id = $1
           RETURNING id`,
          [charge.id, amount.negated().toFixed(4), actor.userId, actor.email, body.reason, now],
        );
        return byId(tx, inserted[0]!.id);
      });
    },
  };
}
