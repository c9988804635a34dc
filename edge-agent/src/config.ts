/**
 * The edge agent's configuration: the only module that reads environment variables. `loadConfig`
 * parses everything once, applies defaults in one place and fails fast, naming every bad variable.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { NatsAuth } from './nats/nats-link.js';

export interface TlsConfig {
  cert: Buffer;
  key: Buffer;
  /** CA bundle for client certificates; enables security profile 3 (mutual TLS). */
  ca: Buffer | null;
}

export interface EdgeConfig {
  siteId: string;
  natsUrl: string;
  /**
   * NATS_CREDS (a credentials file: JWT + nkey seed) or NATS_USER + NATS_PASSWORD (the site's edge
   * credentials from the cloud); null for a server without authorization.
   */
  natsAuth: NatsAuth | null;
  ocppHost: string;
  ocppPort: number;
  tls: TlsConfig | null;
  dataDir: string;
  acceptUnknownStations: boolean;
  outboxBudgetBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SITE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** 72 h of a 500-station site at one meter sample a minute is ~2.2 GB; see docs/edge-agent.md. */
const DEFAULT_OUTBOX_BUDGET_MB = 4096;

export function loadConfig(env: Readonly<Record<string, string | undefined>>): EdgeConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const siteId = read('SITE_ID');
  if (siteId === undefined) problems.push('SITE_ID is required (the site code, e.g. SITE_ID=berlin-01)');
  else if (!SITE_ID.test(siteId)) problems.push(`SITE_ID "${siteId}" must be 1-64 of A-Z a-z 0-9 _ -`);

  const natsUrl = read('NATS_URL');
  if (natsUrl === undefined) problems.push('NATS_URL is required (e.g. nats://127.0.0.1:4222)');

  const ocppPort = parseIntVar(read('OCPP_PORT'), 9000, 'OCPP_PORT', 0, 65535, problems);
  const budgetMb = parseIntVar(
    read('EDGE_OUTBOX_BUDGET_MB'),
    DEFAULT_OUTBOX_BUDGET_MB,
    'EDGE_OUTBOX_BUDGET_MB',
    1,
    1_000_000,
    problems,
  );

  const acceptRaw = read('EDGE_ACCEPT_UNKNOWN_STATIONS') ?? 'false';
  if (acceptRaw !== 'true' && acceptRaw !== 'false') {
    problems.push(`EDGE_ACCEPT_UNKNOWN_STATIONS must be "true" or "false", got "${acceptRaw}"`);
  }

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const natsAuth = loadNatsAuth(read, problems);
  const tls = loadTls(read, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    siteId: siteId!,
    natsUrl: natsUrl!,
    natsAuth,
    ocppHost: read('OCPP_HOST') ?? '127.0.0.1',
    ocppPort,
    tls,
    dataDir: resolve(read('EDGE_DATA_DIR') ?? `./.data/edge-${siteId!}`),
    acceptUnknownStations: acceptRaw === 'true',
    outboxBudgetBytes: budgetMb * 1024 * 1024,
    logLevel: logLevel as EdgeConfig['logLevel'],
  };
}

function loadNatsAuth(read: (name: string) => string | undefined, problems: string[]): NatsAuth | null {
  const credsPath = read('NATS_CREDS');
  const user = read('NATS_USER');
  const password = read('NATS_PASSWORD');
  if (credsPath !== undefined && (user !== undefined || password !== undefined)) {
    problems.push(
      'NATS_CREDS and NATS_USER/NATS_PASSWORD are alternatives: set one way of logging in to NATS',
    );
    return null;
  }
  if (credsPath !== undefined) {
    const creds = readFileVar(credsPath, 'NATS_CREDS', problems);
    return creds ? { kind: 'creds', creds: creds.toString('utf8') } : null;
  }
  if (user === undefined && password === undefined) return null;
  if (user === undefined || password === undefined) {
    problems.push("NATS_USER and NATS_PASSWORD must be set together (the site's edge credentials)");
    return null;
  }
  return { kind: 'password', user, password };
}

function loadTls(read: (name: string) => string | undefined, problems: string[]): TlsConfig | null {
  const certPath = read('OCPP_TLS_CERT');
  const keyPath = read('OCPP_TLS_KEY');
  const caPath = read('OCPP_TLS_CA');
  if (certPath === undefined && keyPath === undefined) {
    if (caPath !== undefined) problems.push('OCPP_TLS_CA needs OCPP_TLS_CERT and OCPP_TLS_KEY');
    return null;
  }
  if (certPath === undefined || keyPath === undefined) {
    problems.push('OCPP_TLS_CERT and OCPP_TLS_KEY must be set together');
    return null;
  }
  const cert = readFileVar(certPath, 'OCPP_TLS_CERT', problems);
  const key = readFileVar(keyPath, 'OCPP_TLS_KEY', problems);
  const ca = readFileVar(caPath, 'OCPP_TLS_CA', problems);
  if (!cert || !key) return null;
  return { cert, key, ca };
}

function readFileVar(path: string | undefined, name: string, problems: string[]): Buffer | null {
  if (path === undefined) return null;
  try {
    return readFileSync(path);
  } catch (cause) {
    problems.push(`${name}: cannot read "${path}" (${(cause as Error).message})`);
    return null;
  }
}

function parseIntVar(
  raw: string | undefined,
  fallback: number,
  name: string,
  min: number,
  max: number,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}
