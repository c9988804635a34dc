/**
 * /api/ledger/*: the orders list (current month by default), balances per token, holder, group or
 * company, adjustments and refunds (admin or operator, with a reason, audited), the CSV export
 * (streamed, UTF-8 with BOM) and the import of missing orders from CSV. Analysts read.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuditLog } from '../audit/audit-log.js';
import type { Role } from '../auth/roles.js';
import type { Db } from '../db/pool.js';
import type { AppEnv } from '../api/env.js';
import { ApiError } from '../api/problem.js';
import { cookieAuth, json, problem, scopeOf } from '../api/routes/common.js';
import { auditActor, requireRole, requireTenantWide } from '../resources/permissions.js';
import { CSV_CONTENT_TYPE, csvCell, csvLine, csvStream } from '../api/csv.js';
import { resolvePeriod } from '../reports/period.js';
import { ImportError, importOrders } from './import.js';
import { LedgerStoreError, type Entry, type LedgerStore } from './ledger-store.js';
import {
  AdjustmentBody,
  BalanceList,
  BalanceQuery,
  ImportBody,
  ImportReport,
  LedgerCsvQuery,
  LedgerEntry,
  LedgerList,
  LedgerQuery,
  RefundBody,
} from './schemas.js';

export const LEDGER_READ_ROLES: readonly Role[] = ['admin', 'operator', 'analyst'];
export const LEDGER_WRITE_ROLES: readonly Role[] = ['admin', 'operator'];
/** A period longer than this is refused (the list pages, but sums and counts scan the period). */
export const MAX_LEDGER_PERIOD_DAYS = 3_660;

export interface LedgerRouteDeps {
  db: Db;
  ledger: LedgerStore;
  audit: AuditLog;
  now?: () => number;
}

const readErrors = {
  400: problem('request.invalid or report.range_invalid'),
  401: problem('auth.required'),
  403: problem('auth.forbidden'),
};
const writeErrors = { ...readErrors, 403: problem('auth.forbidden or auth.csrf_failed') };
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/ledger',
  tags: ['ledger'],
  summary: 'Ledger entries (orders) of a period, filtered, sorted and paged; the current month by default',
  security: cookieAuth,
  request: { query: LedgerQuery },
  responses: { 200: json(LedgerList, 'A page of entries'), ...readErrors },
});
const csvRoute = createRoute({
  method: 'get',
  path: '/api/ledger.csv',
  tags: ['ledger'],
  summary: 'The entries of the list filters as CSV (UTF-8 with BOM), streamed',
  security: cookieAuth,
  request: { query: LedgerCsvQuery },
  responses: {
    200: { description: 'CSV file', content: { 'text/csv': { schema: z.string() } } },
    ...readErrors,
  },
});
const balancesRoute = createRoute({
  method: 'get',
  path: '/api/ledger/balances',
  tags: ['ledger'],
  summary: 'Balances per token, holder, group or company and currency',
  security: cookieAuth,
  request: { query: BalanceQuery },
  responses: { 200: json(BalanceList, 'A page of balances'), ...readErrors },
});
const adjustRoute = createRoute({
  method: 'post',
  path: '/api/ledger/adjustments',
  tags: ['ledger'],
  summary: 'Record a manual adjustment (signed amount) with its reason',
  security: cookieAuth,
  request: body(AdjustmentBody),
  responses: {
    201: json(LedgerEntry, 'The new entry'),
    ...writeErrors,
    404: problem('session.not_found'),
  },
});
const refundRoute = createRoute({
  method: 'post',
  path: '/api/ledger/refunds',
  tags: ['ledger'],
  summary: 'Refund (part of) a session charge, never more than is left of it',
  security: cookieAuth,
  request: body(RefundBody),
  responses: {
    201: json(LedgerEntry, 'The refund entry'),
    ...writeErrors,
    404: problem('ledger.charge_not_found'),
    409: problem('ledger.refund_exceeds_charge'),
  },
});
const importRoute = createRoute({
  method: 'post',
  path: '/api/ledger/import',
  tags: ['ledger'],
  summary: 'Import missing orders from CSV (dry run possible); a report of accepted and rejected rows',
  security: cookieAuth,
  request: body(ImportBody),
  responses: {
    200: json(ImportReport, 'What was (or, in a dry run, would be) imported and what was rejected'),
    ...writeErrors,
  },
});

/** `from`/`to` of a list request: the current UTC month unless given; bounded and forwards. */
export const ledgerPeriod = (q: { from?: string | undefined; to?: string | undefined }, nowMs: number) =>
  resolvePeriod(q, nowMs, MAX_LEDGER_PERIOD_DAYS);

