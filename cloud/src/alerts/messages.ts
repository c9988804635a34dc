/**
 * The words of a notification: short and actionable (what, where, since when, a link). SMS fits
 * one or two segments; e-mail has a text and an HTML part; in-app shows subject and body.
 */
import type { Severity } from './schemas.js';

export type MessageReason = 'opened' | 'escalated' | 'recovered' | 'flapping';

export interface MessageContext {
  title: string;
  severity: Severity;
  siteName: string;
  cityName: string | null;
  since: Date;
  /** When the incident resolved (recovery messages). */
  resolvedAt: Date | null;
  link: string;
  escalationLevel: number;
  /** Minutes after which the rule escalated (escalation messages). */
  escalationAfterMinutes: number | null;
  details: Record<string, unknown>;
}

export interface Message {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

const TAG: Record<MessageReason, (c: MessageContext) => string> = {
  opened: (c) => c.severity.toUpperCase(),
  escalated: (c) => `ESCALATED L${c.escalationLevel + 1} ${c.severity.toUpperCase()}`,
  recovered: () => 'RESOLVED',
  flapping: () => 'FLAPPING',
};

/** "14:05 UTC" today, "3 Dec 14:05 UTC" otherwise, in the recipient's time zone. */
export function formatTime(at: Date, timeZone: string, now: Date): string {
  const day = (d: Date) => d.toLocaleDateString('en-GB', { timeZone });
  const clock = at.toLocaleTimeString('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const zone = timeZone === 'UTC' ? 'UTC' : timeZone;
  if (day(at) === day(now)) return `${clock} ${zone}`;
  const date = at.toLocaleDateString('en-GB', { timeZone, day: 'numeric', month: 'short' });
  return `${date} ${clock} ${zone}`;
}

const minutesBetween = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 60_000));

export function composeMessage(
  c: MessageContext,
  reason: MessageReason,
  timeZone: string,
  now: Date,
): Message {
  const where = c.cityName ? `${c.siteName}, ${c.cityName}` : c.siteName;
  const since = formatTime(c.since, timeZone, now);
  const tag = TAG[reason](c);
  let line: string;
  let action: string;
  switch (reason) {
    case 'opened':
      line = `${c.title} at ${where} since ${since}.`;
      action = 'Acknowledge when you are on it.';
      break;
    case 'escalated':
      line = `${c.title} at ${where} since ${since}; not acknowledged for ${c.escalationAfterMinutes ?? '?'} min.`;
      action = 'Acknowledge when you are on it.';
      break;
    case 'recovered': {
      const end = c.resolvedAt ?? now;
      line = `${c.title} at ${where}: cleared at ${formatTime(end, timeZone, now)} after ${minutesBetween(c.since, end)} min.`;
      action = 'No action needed.';
      break;
    }
    case 'flapping':
      line = `${c.title} at ${where} keeps coming and going (since ${since}); further messages paused until it is stable.`;
      action = 'Check the station.';
      break;
  }
  const subject = `[${tag}] ${c.title} at ${c.siteName}`;
  const sms = `[${tag}] ${line} ${c.link}`;
  const facts = Object.entries(c.details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  const text = [line, '', action, `Open: ${c.link}`, ...(facts.length ? ['', ...facts] : [])].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p><strong>${escapeHtml(tag)}</strong> ${escapeHtml(line)}</p>
<p>${escapeHtml(action)} <a href="${escapeHtml(c.link)}">Open the station</a></p>
${facts.length ? `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
</body></html>`;
  return { subject, text, html, sms };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
