/** How a session row reads: a known status or `unknown`, and its duration so far. */
import { SESSION_STATUSES, type SessionRecord, type SessionStatus } from '../../api/types';

export function sessionStatusOf(session: Pick<SessionRecord, 'status'>): SessionStatus | 'unknown' {
  return (SESSION_STATUSES as readonly string[]).includes(session.status)
    ? (session.status as SessionStatus)
    : 'unknown';
}

/** Start to end, or to `nowMs` while the session is open; null when a time is unreadable. */
export function sessionDurationMs(
  session: Pick<SessionRecord, 'startedAt' | 'endedAt'>,
  nowMs: number,
): number | null {
  if (session.startedAt === null) return null;
  const start = new Date(session.startedAt).getTime();
  const end = session.endedAt === null ? nowMs : new Date(session.endedAt).getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null;
  return Math.max(0, end - start);
}

export function splitDuration(durationMs: number): { hours: number; minutes: number } {
  const totalMinutes = Math.floor(durationMs / 60_000);
  return { hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}
