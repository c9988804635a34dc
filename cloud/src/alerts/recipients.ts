/**
 * Who hears about an incident, in which order: the escalation chain. Step 0 is the rule's users plus
 * level 1 of its on-call groups (the crews whose site or city covers the target, and named groups);
 * each later step is the next level; after the last level, the rule's escalation group.
 */
import type { Tx } from '../db/pool.js';
import type { RuleRow } from './rule-row.js';
import type { PersonalChannel } from './schemas.js';

export interface Contact {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  channels: PersonalChannel[];
  quiet: { start: string; end: string } | null;
  timeZone: string;
}

export async function escalationChain(
  tx: Tx,
  rule: RuleRow,
  target: { siteId: string },
): Promise<string[][]> {
  const { rows } = await tx.query<{ user_id: string; level: number }>(
    `SELECT m.user_id, m.level
       FROM oncall_members m JOIN oncall_groups g ON g.id = m.group_id
       JOIN sites si ON si.id = $2
      WHERE g.tenant_id = $1
        AND (g.id = ANY($3::uuid[])
             OR ($4 AND (g.site_id = si.id OR g.city_id = si.city_id OR (g.site_id IS NULL AND g.city_id IS NULL))))
      ORDER BY m.level, m.position, m.user_id`,
    [rule.tenant_id, target.siteId, rule.recipient_group_ids, rule.notify_site_oncall],
  );
  const levels = new Map<number, string[]>();
  for (const r of rows) {
    const list = levels.get(r.level) ?? [];
    if (!list.includes(r.user_id)) list.push(r.user_id);
    levels.set(r.level, list);
  }
  const steps = [...levels.entries()].sort(([a], [b]) => a - b).map(([, users]) => users);
  if (steps.length === 0) steps.push([]);
  steps[0] = [...new Set([...rule.recipient_user_ids, ...steps[0]!])];
  if (rule.escalation_group_id) {
    const { rows: esc } = await tx.query<{ user_id: string }>(
      `SELECT m.user_id FROM oncall_members m JOIN oncall_groups g ON g.id = m.group_id
        WHERE g.id = $1 AND g.tenant_id = $2 ORDER BY m.level, m.position`,
      [rule.escalation_group_id, rule.tenant_id],
    );
    if (esc.length > 0) steps.push(esc.map((r) => r.user_id));
  }
  return steps.filter((s, i) => i === 0 || s.length > 0);
}

/** Contact data of the users that still hold a grant on the tenant and are not disabled. */
export async function contactsOf(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Contact[]> {
  if (userIds.length === 0) return [];
  const { rows } = await tx.query<{
    id: string;
    name: string;
    email: string;
    phone: string | null;
    channels: PersonalChannel[] | null;
    quiet_start: string | null;
    quiet_end: string | null;
    time_zone: string | null;
  }>(
    `SELECT u.id, u.name, u.email, u.phone, c.channels, to_char(c.quiet_start, 'HH24:MI') AS quiet_start,
            to_char(c.quiet_end, 'HH24:MI') AS quiet_end, c.time_zone
       FROM users u LEFT JOIN alert_contacts c ON c.user_id = u.id
      WHERE u.id = ANY($2::uuid[]) AND u.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.tenant_id = $1)`,
    [tenantId, userIds],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return userIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        userId: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        channels: r.channels ?? ['sms', 'email', 'in_app'],
        quiet: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null,
        timeZone: r.time_zone ?? 'UTC',
      },
    ];
  });
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** When the recipient's quiet hours end, if `now` falls inside them; otherwise null. */
export function quietUntil(
  now: Date,
  quiet: { start: string; end: string } | null,
  timeZone: string,
): Date | null {
  if (!quiet) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const hour = Number(parts.find((x) => x.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((x) => x.type === 'minute')?.value ?? 0);
  const m = hour * 60 + minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  const wait = (end - m + 1440) % 1440;
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}
