/** Zod schemas of the tariff endpoints (docs/api.md, "Tariffs"). */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../resources/schemas.js';
import { isTimeZone } from './local-time.js';
import { currencyDigits, type TariffSpec } from './tariff.js';

const id = z.string().uuid();
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const DECIMAL = /^\d{1,9}(\.\d{1,6})?$/;

const price = (description: string) =>
  z
    .string()
    .trim()
    .regex(DECIMAL, 'a non-negative decimal like "0.35" (at most 6 fraction digits)')
    .openapi({ example: '0.35', description });
const optionalPrice = (description: string) => price(description).nullable();

export const TariffPeriodSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(60),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'at least one weekday')
      .max(7)
      .openapi({ description: 'ISO weekdays, 1 = Monday … 7 = Sunday' }),
    startMinute: z.number().int().min(0).max(1439).openapi({ description: 'minute of the day, local time' }),
    endMinute: z.number().int().min(1).max(1440).openapi({ description: 'exclusive; 1440 = midnight' }),
    energyPerKwh: optionalPrice('null: the base rate'),
    chargingPerMinute: optionalPrice('null: the base rate'),
    idlePerMinute: optionalPrice('null: the base rate'),
  })
  .strict()
  .refine((p) => p.endMinute > p.startMinute, {
    message: 'must end after it starts (split a period over midnight in two)',
    path: ['endMinute'],
  })
  .openapi('TariffPeriod');

export const TariffSpecSchema = z
  .object({
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((v) => CURRENCIES.has(v), 'must be an ISO 4217 currency code like "EUR"'),
    timeZone: z
      .string()
      .trim()
      .refine(isTimeZone, 'must be an IANA time zone like "Europe/Berlin"')
      .openapi({ description: 'periods are read in this local time (the site’s)' }),
    energyPerKwh: price('price per kWh before tax'),
    chargingPerMinute: price('price per minute of charging'),
    idlePerMinute: price('price per idle minute after the grace period'),
    idleGraceMinutes: z.number().int().min(0).max(1440),
    sessionFee: price('fee per session'),
    minimum: optionalPrice('least amount before tax; null: none'),
    maximum: optionalPrice('largest amount before tax; null: none'),
    taxRatePercent: z
      .string()
      .trim()
      .regex(/^\d{1,2}(\.\d{1,4})?$/, 'a percentage like "19" or "7.5"'),
    periods: z.array(TariffPeriodSchema).max(20),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!CURRENCIES.has(s.currency)) return;
    const digits = currencyDigits(s.currency);
    for (const key of ['minimum', 'maximum', 'sessionFee'] as const) {
      const v = s[key];
      if (v !== null && (v.split('.')[1]?.length ?? 0) > digits) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `at most ${digits} fraction digits in ${s.currency}`,
        });
      }
    }
    if (s.minimum !== null && s.maximum !== null && Number(s.maximum) < Number(s.minimum)) {
      ctx.addIssue({ code: 'custom', path: ['maximum'], message: 'must not be below the minimum' });
    }
  })
  .openapi('TariffSpec');

export const TariffVersion = z
  .object({
    id,
    validFrom: z.string(),
    validTo: z.string().nullable(),
    spec: TariffSpecSchema,
    createdAt: z.string(),
    sessionCount: z.number().int(),
  })
  .openapi('TariffVersion');

export const ASSIGNMENT_TARGETS = ['site', 'station', 'token_group', 'token'] as const;
export type AssignmentTarget = (typeof ASSIGNMENT_TARGETS)[number];

export const TariffAssignment = z
  .object({
    targetType: z.enum(ASSIGNMENT_TARGETS),
    targetId: id,
    targetName: z.string(),
    tariffId: id,
    tariffName: z.string(),
    assignedAt: z.string(),
  })
  .openapi('TariffAssignment');

export const Tariff = z
  .object({
    id,
    name: z.string(),
    description: z.string().nullable(),
    /** The version in force now (null: none yet or expired). */
    current: z.union([TariffVersion, z.null()]),
    versions: z.array(TariffVersion),
    assignments: z.array(TariffAssignment),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Tariff');

const name = z.string().trim().min(1, 'must not be empty').max(200);
const description = z
  .string()
  .trim()
  .max(2000)
  .nullable()
  .transform((v) => (v === '' ? null : v));
const when = z.iso.datetime({ offset: true });

export const TariffBody = z
  .object({
    name,
    description: description.default(null),
    spec: TariffSpecSchema,
    validFrom: when.optional().openapi({ description: 'default: now' }),
  })
  .strict()
  .openapi('TariffBody');
export const TariffPatch = z.object({ name, description }).partial().strict().openapi('TariffPatch');
export const TariffVersionBody = z
  .object({ validFrom: when, validTo: when.nullable().default(null), spec: TariffSpecSchema })
  .strict()
  .refine((b) => b.validTo === null || Date.parse(b.validTo) > Date.parse(b.validFrom), {
    message: 'must be after validFrom',
    path: ['validTo'],
  })
  .openapi('TariffVersionBody');

export const TARIFF_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export const TariffQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: 'part of the name' }),
  sort: z.enum(TARIFF_SORTS).default('name'),
  ...PageQuery,
});
export const TariffList = z
  .object({
    items: z.array(Tariff),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('TariffList');

export const AssignmentQuery = z.object({
  targetType: z.enum(ASSIGNMENT_TARGETS).optional(),
  tariffId: id.optional(),
});
export const AssignmentList = z.object({ items: z.array(TariffAssignment) }).openapi('TariffAssignmentList');
export const AssignmentBody = z
  .object({
    targetType: z.enum(ASSIGNMENT_TARGETS),
    targetId: id,
    tariffId: id.nullable().openapi({ description: 'null removes the assignment' }),
  })
  .strict()
  .openapi('TariffAssignmentBody');

export type TariffSpecInput = z.output<typeof TariffSpecSchema>;
/** The stored spec is validated on the way in; this narrows its JSON back to the cost function's type. */
export const toSpec = (json: unknown): TariffSpec => json as TariffSpec;
