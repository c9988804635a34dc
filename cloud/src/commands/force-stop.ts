/**
 * Force-stop (support tool): ends a charging session an operator cannot end normally. While the
 * station is online it is asked to stop (remote_stop); when it is offline, or its edge agent answers
 * offline or timeout, the session is closed in the cloud as `stopped_by_operator`, with the energy the
 * received samples account for, and flagged with who did it and why. A later `session.ended` from
 * the station still completes it with the real stop reading.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { withTransaction, type Db } from '../db/pool.js';
import {
  computeSessionEnergyWh,
  INTERVAL_MEASURAND,
  REGISTER_MEASURAND,
  type EnergyReading,
} from '../energy/session-energy.js';
import type { Scope } from '../stations/queries.js';
import { settleSession } from '../billing/session-cost.js';
import type { CommandActor, CommandRun, RunCommand } from './command-service.js';
import type { CommandTarget } from './command-store.js';

export const FORCE_STOP_ACTIONS = ['remote_stop', 'closed_in_cloud', 'none'] as const;
export type ForceStopAction = (typeof FORCE_STOP_ACTIONS)[number];

export interface ForceStopResult {
  sessionId: string;
  action: ForceStopAction;
  command: CommandRun | null;
  session: { status: string; endedAt: string | null; energyWh: number | null };
}

export class ForceStopError extends Error {
  constructor(
    readonly code: 'session.not_found' | 'session.not_active',
    message: string,
  ) {
    super(message);
    this.name = 'ForceStopError';
  }
}

interface SessionRow {
  id: string;
  status: string;
  transactionId: string;
  endedAt: Date | null;
  energyWh: number | null;
  target: CommandTarget;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createForceStop(deps: { db: Db; run: RunCommand; audit: AuditLog }) {
  async function find(scope: Scope, sessionId: string): Promise<SessionRow | null> {
    if (!UUID.test(sessionId)) return null;
    const { rows } = await deps.db.query<Omit<SessionRow, 'target'> & CommandTarget>(
      `SELECT s.id, s.status, s.transaction_id AS "transactionId", s.ended_at AS "endedAt",
              s.energy_wh AS "energyWh", st.id AS "stationId", st.identity AS "stationIdentity",
              si.code AS "siteCode", st.online
         FROM sessions s JOIN stations st ON st.id = s.station_id JOIN sites si ON si.id = st.site_id
        WHERE s.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)
          AND s.id = $4`,
      [scope.tenantId, scope.siteId, scope.cityId, sessionId],
    );
    const r = rows[0];
    if (!r) return null;
    const { stationId, stationIdentity, siteCode, online, ...session } = r;
    return { ...session, target: { stationId, stationIdentity, siteCode, online } };
  }

  async function closeInCloud(actor: CommandActor, sessionId: string, reason: string) {
    return withTransaction(deps.db, async (tx) => {
      const { rows } = await tx.query<{
        station_id: string;
        transaction_id: string;
        started_at: Date | null;
        meter_start_wh: number | null;
        status: string;
      }>(
        'SELECT station_id, transaction_id, started_at, meter_start_wh, status FROM sessions WHERE id = $1 FOR UPDATE',
        [sessionId],
      );
      const row = rows[0];
      if (!row || row.status !== 'active') return null;
      // Every sample received for the transaction: the same function as the final report uses.
      const samples = await tx.query<{
        at: Date;
        measurand: string;
        value: number;
        phase: string;
        location: string;
      }>(
        `SELECT at, measurand, value, phase, location FROM meter_samples
          WHERE station_id = $1 AND transaction_id = $2 AND measurand = ANY($3::text[]) AND unit = 'Wh'`,
        [row.station_id, row.transaction_id, [REGISTER_MEASURAND, INTERVAL_MEASURAND]],
      );
      const readings: EnergyReading[] = samples.rows.map((r) => ({
        at: r.at.toISOString(),
        measurand: r.measurand,
        valueWh: r.value,
        phase: r.phase,
        location: r.location,
      }));
      const energyWh = computeSessionEnergyWh({
        startedAt: row.started_at?.toISOString() ?? null,
        meterStartWh: row.meter_start_wh,
        endedAt: null,
        meterStopWh: null,
        readings,
      });
      const updated = await tx.query<{ ended_at: Date }>(
        `UPDATE sessions SET status = 'stopped_by_operator', ended_at = now(), energy_wh = $2,
                stop_reason = 'force_stop', force_stopped_at = now(), force_stopped_by = $3,
                force_stop_reason = $4, updated_at = now()
          WHERE id = $1 RETURNING ended_at`,
        [sessionId, energyWh, actor.userId, reason],
      );
      await settleSession(tx, sessionId);
      return { endedAt: updated.rows[0]!.ended_at, energyWh };
    });
  }

  return async function forceStop(
    actor: CommandActor,
    scope: Scope,
    sessionId: string,
    reason: string,
  ): Promise<ForceStopResult> {
    const session = await find(scope, sessionId);
    if (!session) throw new ForceStopError('session.not_found', 'no session with this id in your scope');
    if (session.status !== 'active') {
      throw new ForceStopError('session.not_active', `the session is already ${session.status}`);
    }

    let command: CommandRun | null = null;
    if (session.target.online) {
      command = await deps.run(actor, session.target, {
        type: 'remote_stop',
        transactionId: session.transactionId,
      });
    }
    const unreachable = command === null || command.outcome === 'offline' || command.outcome === 'timeout';
    let action: ForceStopAction =
      command?.outcome === 'accepted' || command?.outcome === 'scheduled' ? 'remote_stop' : 'none';
    let state = { status: session.status, endedAt: session.endedAt, energyWh: session.energyWh };
    if (unreachable) {
      const closed = await closeInCloud(actor, session.id, reason);
      if (closed) {
        action = 'closed_in_cloud';
        state = { status: 'stopped_by_operator', ...closed };
      }
    }
    await deps.audit.record({
      actor,
      action: 'session.force_stopped',
      target: { type: 'session', id: session.id },
      details: {
        reason,
        action,
        stationId: session.target.stationId,
        stationIdentity: session.target.stationIdentity,
        transactionId: session.transactionId,
        commandId: command?.id ?? null,
        commandOutcome: command?.outcome ?? null,
        energyWh: state.energyWh,
      },
    });
    return {
      sessionId: session.id,
      action,
      command,
      session: {
        status: state.status,
        endedAt: state.endedAt?.toISOString() ?? null,
        energyWh: state.energyWh,
      },
    };
  };
}

export type ForceStop = ReturnType<typeof createForceStop>;
