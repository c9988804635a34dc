/**
 * The password policy of a tenant's system settings: a minimum length and a minimum estimated
 * entropy. The estimate is deliberately simple and documented (docs/operations.md): the size of the
 * character classes a password uses (lower 26, upper 26, digits 10, ASCII symbols and space 33,
 * anything else 100) gives bits per character, times the length, where a character repeating its
 * predecessor counts for nothing ("aaaaaaaaaa" is one character of entropy, not ten). It rewards
 * length and variety and cannot be fooled by padding; it does not know dictionary words, so the
 * length rule stays the main defence.
 */

export interface PasswordPolicy {
  minLength: number;
  minEntropyBits: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, minEntropyBits: 50 };

/** Above this argon2id work is wasted and the login body refuses it anyway. */
export const MAX_PASSWORD_LENGTH = 1024;

const CLASSES: readonly { size: number; test: (ch: string) => boolean }[] = [
  { size: 26, test: (ch) => ch >= 'a' && ch <= 'z' },
  { size: 26, test: (ch) => ch >= 'A' && ch <= 'Z' },
  { size: 10, test: (ch) => ch >= '0' && ch <= '9' },
  { size: 33, test: (ch) => ch >= ' ' && ch <= '~' && !/[a-zA-Z0-9]/.test(ch) },
];
const OTHER_CLASS_SIZE = 100;

export function estimateEntropyBits(password: string): number {
  const chars = [...password];
  const used = new Set<number>();
  let effectiveLength = 0;
  chars.forEach((ch, i) => {
    const cls = CLASSES.findIndex((c) => c.test(ch));
    used.add(cls);
    if (i === 0 || chars[i - 1] !== ch) effectiveLength++;
  });
  const pool = [...used].reduce((sum, cls) => sum + (cls === -1 ? OTHER_CLASS_SIZE : CLASSES[cls]!.size), 0);
  return pool === 0 ? 0 : Math.floor(effectiveLength * Math.log2(pool));
}

/** Which rule a password breaks, for a problem+json field error; null when it passes. */
export type PasswordRule = 'minLength' | 'maxLength' | 'minEntropyBits';

export interface PolicyViolation {
  rule: PasswordRule;
  message: string;
}

export function checkPassword(password: string, policy: PasswordPolicy): PolicyViolation | null {
  const length = [...password].length;
  if (length < policy.minLength) {
    return {
      rule: 'minLength',
      message: `must be at least ${policy.minLength} characters (password policy: minimum length)`,
    };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { rule: 'maxLength', message: `must be at most ${MAX_PASSWORD_LENGTH} characters` };
  }
  const bits = estimateEntropyBits(password);
  if (bits < policy.minEntropyBits) {
    return {
      rule: 'minEntropyBits',
      message:
        `is too easy to guess: about ${bits} bits of entropy, the policy asks for ${policy.minEntropyBits} ` +
        '(make it longer or mix lower and upper case, digits and symbols)',
    };
  }
  return null;
}
