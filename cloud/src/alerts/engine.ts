/**
 * The incident lifecycle in one transaction per rule: findings open (or reopen) incidents, targets
 * that no longer match resolve automatically, unacknowledged incidents escalate. Every notification
 * is queued in the outbox in the same transaction, under an idempotency key, so evaluating twice
 * (a redelivered event, two cloud processes) never opens a second incident or queues twice.
 */
import type { Tx } from '../db/pool.js';
import { evaluateRule, targetKey, type Finding } from './conditions.js';
import { queueNotifications, supersedeHeld } from './outbox.js';
import { escalationChain } from './recipients.js';
import type { RuleRow } from './rule-row.js';

/** JSON with sorted keys: jsonb does not keep the key order a finding was written with. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

/** Reopenings within the cooldown after which an incident counts as flapping and goes quiet. */
export const FLAP_LIMIT = 3;

export interface EngineDeps {
  publicUrl: string;
}

interface OpenIncident {
  id: string;
  site_id: string;
  station_id: string | null;
  evse_id: number | null;
  connector_id: number | null;
  title: string;
  details: Record<string, unknown>;
  flap_count: number;
}

/** Evaluates one rule at `now` and reconciles its incidents; returns the incidents that changed. */
export async function evaluateAndReconcile(
  tx: Tx,
  deps: EngineDeps,
  rule: RuleRow,
  now: Date,
): Promise<string[]> {
  const findings = await evaluateRule(tx, rule, now);
  const { rows: open } = await tx.query<OpenIncident>(
    `SELECT id, site_id, station_id, evse_id, connector_id, title, details, flap_count
       FROM incidents WHERE rule_id = $1 AND status <> 'resolved' FOR UPDATE`,
    [rule.id],
  );
  const openByTarget = new Map(
    open.map((i) => [
      targetKey({
        siteId: i.site_id,
        stationId: i.station_id,
        evseId: i.evse_id,
        connectorId: i.connector_id,
      }),
      i,
    ]),
  );
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const key = targetKey(f);
    seen.add(key);
    const existing = openByTarget.get(key);
    if (existing) {
      if (existing.title !== f.title || canonical(existing.details) !== canonical(f.details)) {
        await tx.query('UPDATE incidents SET title = $2, details = $3, updated_at = $4 WHERE id = $1', [
          existing.id,
          f.title,
          JSON.stringify(f.details),
          now,
        ]);
        changed.push(existing.id);
      }
      continue;
    }
    const id = await openOrReopen(tx, deps, rule, f, now);
    if (id) changed.push(id);
  }
  for (const [key, incident] of openByTarget) {
    if (seen.has(key)) continue;
    await autoResolve(tx, deps, rule, incident, now);
    changed.push(incident.id);
  }
  await tx.query(
    `UPDATE alert_rules SET last_evaluated_at = $2, evaluations = evaluations + 1 WHERE id = $1`,
    [rule.id, now],
  );
  return changed;
}

