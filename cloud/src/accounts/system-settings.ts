/**
 * System settings of a tenant (GET/PUT /api/settings/system): default language, currency, phone
 * prefixes, password policy and login limits. Stored as one JSON document per tenant; a tenant
 * without a row, or a document missing a key (written by an older version), reads as the defaults,
 * so adding a setting never needs a data migration.
 */
import { z } from '@hono/zod-openapi';
import type { Db, Tx } from '../db/pool.js';
import { DEFAULT_PASSWORD_POLICY } from './password-policy.js';

export const LOCALES = ['en', 'ru', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const PasswordPolicySchema = z
  .object({
    minLength: z.number().int().min(8, 'must be at least 8').max(128),
    minEntropyBits: z.number().int().min(0).max(256),
  })
  .strict()
  .openapi('PasswordPolicy');

export const LoginPolicySchema = z
  .object({
    minEmailLength: z.number().int().min(3, 'must be at least 3').max(254),
    maxEmailLength: z.number().int().min(3).max(254, 'must be at most 254 (RFC 5321)'),
  })
  .strict()
  .refine((p) => p.minEmailLength <= p.maxEmailLength, {
    path: ['maxEmailLength'],
    message: 'must not be below minEmailLength',
  })
  .openapi('LoginPolicy');

export const SystemSettingsSchema = z
  .object({
    defaultLanguage: z.enum(LOCALES),
    currency: z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .pipe(z.string().refine((v) => CURRENCIES.has(v), 'must be an ISO 4217 currency code like "EUR"'))
      .openapi({ example: 'EUR' }),
    phonePrefixes: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\+[1-9][0-9]{0,3}$/, 'must be + and 1 to 4 digits, like "+49"'),
      )
      .max(50)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a prefix')
      .openapi({
        example: ['+49', '+7'],
        description: 'country calling codes users’ phone numbers may start with; empty: any',
      }),
    passwordPolicy: PasswordPolicySchema,
    loginPolicy: LoginPolicySchema,
  })
  .strict()
  .openapi('SystemSettings');
export type SystemSettings = z.output<typeof SystemSettingsSchema>;

export const DEFAULT_SYSTEM_SETTINGS: SystemSettings = {
  defaultLanguage: 'en',
  currency: 'EUR',
  phonePrefixes: [],
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  loginPolicy: { minEmailLength: 3, maxEmailLength: 254 },
};

/** What a stored document yields: each top-level key that is missing or no longer valid falls back. */
function fromStored(stored: Record<string, unknown>): SystemSettings {
  const out: Record<string, unknown> = { ...DEFAULT_SYSTEM_SETTINGS };
  for (const [key, schema] of Object.entries(SystemSettingsSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(stored[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as SystemSettings;
}

/** The tenant's settings; also used by the CLI inside its transaction. */
export async function readSystemSettings(q: Db | Tx, tenantId: string): Promise<SystemSettings> {
  const { rows } = await q.query<{ settings: Record<string, unknown> }>(
    'SELECT settings FROM tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return fromStored(rows[0]?.settings ?? {});
}

export interface SystemSettingsStore {
  get(tenantId: string): Promise<SystemSettings>;
  put(tenantId: string, settings: SystemSettings, userId: string | null): Promise<SystemSettings>;
}

export function createSystemSettingsStore(db: Db): SystemSettingsStore {
  return {
    get: (tenantId) => readSystemSettings(db, tenantId),
    async put(tenantId, settings, userId) {
      await db.query(
        `INSERT INTO tenant_settings (tenant_id, settings, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now(), updated_by = $3`,
        [tenantId, JSON.stringify(settings), userId],
      );
      return settings;
    },
  };
}