export const LEDGER_CSV_HEADER = [
  'order_number',
  'kind',
  'occurred_at',
  'amount',
  'currency',
  'id_token',
  'holder',
  'group',
  'company',
  'station',
  'site',
  'session_id',
  'refund_of',
  'reason',
  'recorded_by',
  'external_ref',
];
const csvRow = (e: Entry) =>
  csvLine([
    csvCell(e.orderNumber),
    csvCell(e.kind),
    csvCell(e.occurredAt),
    csvCell(e.amount, 'number'),
    csvCell(e.currency),
    csvCell(e.idToken),
    csvCell(e.holderName),
    csvCell(e.groupName),
    csvCell(e.company),
    csvCell(e.stationName),
    csvCell(e.siteName),
    csvCell(e.sessionId),
    csvCell(e.refundOf),
    csvCell(e.reason),
    csvCell(e.actorEmail),
    csvCell(e.externalRef),
  ]);

const storeError = (error: unknown): never => {
  if (error instanceof LedgerStoreError) {
    const path = error.code === 'ledger.refund_exceeds_charge' ? 'amount' : 'sessionId';
    throw new ApiError(error.code, error.message, {
      errors: [{ path, message: error.message }],
      cause: error,
    });
  }
  throw error;
};

export function ledgerRoutes(deps: LedgerRouteDeps, app: OpenAPIHono<AppEnv>): void {
  const now = deps.now ?? Date.now;
  const reader = (c: Context<AppEnv>) => requireRole(c, LEDGER_READ_ROLES, 'read the ledger');
  const writer = (c: Context<AppEnv>, what: string) => requireRole(c, LEDGER_WRITE_ROLES, what);

  app.openapi(listRoute, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    const period = ledgerPeriod(q, now());
    const page = await deps.ledger.list(scopeOf(identity), q, period);
    return c.json(
      {
        ...page,
        limit: q.limit,
        offset: q.offset,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
      },
      200,
    );
  });

  app.openapi(csvRoute, (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    const period = ledgerPeriod(q, now());
    const name = `ledger-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`;
    const stream = csvStream(LEDGER_CSV_HEADER, deps.ledger.stream(scopeOf(identity), q, period), csvRow);
    return c.body(stream, 200, {
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${name}"`,
    });
  });

  app.openapi(balancesRoute, async (c) => {
    const identity = reader(c);
    const q = c.req.valid('query');
    const asOf = q.to !== undefined ? new Date(q.to) : null;
    const page = await deps.ledger.balances(scopeOf(identity), q, asOf);
    return c.json({ by: q.by, ...page, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(adjustRoute, async (c) => {
    const identity = writer(c, 'record ledger adjustments');
    const b = c.req.valid('json');
    // Without a session the adjustment belongs to no site: only a tenant-wide grant may make one.
    if (b.sessionId === null)
      requireTenantWide(identity, 'record adjustments outside a session of your sites');
    const entry = await deps.ledger
      .adjust(scopeOf(identity), { userId: identity.userId, email: identity.email }, b, new Date(now()))
      .catch(storeError);
    await deps.audit.record({
      actor: auditActor(c, identity),
      action: 'ledger.adjustment_recorded',
      target: { type: 'ledger_entry', id: entry.id },
      details: {
        orderNumber: entry.orderNumber,
        amount: entry.amount,
        currency: entry.currency,
        reason: b.reason,
      },
    });
    return c.json(entry, 201);
  });

  app.openapi(refundRoute, async (c) => {
    const identity = writer(c, 'refund charges');
    const b = c.req.valid('json');
    const entry = await deps.ledger
      .refund(scopeOf(identity), { userId: identity.userId, email: identity.email }, b, new Date(now()))
      .catch(storeError);
    await deps.audit.record({
      actor: auditActor(c, identity),
      action: 'ledger.refund_recorded',
      target: { type: 'ledger_entry', id: entry.id },
      details: {
        orderNumber: entry.orderNumber,
        refundOf: entry.refundOf,
        amount: entry.amount,
        currency: entry.currency,
        reason: b.reason,
      },
    });
    return c.json(entry, 201);
  });

  app.openapi(importRoute, async (c) => {
    const identity = writer(c, 'import orders');
    requireTenantWide(identity, 'import orders');
    const b = c.req.valid('json');
    const report = await importOrders(
      deps.db,
      identity.tenantId,
      { userId: identity.userId, email: identity.email },
      b,
    ).catch((error: unknown) => {
      if (!(error instanceof ImportError)) throw error;
      throw new ApiError('ledger.import_unreadable', error.message, {
        errors: [{ path: error.field, message: error.message }],
        cause: error,
      });
    });
    if (!b.dryRun) {
      await deps.audit.record({
        actor: auditActor(c, identity),
        action: 'ledger.orders_imported',
        target: null,
        details: {
          accepted: report.accepted.length,
          rejected: report.rejected.length,
          orderNumbers: report.accepted.slice(0, 100).map((a) => a.orderNumber),
        },
      });
    }
    return c.json(report, 200);
  });
}