async function openOrReopen(
  tx: Tx,
  deps: EngineDeps,
  rule: RuleRow,
  f: Finding,
  now: Date,
): Promise<string | null> {
  const { rows: last } = await tx.query<{
    id: string;
    auto_resolved: boolean;
    resolved_at: Date;
    flap_count: number;
  }>(
    `SELECT id, auto_resolved, resolved_at, flap_count FROM incidents
      WHERE rule_id = $1 AND site_id = $2 AND station_id IS NOT DISTINCT FROM $3
        AND evse_id IS NOT DISTINCT FROM $4 AND connector_id IS NOT DISTINCT FROM $5 AND status = 'resolved'
      ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE`,
    [rule.id, f.siteId, f.stationId, f.evseId, f.connectorId],
  );
  const previous = last[0];
  if (previous && !previous.auto_resolved && previous.resolved_at >= (f.latestAt ?? f.since)) {
    // A person resolved this occurrence of the condition; a new occurrence opens a new incident.
    return null;
  }
  if (
    previous?.auto_resolved &&
    now.getTime() - previous.resolved_at.getTime() < rule.cooldown_minutes * 60_000
  ) {
    const flaps = previous.flap_count + 1;
    await tx.query(
      `UPDATE incidents SET status = 'open', resolved_at = NULL, resolved_by = NULL, auto_resolved = false,
              acknowledged_at = NULL, acknowledged_by = NULL, escalation_level = 0,
              -- The escalation timer starts again from the reopening.
              escalated_at = $5, flap_count = $2, title = $3, details = $4, updated_at = $5
        WHERE id = $1`,
      [previous.id, flaps, f.title, JSON.stringify(f.details), now],
    );
    await tx.query(
      `INSERT INTO incident_events (incident_id, at, type, details) VALUES ($1, $2, 'reopened', $3)`,
      [previous.id, now, JSON.stringify({ flapCount: flaps })],
    );
    if (flaps < FLAP_LIMIT) {
      await queueNotifications(tx, deps, rule, previous.id, { reason: 'opened', step: 0, round: flaps }, now);
    } else if (flaps === FLAP_LIMIT) {
      await queueNotifications(
        tx,
        deps,
        rule,
        previous.id,
        { reason: 'flapping', step: 0, round: flaps },
        now,
      );
    }
    return previous.id;
  }
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO incidents (tenant_id, rule_id, kind, severity, site_id, station_id, evse_id, connector_id,
                            title, details, since, opened_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     ON CONFLICT (rule_id, site_id, station_id, evse_id, connector_id) WHERE status <> 'resolved' DO NOTHING
     RETURNING id`,
    [
      rule.tenant_id,
      rule.id,
      rule.kind,
      rule.severity,
      f.siteId,
      f.stationId,
      f.evseId,
      f.connectorId,
      f.title,
      JSON.stringify(f.details),
      f.since,
      now,
    ],
  );
  const id = rows[0]?.id;
  if (!id) return null;
  await tx.query(
    `INSERT INTO incident_events (incident_id, at, type, details) VALUES ($1, $2, 'opened', $3)`,
    [id, now, JSON.stringify({ since: f.since.toISOString() })],
  );
  await queueNotifications(tx, deps, rule, id, { reason: 'opened', step: 0, round: 0 }, now);
  return id;
}

async function autoResolve(tx: Tx, deps: EngineDeps, rule: RuleRow, incident: OpenIncident, now: Date) {
  await tx.query(
    `UPDATE incidents SET status = 'resolved', resolved_at = $2, auto_resolved = true, updated_at = $2
      WHERE id = $1`,
    [incident.id, now],
  );
  await tx.query(
    `INSERT INTO incident_events (incident_id, at, type, details) VALUES ($1, $2, 'auto_resolved', '{}')`,
    [incident.id, now],
  );
  await supersedeHeld(tx, incident.id, now);
  if (rule.notify_on_recovery && incident.flap_count < FLAP_LIMIT) {
    await queueNotifications(
      tx,
      deps,
      rule,
      incident.id,
      { reason: 'recovered', step: 0, round: incident.flap_count },
      now,
    );
  }
}

/**
 * Escalates the rule's unacknowledged incidents, one step per `escalation_after_minutes`. Called with
 * the rule claimed; SKIP LOCKED leaves an incident a person is acknowledging right now alone.
 */
export async function escalateDue(tx: Tx, deps: EngineDeps, now: Date, ruleId: string): Promise<string[]> {
  const { rows } = await tx.query<{
    id: string;
    escalation_level: number;
    flap_count: number;
    rule_id: string;
    site_id: string;
  }>(
    `SELECT i.id, i.escalation_level, i.flap_count, i.rule_id, i.site_id
       FROM incidents i JOIN alert_rules r ON r.id = i.rule_id
      WHERE i.status = 'open' AND r.escalation_after_minutes IS NOT NULL
        AND i.rule_id = $2
        AND coalesce(i.escalated_at, i.opened_at) + make_interval(mins => r.escalation_after_minutes) <= $1
      ORDER BY i.opened_at
      LIMIT 100
        FOR UPDATE OF i SKIP LOCKED`,
    [now, ruleId],
  );
  const changed: string[] = [];
  for (const incident of rows) {
    const rule = await ruleById(tx, incident.rule_id);
    if (!rule) continue;
    const chain = await escalationChain(tx, rule, { siteId: incident.site_id });
    const next = incident.escalation_level + 1;
    if (next >= chain.length) {
      // Nobody left to escalate to: look again only after another period.
      await tx.query('UPDATE incidents SET escalated_at = $2 WHERE id = $1', [incident.id, now]);
      continue;
    }
    await tx.query(
      `UPDATE incidents SET escalation_level = $2, escalated_at = $3, updated_at = $3 WHERE id = $1`,
      [incident.id, next, now],
    );
    await tx.query(
      `INSERT INTO incident_events (incident_id, at, type, details) VALUES ($1, $2, 'escalated', $3)`,
      [incident.id, now, JSON.stringify({ level: next, recipients: chain[next]!.length })],
    );
    await queueNotifications(
      tx,
      deps,
      rule,
      incident.id,
      { reason: 'escalated', step: next, round: incident.flap_count },
      now,
    );
    changed.push(incident.id);
  }
  return changed;
}

async function ruleById(tx: Tx, id: string): Promise<RuleRow | null> {
  const { rows } = await tx.query<RuleRow>('SELECT * FROM alert_rules WHERE id = $1', [id]);
  return rows[0] ?? null;
}
