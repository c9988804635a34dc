/**
 * Writing to the transaction ledger (docs/ledger-and-reports.md). Billing calls `recordSessionCharge`
 * inside its own transaction when a session ends; the API records adjustments, refunds and imported
 * orders through the ledger store. Who the token belonged to is resolved here, at write time.
 */
import type pg from 'pg';
import { parseAmount } from './money.js';

export interface SessionCharge {
  tenantId: string;
  sessionId: string;
  /** Decimal string with at most 4 fraction digits, e.g. "12.3400"; never negative. */
  amount: string;
  /** ISO 4217, e.g. "EUR". */
  currency: string;
  idToken: string | null;
  occurredAt: Date;
}

export class LedgerError extends Error {
  constructor(
    readonly code: 'ledger.invalid_amount' | 'ledger.invalid_currency',
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

export const CURRENCY = /^[A-Z]{3}$/;

/**
 * SQL resolving holder, group and company of token `$idToken` as seen from site `$site` (a site's own
 * token wins over the tenant-wide one, as at the edge). Yields at most one row.
 */
export const TOKEN_OWNER_SQL = (tenant: string, site: string, idToken: string) => `
  SELECT t.holder_id, h.name AS holder_name, t.token_group_id AS group_id, g.name AS group_name,
         g.kind AS group_kind, h.company
    FROM id_tokens t
    LEFT JOIN token_holders h ON h.id = t.holder_id
    LEFT JOIN token_groups g ON g.id = t.token_group_id
   WHERE t.tenant_id = ${tenant} AND t.id_token = ${idToken}
     AND (t.site_id IS NULL OR t.site_id = ${site}::uuid)
   ORDER BY t.site_id IS NULL, t.created_at
   LIMIT 1`;

/**
 * Appends the session's charge; a second call for the same session changes nothing (the unique
 * index on session charges decides, so concurrent calls are safe too).
 */
export async function recordSessionCharge(client: pg.PoolClient, charge: SessionCharge): Promise<void> {
  const amount = parseAmount(charge.amount);
  if (amount === null || amount.isNegative()) {
    throw new LedgerError('ledger.invalid_amount', `not a non-negative decimal amount: ${charge.amount}`);
  }
  if (!CURRENCY.test(charge.currency)) {
    throw new LedgerError('ledger.invalid_currency', `not an ISO 4217 currency code: ${charge.currency}`);
  }
  await client.query(
    `WITH s AS (
       SELECT st.id AS station_id, st.site_id
         FROM sessions x JOIN stations st ON st.id = x.station_id
        WHERE x.id = $2 AND x.tenant_id = $1
     ), o AS (
       ${TOKEN_OWNER_SQL('$1', '(SELECT site_id FROM s)', '$5')}
     )
     INSERT INTO ledger_entries (tenant_id, kind, amount, currency, session_id, station_id, site_id, id_token,
                                 holder_id, holder_name, group_id, group_name, group_kind, company, occurred_at)
     SELECT $1, 'session_charge', $3::numeric, $4, $2, s.station_id, s.site_id, $5,
            o.holder_id, o.holder_name, o.group_id, o.group_name, o.group_kind, o.company, $6
       FROM (SELECT 1) one LEFT JOIN s ON true LEFT JOIN o ON true
     ON CONFLICT (session_id) WHERE kind = 'session_charge' DO NOTHING`,
    [
      charge.tenantId,
      charge.sessionId,
      amount.toFixed(4),
      charge.currency,
      charge.idToken,
      charge.occurredAt,
    ],
  );
}
