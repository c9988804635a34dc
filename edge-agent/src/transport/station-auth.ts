/**
 * Station credentials: OCPP security profiles 1-3. Passwords are kept only as salted hashes (PHC
 * strings: argon2id from @node-rs/argon2, or scrypt from node:crypto). A successful verification is
 * remembered in memory as a keyed digest so a reconnect storm does not cost one argon2 run each.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

const scrypt = promisify(scryptCb) as (pw: Buffer | string, salt: Buffer, len: number) => Promise<Buffer>;

/** Hash for a new station password, in the format the KV `station.<id>` entry carries. */
export function hashStationPassword(password: string): Promise<string> {
  return argon2Hash(password);
}

export async function verifyStationPassword(passwordHash: string, password: Buffer): Promise<boolean> {
  if (passwordHash.startsWith('$argon2')) {
    try {
      return await argon2Verify(passwordHash, password);
    } catch {
      return false;
    }
  }
  const m = /^\$scrypt\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(passwordHash);
  if (m) {
    const salt = Buffer.from(m[1]!, 'base64');
    const expected = Buffer.from(m[2]!, 'base64');
    const actual = await scrypt(password, salt, expected.length);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
  return false;
}

/** Remembers (identity, hash, password) triples that verified, keyed by an HMAC with a per-process key. */
export class VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, string>();

  constructor(private readonly maxEntries = 20_000) {}

  async verify(identity: string, passwordHash: string, password: Buffer): Promise<boolean> {
    const digest = createHmac('sha256', this.key)
      .update(passwordHash)
      .update('\0')
      .update(password)
      .digest('base64');
    if (this.verified.get(identity) === digest) return true;
    const ok = await verifyStationPassword(passwordHash, password);
    if (ok) {
      if (this.verified.size >= this.maxEntries) this.verified.clear();
      this.verified.set(identity, digest);
    }
    return ok;
  }
}
