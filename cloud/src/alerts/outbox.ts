/**
 * The notification outbox: rows queued in the transaction that changed an incident, one per
 * recipient × channel, keyed so that queueing the same step twice is a no-op. The dispatcher
 * (dispatcher.ts) delivers them.
 */
import type { Tx } from '../db/pool.js';
import { composeMessage, type MessageContext, type MessageReason } from './messages.js';
import { contactsOf, escalationChain, quietUntil } from './recipients.js';
import type { RuleRow } from './rule-row.js';
import type { Channel, PersonalChannel, Severity } from './schemas.js';

/** `last_error` prefix of a message that was still held when its incident resolved. */
export const SUPERSEDED = 'superseded:';

/**
 * Messages about an incident that are still held (quiet hours) when it resolves are not sent any
 * more: the crew would get "offline" and "resolved" together in the morning.
 */
export async function supersedeHeld(tx: Tx, incidentId: string, now: Date): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE notifications SET status = 'failed', updated_at = now(),
            last_error = '${SUPERSEDED} the incident resolved before the quiet hours ended'
      WHERE incident_id = $1 AND status = 'queued' AND attempts = 0 AND next_attempt_at > $2
        AND reason IN ('opened', 'escalated')`,
    [incidentId, now],
  );
  return rowCount ?? 0;
}

export interface QueueStep {
  reason: MessageReason;
  /** Index in the escalation chain (0 for opened/recovered). */
  step: number;
  /** Distinguishes repeated steps of one incident (a reopening after a flap). */
  round: number;
}

interface IncidentContextRow {
  id: string;
  tenant_id: string;
  site_id: string;
  station_id: string | null;
  title: string;
  severity: Severity;
  since: Date;
  resolved_at: Date | null;
  escalation_level: number;
  details: Record<string, unknown>;
  site_name: string;
  city_name: string | null;
}

export const incidentLink = (publicUrl: string, i: { station_id: string | null; site_id: string }): string =>
  i.station_id
    ? `${publicUrl}/stations/${i.station_id}`
    : `${publicUrl}/stations?siteId=${encodeURIComponent(i.site_id)}`;

interface Row {
  channel: Channel;
  userId: string | null;
  webhookId: string | null;
  address: string;
  subject: string;
  body: string;
  html: string | null;
  nextAttemptAt: Date;
}

export async function queueNotifications(
  tx: Tx,
  deps: { publicUrl: string },
  rule: RuleRow,
  incidentId: string,
  q: QueueStep,
  now: Date,
): Promise<number> {
  const { rows: found } = await tx.query<IncidentContextRow>(
    `SELECT i.id, i.tenant_id, i.site_id, i.station_id, i.title, i.severity, i.since, i.resolved_at,
            i.escalation_level, i.details, si.name AS site_name, ci.name AS city_name
       FROM incidents i JOIN sites si ON si.id = i.site_id LEFT JOIN cities ci ON ci.id = si.city_id
      WHERE i.id = $1`,
    [incidentId],
  );
  const incident = found[0];
  if (!incident) return 0;
  const ctx: MessageContext = {
    title: incident.title,
    severity: incident.severity,
    siteName: incident.site_name,
    cityName: incident.city_name,
    since: incident.since,
    resolvedAt: incident.resolved_at,
    link: incidentLink(deps.publicUrl, incident),
    escalationLevel: incident.escalation_level,
    escalationAfterMinutes: rule.escalation_after_minutes,
    details: incident.details,
  };

  let userIds: string[];
  /** Recovery: each person hears on the channels they were told on (not those superseded). */
  let toldOn: Map<string, Channel[]> | null = null;
  if (q.reason === 'recovered') {
    const { rows } = await tx.query<{ user_id: string; channels: Channel[] }>(
      `SELECT user_id, array_agg(DISTINCT channel) AS channels FROM notifications
        WHERE incident_id = $1 AND user_id IS NOT NULL AND reason IN ('opened', 'escalated')
          AND NOT (status = 'failed' AND last_error LIKE '${SUPERSEDED}%')
        GROUP BY user_id`,
      [incidentId],
    );
    toldOn = new Map(rows.map((r) => [r.user_id, r.channels]));
    userIds = [...toldOn.keys()];
  } else {
    const chain = await escalationChain(tx, rule, { siteId: incident.site_id });
    userIds = chain[q.step] ?? [];
  }

  const rows: Row[] = [];
  for (const contact of await contactsOf(tx, rule.tenant_id, userIds)) {
    const message = composeMessage(ctx, q.reason, contact.timeZone, now);
    // Quiet hours hold non-critical SMS and e-mail; in-app is silent anyway.
    const held = incident.severity === 'critical' ? null : quietUntil(now, contact.quiet, contact.timeZone);
    const wanted = rule.channels.filter(
      (c): c is PersonalChannel =>
        c !== 'webhook' && contact.channels.includes(c) && (toldOn?.get(contact.userId)?.includes(c) ?? true),
    );
    for (const channel of wanted) {
      if (channel === 'sms' && !contact.phone) continue;
      rows.push({
        channel,
        userId: contact.userId,
        webhookId: null,
        address: channel === 'sms' ? contact.phone! : channel === 'email' ? contact.email : contact.userId,
        subject: message.subject,
        body: channel === 'sms' ? message.sms : message.text,
        html: channel === 'email' ? message.html : null,
        nextAttemptAt: channel !== 'in_app' && held ? held : now,
      });
    }
  }
  if (rule.channels.includes('webhook')) {
    const { rows: hooks } = await tx.query<{ id: string; url: string }>(
      'SELECT id, url FROM alert_webhooks WHERE tenant_id = $1 AND enabled',
      [rule.tenant_id],
    );
    const message = composeMessage(ctx, q.reason, 'UTC', now);
    for (const hook of hooks) {
      rows.push({
        channel: 'webhook',
        userId: null,
        webhookId: hook.id,
        address: hook.url,
        subject: message.subject,
        body: JSON.stringify({
          event: `incident.${q.reason}`,
          incidentId,
          ruleId: rule.id,
          kind: rule.kind,
          severity: incident.severity,
          title: incident.title,
          siteId: incident.site_id,
          siteName: incident.site_name,
          stationId: incident.station_id,
          since: incident.since.toISOString(),
          escalationLevel: incident.escalation_level,
          link: ctx.link,
          text: message.sms,
          details: incident.details,
        }),
        html: null,
        nextAttemptAt: now,
      });
    }
  }
  if (rows.length === 0) return 0;

  const reason = q.reason === 'flapping' ? 'opened' : q.reason;
  const { rowCount } = await tx.query(
    `INSERT INTO notifications (tenant_id, incident_id, reason, channel, user_id, webhook_id, address, subject,
                                body, html, severity, idempotency_key, next_attempt_at, created_at)
     SELECT $1, $2, $3, channel, user_id, webhook_id, address, subject, body, html, $4, key, next_at, $5
       FROM unnest($6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[],
                   $13::text[], $14::timestamptz[])
            AS u(channel, user_id, webhook_id, address, subject, body, html, key, next_at)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [
      rule.tenant_id,
      incidentId,
      reason,
      incident.severity,
      now,
      rows.map((r) => r.channel),
      rows.map((r) => r.userId),
      rows.map((r) => r.webhookId),
      rows.map((r) => r.address),
      rows.map((r) => r.subject),
      rows.map((r) => r.body),
      rows.map((r) => r.html),
      rows.map((r) =>
        JSON.stringify([incidentId, q.reason, q.step, q.round, r.channel, r.userId ?? r.webhookId]),
      ),
      rows.map((r) => r.nextAttemptAt),
    ],
  );
  if ((rowCount ?? 0) > 0) {
    await tx.query('UPDATE incidents SET last_notified_at = $2 WHERE id = $1', [incidentId, now]);
  }
  return rowCount ?? 0;
}
