/**
 * The alert scheduler: evaluates every enabled rule once per interval and escalates its
 * unacknowledged incidents. Safe with several cloud processes: a rule is claimed with FOR UPDATE SKIP LOCKED and
 * its next evaluation time is moved on in the same transaction, so one tick evaluates it once in the
 * whole cluster. Ingest effects `kick` the rules of the tenants they touch, so a reconnect resolves
 * its incident within a second instead of at the next interval.
 */
import { withTransaction, type Db } from '../db/pool.js';
import { escalateDue, type EngineDeps } from './engine.js';
import { evaluateAndReconcile } from './engine.js';
import { RULE_COLUMNS, type RuleRow } from './rule-row.js';

/** Maintenance counters sum a station's sessions and change slowly: evaluated every 15 minutes. */
const SLOW_KIND_INTERVAL_MS = 15 * 60_000;

export interface SchedulerDeps extends EngineDeps {
  db: Db;
  now: () => Date;
  /** How often each rule is evaluated (default 30 s). */
  intervalMs: number;
  /** Incidents that changed, after their transaction committed. */
  onChanged: (incidentIds: string[]) => Promise<void>;
  onError: (error: unknown, ruleId?: string) => void;
}

export interface TickResult {
  /** Rules this process evaluated in this tick. */
  evaluated: string[];
  changed: string[];
}

export interface Scheduler {
  tick(): Promise<TickResult>;
  /** Makes the enabled rules of these tenants due now (after ingest effects). */
  kick(tenantIds: readonly string[]): Promise<void>;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const evaluateNext = (now: Date) =>
    withTransaction(deps.db, async (tx) => {
      const { rows } = await tx.query<RuleRow>(
        `SELECT ${RULE_COLUMNS} FROM alert_rules r
          WHERE r.enabled AND r.next_evaluation_at <= $1
          ORDER BY r.next_evaluation_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const rule = rows[0];
      if (!rule) return null;
      await tx.query(
        `UPDATE alert_rules SET next_evaluation_at = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
          WHERE id = $1`,
        [
          rule.id,
          now,
          rule.kind === 'maintenance_due'
            ? Math.max(deps.intervalMs, SLOW_KIND_INTERVAL_MS)
            : deps.intervalMs,
        ],
      );
      try {
        await tx.query('SAVEPOINT evaluation');
        const changed = await evaluateAndReconcile(tx, deps, rule, now);
        // Escalation under the same rule lock: one lock order (rule, then its incidents) everywhere.
        changed.push(...(await escalateDue(tx, deps, now, rule.id)));
        return { ruleId: rule.id, changed };
      } catch (error) {
        // A broken rule must not stop the others; it is retried at its next interval.
        await tx.query('ROLLBACK TO SAVEPOINT evaluation');
        deps.onError(error, rule.id);
        return { ruleId: rule.id, changed: [] };
      }
    });

  return {
    async tick() {
      const now = deps.now();
      const evaluated: string[] = [];
      const changed = new Set<string>();
      for (;;) {
        const result = await evaluateNext(now);
        if (!result) break;
        evaluated.push(result.ruleId);
        for (const id of result.changed) changed.add(id);
      }
      if (changed.size > 0) await deps.onChanged([...changed]);
      return { evaluated, changed: [...changed] };
    },
    async kick(tenantIds) {
      if (tenantIds.length === 0) return;
      await deps.db.query(
        // SKIP LOCKED: the ingest never waits for a rule being evaluated (its next interval catches up).
        `UPDATE alert_rules SET next_evaluation_at = '-infinity'
          WHERE id IN (SELECT id FROM alert_rules
                        WHERE tenant_id = ANY($1::uuid[]) AND enabled AND next_evaluation_at > '-infinity'
                          FOR UPDATE SKIP LOCKED)`,
        [tenantIds],
      );
    },
  };
}
