/**
 * The site configuration the cloud writes into a site's NATS KV bucket (`siteConfigBucket(siteId)`)
 * and the edge reads: the key of every entry and the shape of every value. Both sides import these,
 * so the cloud writes exactly what the edge accepts.
 *
 * Keys: NATS KV keys allow only `[-/_=.A-Za-z0-9]`, so the `~HH` escape of subject tokens
 * (`encodeToken`) cannot be used; an id becomes one key token with every UTF-8 byte outside
 * `[A-Za-z0-9_-]` written as `=HH` (upper-case hex). `CP-1` stays `CP-1`, `CP.1 *` is `CP=2E1=20=2A`.
 *
 * Values: write `z.input` of these schemas as JSON. Fields added after the first release have
 * defaults, so values written before them still parse.
 */
import { z } from 'zod';

const SAFE = /^[A-Za-z0-9_-]$/;

/** Escapes one id into a single KV key token, reversibly (`decodeKeyToken`). */
export function encodeKeyToken(id: string): string {
  if (id.length === 0) throw new RangeError('a KV key token cannot be empty');
  let out = '';
  for (const ch of id) {
    if (SAFE.test(ch)) out += ch;
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += '=' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function decodeKeyToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if (ch === '=') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new RangeError(`bad escape in KV key token "${token}"`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export const siteConfigKeys = {
  station: (identity: string) => `station.${encodeKeyToken(identity)}`,
  token: (idToken: string) => `token.${encodeKeyToken(idToken)}`,
  policy: 'policy',
} as const;

export type SiteConfigKey =
  { kind: 'station'; identity: string } | { kind: 'token'; idToken: string } | { kind: 'policy' };

/** Reads a key of the bucket; null for keys this version does not know (they are ignored). */
export function parseSiteConfigKey(key: string): SiteConfigKey | null {
  if (key === siteConfigKeys.policy) return { kind: 'policy' };
  const dot = key.indexOf('.');
  if (dot < 0) return null;
  const kind = key.slice(0, dot);
  const token = key.slice(dot + 1);
  if (token === '' || token.includes('.')) return null;
  if (kind === 'station') return { kind, identity: decodeKeyToken(token) };
  if (kind === 'token') return { kind, idToken: decodeKeyToken(token) };
  return null;
}

/** `station.<identity token>`: a station allowed to connect to the site. */
export const StationEntry = z.object({
  identity: z.string().min(1).max(48),
  /** PHC string from argon2id (`$argon2id$...`) or node:crypto scrypt (`$scrypt$...`); null for profile 0 and 3. */
  passwordHash: z.string().min(1).max(512).nullable(),
  securityProfile: z.number().int().min(0).max(3),
  /** false: BootNotification is answered `Rejected`. A station parked as pending is accepted once this is true. */
  enabled: z.boolean(),
});
export type StationEntry = z.infer<typeof StationEntry>;

export const TOKEN_STATUSES = ['accepted', 'blocked', 'expired', 'invalid', 'concurrent_tx'] as const;

/** `token.<idToken token>`: the site's local authorisation list. */
export const TokenEntry = z.object({
  idToken: z.string().min(1).max(255),
  type: z.string().min(1).max(32),
  status: z.enum(TOKEN_STATUSES),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  groupId: z.string().max(255).nullable(),
});
export type TokenEntry = z.infer<typeof TokenEntry>;

/** `policy`: site-wide behaviour. */
export const SitePolicy = z.object({
  unknownTokenWhileOffline: z.enum(['accept', 'reject']),
  heartbeatIntervalS: z.number().int().min(10).max(86_400),
  /**
   * Identities the bucket does not list: `reject` refuses the WebSocket (404); `pending` lets them
   * connect unauthenticated and answers their BootNotification `Pending`, so an operator can see and
   * approve them (by writing their `station.*` entry with `enabled: true`).
   */
  unknownStations: z.enum(['reject', 'pending']).default('reject'),
  /** The BootNotification `interval` when the answer is Pending or Rejected: the minimum wait before the next one. */
  bootRetryIntervalS: z.number().int().min(10).max(86_400).default(60),
});
export type SitePolicy = z.infer<typeof SitePolicy>;

/** What the edge uses while the bucket holds no `policy` key. */
export const DEFAULT_SITE_POLICY: SitePolicy = {
  unknownTokenWhileOffline: 'reject',
  heartbeatIntervalS: 300,
  unknownStations: 'reject',
  bootRetryIntervalS: 60,
};
