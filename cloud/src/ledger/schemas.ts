/** Zod schemas of the ledger endpoints (/api/ledger/*): requests, answers and the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../resources/schemas.js';
import { AMOUNT_PATTERN } from './money.js';

export const LEDGER_KINDS = ['session_charge', 'adjustment', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const BALANCE_GROUPS = ['token', 'holder', 'group', 'company'] as const;
export type BalanceGroup = (typeof BALANCE_GROUPS)[number];
export const LEDGER_SORTS = [
  'occurredAt',
  '-occurredAt',
  'amount',
  '-amount',
  'orderNumber',
  '-orderNumber',
] as const;

const id = z.uuid();
const time = z.iso
  .datetime({ offset: true })
  .openapi({ example: '2026-12-01T00:00:00Z', description: 'ISO 8601 with offset' });
const amount = z
  .string()
  .trim()
  .regex(AMOUNT_PATTERN, 'a decimal with at most 4 fraction digits, e.g. "12.50"')
  .openapi({ example: '12.5000', description: 'decimal string; never a binary float' });
const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(1000);
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

export const LedgerEntry = z
  .object({
    id,
    orderNumber: z.string().openapi({ example: 'VM-00000042' }),
    kind: z.enum(LEDGER_KINDS),
    amount: amount.openapi({ description: 'signed: refunds and credits are negative' }),
    currency: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    sessionId: id.nullable(),
    stationId: id.nullable(),
    stationName: z.string().nullable(),
    siteId: id.nullable(),
    siteName: z.string().nullable(),
    idToken: z.string().nullable(),
    holderId: id.nullable(),
    holderName: z.string().nullable(),
    groupId: id.nullable(),
    groupName: z.string().nullable(),
    groupKind: z.enum(['personal', 'corporate']).nullable(),
    company: z.string().nullable(),
    refundOf: z.string().nullable().openapi({ description: 'order number of the refunded charge' }),
    reason: z.string().nullable(),
    actorEmail: z.string().nullable(),
    externalRef: z.string().nullable(),
  })
  .openapi('LedgerEntry');

const filters = {
  from: time.optional().openapi({ description: 'default: the first instant of the current month (UTC)' }),
  to: time.optional().openapi({ description: 'exclusive; default: the first instant of next month (UTC)' }),
  kind: z.enum(LEDGER_KINDS).optional(),
  idToken: z.string().max(255).optional(),
  holderId: id.optional(),
  groupId: id.optional(),
  siteId: id.optional(),
  q: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'part of the order number, external ref, token, holder, company or reason' }),
};
export const LedgerQuery = z.object({
  ...filters,
  sort: z.enum(LEDGER_SORTS).default('-occurredAt'),
  ...PageQuery,
});
export const LedgerCsvQuery = z.object({ ...filters, sort: z.enum(LEDGER_SORTS).default('occurredAt') });

const Sum = z.object({ currency: z.string(), amount: z.string() });
export const LedgerList = z
  .object({
    items: z.array(LedgerEntry),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    from: z.string(),
    to: z.string(),
    sums: z.array(Sum).openapi({ description: 'net amount of every matching entry, per currency' }),
  })
  .openapi('LedgerList');

export const AdjustmentBody = z
  .object({
    amount: amount.refine((a) => !/^-?0+(\.0+)?$/.test(a), 'must not be zero'),
    currency,
    reason,
    sessionId: id.nullable().default(null),
    idToken: z.string().trim().min(1).max(255).nullable().default(null),
    occurredAt: time.optional(),
  })
  .strict()
  .openapi('LedgerAdjustmentBody');

export const RefundBody = z
  .object({
    sessionId: id.optional(),
    orderNumber: z.string().trim().min(1).max(40).optional(),
    amount: amount.refine((a) => !a.startsWith('-') && !/^0+(\.0+)?$/.test(a), 'must be more than zero'),
    reason,
  })
  .strict()
  .refine((b) => (b.sessionId === undefined) !== (b.orderNumber === undefined), {
    message: 'give either sessionId or orderNumber of the charge',
    path: ['sessionId'],
  })
  .openapi('LedgerRefundBody');

export const BalanceQuery = z.object({
  by: z.enum(BALANCE_GROUPS).default('token'),
  to: time.optional().openapi({ description: 'balances as of this instant (exclusive); default now' }),
  q: z.string().max(100).optional(),
  ...PageQuery,
});
export const Balance = z
  .object({
    key: z.string().openapi({ description: "the token, holder id, group id or company; '' when unknown" }),
    label: z.string().nullable(),
    currency: z.string(),
    charged: z.string(),
    refunded: z.string(),
    adjusted: z.string(),
    balance: z.string(),
    entries: z.number().int(),
  })
  .openapi('LedgerBalance');
export const BalanceList = z
  .object({
    by: z.enum(BALANCE_GROUPS),
    items: z.array(Balance),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('LedgerBalanceList');

export const ImportBody = z
  .object({
    csv: z.string().min(1).max(5_000_000).openapi({
      description: 'the CSV file as text (UTF-8, BOM allowed); columns in docs/ledger-and-reports.md',
    }),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .openapi('LedgerImportBody');
export const IMPORT_REJECTIONS = [
  'missing_column',
  'invalid_value',
  'duplicate_in_file',
  'already_imported',
  'unknown_site',
] as const;
export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    rows: z.number().int(),
    accepted: z.array(
      z.object({
        line: z.number().int(),
        externalRef: z.string(),
        orderNumber: z.string().nullable().openapi({ description: 'null in a dry run' }),
        amount: z.string(),
        currency: z.string(),
      }),
    ),
    rejected: z.array(
      z.object({
        line: z.number().int(),
        externalRef: z.string().nullable(),
        code: z.enum(IMPORT_REJECTIONS),
        field: z.string().nullable(),
        message: z.string(),
      }),
    ),
  })
  .openapi('LedgerImportReport');
