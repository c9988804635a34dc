/**
 * Keys of the site-config KV bucket. NATS KV keys allow only `[-/_=.A-Za-z0-9]`, so the `~HH`
 * escape used for subject tokens is not usable here; an id becomes one key token with bytes outside
 * `[A-Za-z0-9_-]` written as `=HH` (upper-case hex of each UTF-8 byte). `CP-1` stays `CP-1`,
 * `CP.1 *` becomes `CP=2E1=20=2A`. The cloud writes keys with exactly this rule (docs/edge-agent.md).
 */

const SAFE = /^[A-Za-z0-9_-]$/;

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
