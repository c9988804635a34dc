/**
 * Importing orders missing from the ledger (e.g. taken by another system while the link was down)
 * from CSV. Every row is checked on its own and the report names each rejected row with its line,
 * a stable code and a message; the external order number makes the import idempotent (a second
 * import of the same file accepts nothing). A dry run checks everything, duplicates included, and
 * writes nothing. Columns and rules: docs/ledger-and-reports.md.
 */
import type { z } from '@hono/zod-openapi';
import { withTransaction, type Db } from '../db/pool.js';
import { CsvParseError, parseCsv } from '../api/csv.js';
import { CURRENCY, TOKEN_OWNER_SQL } from './ledger.js';
import type { Actor } from './ledger-store.js';
import { formatAmount, parseAmount } from './money.js';
import type { ImportReport } from './schemas.js';

type Report = z.infer<typeof ImportReport>;
type Rejected = Report['rejected'][number];

export const IMPORT_COLUMNS = [
  'external_ref',
  'occurred_at',
  'amount',
  'currency',
  'id_token',
  'site_code',
  'note',
] as const;
const REQUIRED = ['external_ref', 'occurred_at', 'amount', 'currency'] as const;
export const MAX_IMPORT_ROWS = 10_000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class ImportError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

interface Order {
  line: number;
  externalRef: string;
  occurredAt: Date;
  amount: string;
  currency: string;
  idToken: string | null;
  siteCode: string | null;
  note: string | null;
}

/** The file's header and rows → orders that passed the checks of their own row, and rejections. */
function readOrders(csv: string): { orders: Order[]; rejected: Rejected[]; rows: number } {
  let records;
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvParseError) throw new ImportError('csv', error.message);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportError('csv', 'the file is empty');
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length > 0)
    throw new ImportError('csv', `the header lacks the column(s) ${missing.join(', ')}`);
  if (rows.length > MAX_IMPORT_ROWS) throw new ImportError('csv', `at most ${MAX_IMPORT_ROWS} rows per file`);
  const col = (cells: string[], name: (typeof IMPORT_COLUMNS)[number]) => {
    const i = names.indexOf(name);
    const v = i < 0 ? '' : (cells[i] ?? '').trim();
    return v === '' ? null : v;
  };

  const orders: Order[] = [];
  const rejected: Rejected[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of rows) {
    const ref = col(cells, 'external_ref');
    const reject = (code: Rejected['code'], field: string | null, message: string) =>
      rejected.push({ line, externalRef: ref, code, field, message });
    const missingField = REQUIRED.find((r) => col(cells, r) === null);
    if (missingField) {
      reject('missing_column', missingField, `${missingField} is empty`);
      continue;
    }
    if (ref!.length > 100) {
      reject('invalid_value', 'external_ref', 'at most 100 characters');
      continue;
    }
    const when = col(cells, 'occurred_at')!;
    if (!ISO_WITH_OFFSET.test(when) || Number.isNaN(Date.parse(when))) {
      reject('invalid_value', 'occurred_at', 'an ISO 8601 time with offset, e.g. 2026-12-01T10:00:00Z');
      continue;
    }
    const amount = parseAmount(col(cells, 'amount')!);
    if (amount === null || amount.isNegative()) {
      reject('invalid_value', 'amount', 'a non-negative decimal with a dot and at most 4 fraction digits');
      continue;
    }
    const currency = col(cells, 'currency')!;
    if (!CURRENCY.test(currency)) {
      reject('invalid_value', 'currency', 'an ISO 4217 code in capitals, e.g. EUR');
      continue;
    }
    const idToken = col(cells, 'id_token');
    if (idToken !== null && idToken.length > 255) {
      reject('invalid_value', 'id_token', 'at most 255 characters');
      continue;
    }
    const note = col(cells, 'note');
    if (note !== null && note.length > 1000) {
      reject('invalid_value', 'note', 'at most 1000 characters');
      continue;
    }
    if (seen.has(ref!)) {
      reject('duplicate_in_file', 'external_ref', 'this external order number appears earlier in the file');
      continue;
    }
    seen.add(ref!);
    orders.push({
      line,
      externalRef: ref!,
      occurredAt: new Date(when),
      amount: formatAmount(amount),
      currency,
      idToken,
      siteCode: col(cells, 'site_code'),
      note,
    });
  }
  return { orders, rejected, rows: rows.length };
}

export async function importOrders(
  db: Db,
  tenantId: string,
  actor: Actor,
  input: { csv: string; dryRun: boolean },
): Promise<Report> {
  const { orders, rejected, rows } = readOrders(input.csv);
  const accepted: Report['accepted'] = [];
  await withTransaction(db, async (tx) => {
    const { rows: sites } = await tx.query<{ id: string; code: string }>(
      'SELECT id, code FROM sites WHERE tenant_id = $1',
      [tenantId],
    );
    const siteIds = new Map(sites.map((s) => [s.code, s.id]));
    const { rows: known } = await tx.query<{ external_ref: string }>(
      'SELECT external_ref FROM ledger_entries WHERE tenant_id = $1 AND external_ref = ANY($2::text[])',
      [tenantId, orders.map((o) => o.externalRef)],
    );
    const imported = new Set(known.map((k) => k.external_ref));
    for (const o of orders) {
      const reject = (code: Rejected['code'], field: string | null, message: string) =>
        rejected.push({ line: o.line, externalRef: o.externalRef, code, field, message });
      const siteId = o.siteCode === null ? null : (siteIds.get(o.siteCode) ?? undefined);
      if (siteId === undefined) {
        reject('unknown_site', 'site_code', `no site with code ${o.siteCode} in this tenant`);
        continue;
      }
      if (imported.has(o.externalRef)) {
        reject(
          'already_imported',
          'external_ref',
          'an order with this external number is already in the ledger',
        );
        continue;
      }
      if (input.dryRun) {
        accepted.push({
          line: o.line,
          externalRef: o.externalRef,
          orderNumber: null,
          amount: o.amount,
          currency: o.currency,
        });
        continue;
      }
      const { rows: ins } = await tx.query<{ order_number: string }>(
        `WITH o AS (${TOKEN_OWNER_SQL('$1', '$2', '$3')})
         INSERT INTO ledger_entries (tenant_id, kind, amount, currency, site_id, id_token, holder_id, holder_name,
                                     group_id, group_name, group_kind, company, actor_user_id, actor_email, reason,
                                     external_ref, occurred_at)
         SELECT $1, 'session_charge', $4::numeric, $5, $2, $3, o.holder_id, o.holder_name, o.group_id, o.group_name,
                o.group_kind, o.company, $6, $7, $8, $9, $10
           FROM (SELECT 1) one LEFT JOIN o ON true
         ON CONFLICT (tenant_id, external_ref) DO NOTHING
         RETURNING order_number`,
        [
          tenantId,
          siteId,
          o.idToken,
          o.amount,
          o.currency,
          actor.userId,
          actor.email,
          o.note ?? 'imported order',
          o.externalRef,
          o.occurredAt,
        ],
      );
      if (!ins[0]) {
        // Imported by someone else between our check and this insert.
        reject(
          'already_imported',
          'external_ref',
          'an order with this external number is already in the ledger',
        );
        continue;
      }
      accepted.push({
        line: o.line,
        externalRef: o.externalRef,
        orderNumber: ins[0].order_number,
        amount: o.amount,
        currency: o.currency,
      });
    }
  });
  rejected.sort((a, b) => a.line - b.line);
  return { dryRun: input.dryRun, rows, accepted, rejected };
}
