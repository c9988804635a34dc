/**
 * The period `[from, to)` of a ledger list or a report: the current UTC month unless given (only
 * `to`: the month that holds its last instant; only `from`: up to the end of the current month, at
 * least a day), forwards and at most `maxDays` long, else 400 `report.range_invalid` naming the field.
 */
import { ApiError } from '../api/problem.js';

const DAY_MS = 86_400_000;
const monthOf = (ms: number) => {
  const d = new Date(ms);
  return {
    start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    next: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
};

export function resolvePeriod(
  q: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  maxDays: number,
): { from: Date; to: Date } {
  const current = monthOf(nowMs);
  let from: number;
  let to: number;
  if (q.from !== undefined && q.to !== undefined) {
    from = Date.parse(q.from);
    to = Date.parse(q.to);
  } else if (q.to !== undefined) {
    to = Date.parse(q.to);
    from = monthOf(to - 1).start;
  } else if (q.from !== undefined) {
    from = Date.parse(q.from);
    to = Math.max(current.next, from + DAY_MS);
  } else {
    from = current.start;
    to = current.next;
  }
  if (to <= from) {
    throw new ApiError('report.range_invalid', '`to` must be after `from`', {
      errors: [{ path: 'to', message: 'must be after from' }],
    });
  }
  if (to - from > maxDays * DAY_MS) {
    throw new ApiError('report.range_invalid', `this period spans at most ${maxDays} days`, {
      errors: [{ path: 'from', message: `at most ${maxDays} days before to` }],
    });
  }
  return { from: new Date(from), to: new Date(to) };
}
