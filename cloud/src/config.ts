/**
 * The cloud's configuration, parsed once from the environment by `main.ts` / `cli.ts`. This is the
 * only module that reads `process.env`; everything else receives a `Config`. Invalid or missing
 * values fail fast with one message naming every offending variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const MODES = ['production', 'demo'] as const;
export type Mode = (typeof MODES)[number];

export interface Config {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly mode: Mode;
  readonly sessionSecret: string;
  /** True when SESSION_SECRET was generated at start (demo mode only): sessions end with the process. */
  readonly sessionSecretGenerated: boolean;
  readonly webDistDir: string | null;
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hours without activity after which an unstopped session is closed (SESSION_WATCHDOG_HOURS). */
  readonly sessionWatchdogHours: number;
  /** MapLibre style JSON URL for the web map (MAP_STYLE_URL); null = the built-in offline basemap. */
  readonly mapStyleUrl: string | null;
  /** TimescaleDB path only: compression and retention of the raw time-series tables. */
  /** Alert channels (docs/alerts.md); a channel whose settings are missing is disabled, not fatal. */
  readonly alerts: {
    readonly twilioAccountSid: string | null;
    readonly twilioAuthToken: string | null;
    readonly twilioFrom: string | null;
    readonly smtpUrl: string | null;
    readonly mailFrom: string | null;
  };
  readonly timescale: {
    readonly compressAfterDays: number;
    readonly meterRetentionDays: number;
    readonly eventRetentionDays: number;
  };
}

export class ConfigError extends Error {
  readonly code = 'VM_CONFIG_INVALID';
  constructor(
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`, options);
    this.name = 'ConfigError';
  }
}

const postgresUrl = z
  .string({ error: 'is required (e.g. postgres://user:pass@127.0.0.1:5432/voltmesh)' })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');
const natsUrl = z
  .string({ error: 'is required (e.g. nats://127.0.0.1:4222)' })
  .refine((v) => /^(nats|tls|wss?):\/\//.test(v), 'must be a nats:// URL');

const Env = z.object({
  DATABASE_URL: postgresUrl,
  NATS_URL: natsUrl,
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  VOLTMESH_MODE: z.enum(MODES).default('production'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_WATCHDOG_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  MAP_STYLE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL of a MapLibre style JSON' })
    .optional(),
  TIMESCALE_COMPRESS_AFTER_DAYS: z.coerce.number().int().min(1).default(7),
  METER_RETENTION_DAYS: z.coerce.number().int().min(1).default(395),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(730),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
});

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable means "unset", as shells and compose files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const issues: string[] = [];
  if (e.VOLTMESH_MODE === 'production' && e.SESSION_SECRET === undefined) {
    issues.push('SESSION_SECRET: is required in production mode (at least 32 random characters)');
  }
  let webDistDir: string | null = null;
  if (e.WEB_DIST_DIR !== undefined) {
    webDistDir = resolve(e.WEB_DIST_DIR);
    if (!existsSync(webDistDir) || !statSync(webDistDir).isDirectory()) {
      issues.push(`WEB_DIST_DIR: ${webDistDir} is not a directory`);
    } else if (!existsSync(join(webDistDir, 'index.html'))) {
      issues.push(`WEB_DIST_DIR: ${webDistDir} has no index.html (build the web app first)`);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const publicUrl = e.PUBLIC_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`;
  return {
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    httpHost: e.HTTP_HOST,
    httpPort: e.HTTP_PORT,
    mode: e.VOLTMESH_MODE,
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    sessionSecretGenerated: e.SESSION_SECRET === undefined,
    webDistDir,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    logLevel: e.LOG_LEVEL,
    sessionWatchdogHours: e.SESSION_WATCHDOG_HOURS,
    mapStyleUrl: e.MAP_STYLE_URL ?? null,
    alerts: {
      twilioAccountSid: e.TWILIO_ACCOUNT_SID ?? null,
      twilioAuthToken: e.TWILIO_AUTH_TOKEN ?? null,
      twilioFrom: e.TWILIO_FROM ?? null,
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM ?? null,
    },
    timescale: {
      compressAfterDays: e.TIMESCALE_COMPRESS_AFTER_DAYS,
      meterRetentionDays: e.METER_RETENTION_DAYS,
      eventRetentionDays: e.EVENT_RETENTION_DAYS,
    },
  };
}

/** For CLI commands that only touch the database (migrate, seed-demo, create-admin). */
export function loadDatabaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  const parsed = postgresUrl.safeParse(env['DATABASE_URL'] === '' ? undefined : env['DATABASE_URL']);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `DATABASE_URL: ${i.message}`));
  }
  return parsed.data;
}

/** The first admin's password for `cli create-admin`, when given through the environment. */
export function adminPasswordFromEnv(env: Readonly<Record<string, string | undefined>>): string | null {
  const v = env['VOLTMESH_ADMIN_PASSWORD'];
  return v === undefined || v === '' ? null : v;
}
