/**
 * Money as decimal strings (never binary floats): parsing, formatting and arithmetic with decimal.js.
 * The ledger stores NUMERIC(18, 4); the API speaks strings with at most four fraction digits.
 */
import { Decimal } from 'decimal.js';

export { Decimal };

/** At most 14 integer and 4 fraction digits, optional minus sign; "1e3" or "1,5" are refused. */
export const AMOUNT_PATTERN = /^-?\d{1,14}(\.\d{1,4})?$/;

export function parseAmount(text: string): Decimal | null {
  const trimmed = text.trim();
  return AMOUNT_PATTERN.test(trimmed) ? new Decimal(trimmed) : null;
}

/** The canonical string of an amount: four fraction digits, "-0" normalised away. */
export const formatAmount = (d: Decimal): string => (d.isZero() ? new Decimal(0) : d).toFixed(4);

export const sumAmounts = (amounts: readonly string[]): string =>
  formatAmount(amounts.reduce((acc, a) => acc.plus(a), new Decimal(0)));
