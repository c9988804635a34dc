/**
 * State projections applied in the ingest transaction, one event at a time. Every projected value
 * remembers the (ordering time, seq) of the event that set it and is only replaced by a later one, so
 * redelivered, late or reordered events never move state backwards. The caller holds row locks on
 * the event's station (taken in a fixed order), which serialises concurrent ingest consumers.
 */
import type { Envelope, EventOf } from '@voltmesh/contract';
import type { Tx } from '../db/pool.js';
import { computeSessionEnergyWh, INTERVAL_MEASURAND, REGISTER_MEASURAND } from '../energy/session-energy.js';
import { loadSessionReadings } from '../energy/session-readings.js';
import { assignTariff, settleSession } from '../billing/session-cost.js';
import { summarizeEvent, type ActivityKind } from '../stations/event-summary.js';
import type { BatchEffects } from './effects.js';
import { MAX_CLOCK_AHEAD_MS, orderingTime } from './ordering.js';

export interface ProjectionTarget {
  tenantId: string;
  siteId: string;
  stationId: string | null;
}

interface Ctx extends ProjectionTarget {
  tx: Tx;
  env: Envelope;
  /** `orderingTime(env)`: what the guards compare. */
  at: string;
  fx: BatchEffects;
}

/** `(col_at, col_seq) < ($at, $seq)` with "never set" counting as older. */
const newer = (col: string, at: string, seq: string) =>
  `(${col}_at IS NULL OR (${col}_at, ${col}_seq) < (${at}::timestamptz, ${seq}::bigint))`;

export async function project(
  tx: Tx,
  env: Envelope,
  target: ProjectionTarget,
  fx: BatchEffects,
): Promise<void> {
  const ctx: Ctx = { ...target, tx, env, at: orderingTime(env), fx };
  fx.tenants.add(target.tenantId);
  const e = env.event;
  if (e.type === 'edge.status') return edgeStatus(ctx, e);
  if (ctx.stationId === null) return;
  switch (e.type) {
    case 'station.connected':
      return setOnline(ctx, true, 'connected', {
        ocpp_version: e.ocppVersion,
        security_profile: e.securityProfile,
      });
    case 'station.disconnected':
      return setOnline(ctx, false, 'disconnected', {});
    case 'station.heartbeat':
      return setOnline(ctx, true, null, {});
    case 'station.booted':
      return booted(ctx, e);
    case 'connector.status':
      return connectorStatus(ctx, e);
    case 'session.started':
      return sessionStarted(ctx, e);
    case 'session.updated':
      return sessionUpdated(ctx, e);
    case 'session.ended':
      return sessionEnded(ctx, e);
    case 'meter.samples':
      return meterSamples(ctx, e);
    default:
      // token.authorized, firmware/diagnostics status, security events and records are kept in
      // station_events (recent events) and have no projection yet.
      return;
  }
}

function activity(ctx: Ctx, kind: ActivityKind): void {
  ctx.fx.activities.push({
    tenantId: ctx.tenantId,
    stationId: ctx.stationId!,
    at: ctx.at,
    kind,
    text: summarizeEvent(ctx.env.event),
  });
}

async function setOnline(
  ctx: Ctx,
  online: boolean,
  kind: ActivityKind | null,
  extra: { ocpp_version?: string; security_profile?: number },
): Promise<void> {
  const { rows } = await ctx.tx.query<{ was_online: boolean }>(
    `UPDATE stations s
        SET online = $4, online_at = $2, online_seq = $3,
            ocpp_version = coalesce($5, s.ocpp_version),
            security_profile = coalesce($6, s.security_profile)
       FROM (SELECT online AS was_online FROM stations WHERE id = $1) p
      WHERE s.id = $1 AND ${newer('s.online', '$2', '$3')}
      RETURNING p.was_online`,
    [ctx.stationId, ctx.at, ctx.env.seq, online, extra.ocpp_version ?? null, extra.security_profile ?? null],
  );
  const row = rows[0];
  if (!row) return;
  if (row.was_online !== online || extra.ocpp_version !== undefined)
    ctx.fx.changedStations.add(ctx.stationId!);
  if (kind !== null) activity(ctx, kind);
}

async function booted(ctx: Ctx, e: EventOf<'station.booted'>): Promise<void> {
  const { rowCount } = await ctx.tx.query(
    `UPDATE stations s
        SET vendor = $4, model = $5, serial_number = $6, firmware_version = $7,
            registration_status = $8, heartbeat_interval_s = $9, boot_at = $2, boot_seq = $3
      WHERE s.id = $1 AND ${newer('s.boot', '$2', '$3')}`,
    [
      ctx.stationId,
      ctx.at,
      ctx.env.seq,
      e.vendor,
      e.model,
      e.serialNumber,
      e.firmwareVersion,
      e.registration,
      e.heartbeatIntervalS,
    ],
  );
  if (rowCount) {
    ctx.fx.changedStations.add(ctx.stationId!);
    activity(ctx, 'booted');
  }
  await setOnline(ctx, true, null, {});
}

async function connectorStatus(ctx: Ctx, e: EventOf<'connector.status'>): Promise<void> {
  const { rows: before } = await ctx.tx.query<{ status: string }>(
    'SELECT status FROM connectors WHERE station_id = $1 AND evse_id = $2 AND connector_id = $3',
    [ctx.stationId, e.evseId, e.connectorId],
  );
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO connectors AS c (station_id, evse_id, connector_id, status, raw_status, error_code,
                                  vendor_error_code, info, status_at, status_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE
        SET status = EXCLUDED.status, raw_status = EXCLUDED.raw_status, error_code = EXCLUDED.error_code,
            vendor_error_code = EXCLUDED.vendor_error_code, info = EXCLUDED.info,
            status_at = EXCLUDED.status_at, status_seq = EXCLUDED.status_seq
      WHERE ${newer('c.status', 'EXCLUDED.status_at', 'EXCLUDED.status_seq')}`,
    [
      ctx.stationId,
      e.evseId,
      e.connectorId,
      e.status,
      e.rawStatus,
      e.errorCode,
      e.vendorErrorCode,
      e.info,
      ctx.at,
      ctx.env.seq,
    ],
  );
  if (!rowCount) return;
  ctx.fx.changedStations.add(ctx.stationId!);
  if (before[0]?.status !== e.status) activity(ctx, 'status');
}

async function setCurrentSession(ctx: Ctx, evseId: number, connectorId: number, txId: string | null) {
  await ctx.tx.query(
    `INSERT INTO connectors AS c (station_id, evse_id, connector_id, current_transaction_id, session_at, session_seq)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE
        SET current_transaction_id = EXCLUDED.current_transaction_id,
            session_at = EXCLUDED.session_at, session_seq = EXCLUDED.session_seq
      WHERE ${newer('c.session', 'EXCLUDED.session_at', 'EXCLUDED.session_seq')}`,
    [ctx.stationId, evseId, connectorId, txId, ctx.at, ctx.env.seq],
  );
}

interface SessionRow {
  id: string;
  station_id: string;
  transaction_id: string;
  started_at: Date | null;
  ended_at: Date | null;
  meter_start_wh: number | null;
  meter_stop_wh: number | null;
  evse_id: number | null;
  connector_id: number | null;
}

const SESSION_COLUMNS =
  'id, station_id, transaction_id, started_at, ended_at, meter_start_wh, meter_stop_wh, evse_id, connector_id';
const SESSION_RETURNING = `RETURNING ${SESSION_COLUMNS}`;

/**
 * The live energy is the final report's energy: `computeSessionEnergyWh` over every stored reading
 * of the transaction (this batch's samples are already inserted), so a reset or a late batch gives
 * the same number live as at the end, whatever the arrival order.
 */
/** Recomputes the session's energy; returns the readings it read (the final report reuses them). */
async function updateEnergy(ctx: Ctx, row: SessionRow | undefined) {
  if (!row) return undefined;
  const readings = await loadSessionReadings(ctx.tx, row.station_id, row.transaction_id);
  const energyWh = computeSessionEnergyWh({
    startedAt: row.started_at?.toISOString() ?? null,
    meterStartWh: row.meter_start_wh,
    endedAt: row.ended_at?.toISOString() ?? null,
    meterStopWh: row.meter_stop_wh,
    readings,
  });
  await ctx.tx.query('UPDATE sessions SET energy_wh = $2 WHERE id = $1', [row.id, energyWh]);
  return readings;
}

async function sessionStarted(ctx: Ctx, e: EventOf<'session.started'>): Promise<void> {
  // The status is left alone on conflict: an `ended` that arrived first keeps the session completed.
  const { rows } = await ctx.tx.query<SessionRow>(
    `INSERT INTO sessions AS s (tenant_id, station_id, evse_id, connector_id, transaction_id, id_token,
                                id_token_type, started_at, meter_start_wh)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (station_id, transaction_id) DO UPDATE
        SET evse_id = EXCLUDED.evse_id, connector_id = EXCLUDED.connector_id,
            id_token = coalesce(s.id_token, EXCLUDED.id_token),
            id_token_type = coalesce(s.id_token_type, EXCLUDED.id_token_type),
            started_at = EXCLUDED.started_at, meter_start_wh = EXCLUDED.meter_start_wh, updated_at = now()
     ${SESSION_RETURNING}`,
    [
      ctx.tenantId,
      ctx.stationId,
      e.evseId,
      e.connectorId,
      e.transactionId,
      e.idToken?.id ?? null,
      e.idToken?.type ?? null,
      ctx.env.occurredAt,
      e.meterStartWh,
    ],
  );
  const readings = await updateEnergy(ctx, rows[0]);
  // The tariff version the session keeps; a stop that arrived first means the report is due now.
  const started = rows[0];
  if (started)
    await (started.ended_at ? settleSession(ctx.tx, started.id, readings) : assignTariff(ctx.tx, started.id));
  await setCurrentSession(ctx, e.evseId, e.connectorId, e.transactionId);
  ctx.fx.changedStations.add(ctx.stationId!);
  activity(ctx, 'session_started');
}

async function sessionUpdated(ctx: Ctx, e: EventOf<'session.updated'>): Promise<void> {
  await ctx.tx.query(
    `INSERT INTO sessions AS s (tenant_id, station_id, transaction_id, id_token, id_token_type, charging_state)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (station_id, transaction_id) DO UPDATE
        SET charging_state = coalesce(EXCLUDED.charging_state, s.charging_state),
            id_token = coalesce(EXCLUDED.id_token, s.id_token),
            id_token_type = coalesce(EXCLUDED.id_token_type, s.id_token_type), updated_at = now()`,
    [
      ctx.tenantId,
      ctx.stationId,
      e.transactionId,
      e.idToken?.id ?? null,
      e.idToken?.type ?? null,
      e.chargingState,
    ],
  );
}

async function sessionEnded(ctx: Ctx, e: EventOf<'session.ended'>): Promise<void> {
  const { rows } = await ctx.tx.query<SessionRow>(
    `INSERT INTO sessions AS s (tenant_id, station_id, transaction_id, id_token, id_token_type, ended_at,
                                meter_stop_wh, stop_reason, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'completed')
     ON CONFLICT (station_id, transaction_id) DO UPDATE
        SET ended_at = EXCLUDED.ended_at, meter_stop_wh = EXCLUDED.meter_stop_wh,
            stop_reason = EXCLUDED.stop_reason,
            -- A disputed session stays disputed when its stop is replayed.
            status = CASE WHEN s.status = 'disputed' THEN s.status ELSE 'completed' END,
            id_token = coalesce(s.id_token, EXCLUDED.id_token),
            id_token_type = coalesce(s.id_token_type, EXCLUDED.id_token_type), updated_at = now()
     ${SESSION_RETURNING}`,
    [
      ctx.tenantId,
      ctx.stationId,
      e.transactionId,
      e.idToken?.id ?? null,
      e.idToken?.type ?? null,
      ctx.env.occurredAt,
      e.meterStopWh,
      e.reason,
    ],
  );
  const row = rows[0];
  const readings = await updateEnergy(ctx, row);
  // The final report (cost, breakdown, ledger charge) in the same transaction as the stop.
  if (row) await settleSession(ctx.tx, row.id, readings);
  if (row?.evse_id != null && row.connector_id != null) {
    await setCurrentSession(ctx, row.evse_id, row.connector_id, null);
  }
  ctx.fx.changedStations.add(ctx.stationId!);
  activity(ctx, 'session_stopped');
}

const POWER = 'Power.Active.Import';
const REGISTER = REGISTER_MEASURAND;
const ENERGY_MEASURANDS = new Set([REGISTER_MEASURAND, INTERVAL_MEASURAND]);

async function meterSamples(ctx: Ctx, e: EventOf<'meter.samples'>): Promise<void> {
  // Only whole-connector values (no phase) feed the "last value" projections.
  const latest = (measurand: string) =>
    e.samples
      .filter((s) => s.measurand === measurand && s.phase === null)
      .reduce<(typeof e.samples)[number] | null>(
        (a, s) => (a === null || Date.parse(s.at) > Date.parse(a.at) ? s : a),
        null,
      );
  const power = latest(POWER);
  const register = latest(REGISTER);
  if (power === null && register === null) return;
  // Sample times are the meter's clock: capped like event times, so a clock far ahead cannot freeze them.
  const times = [power, register].flatMap((s) => (s === null ? [] : [Date.parse(s.at)]));
  const cap = Date.parse(ctx.env.receivedAt) + MAX_CLOCK_AHEAD_MS;
  const at = new Date(Math.min(Math.max(...times), cap)).toISOString();
  await ctx.tx.query(
    `INSERT INTO connectors AS c (station_id, evse_id, connector_id, power_w, energy_register_wh, meter_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE
        SET power_w = coalesce(EXCLUDED.power_w, c.power_w),
            energy_register_wh = coalesce(EXCLUDED.energy_register_wh, c.energy_register_wh),
            meter_at = EXCLUDED.meter_at
      WHERE c.meter_at IS NULL OR c.meter_at < EXCLUDED.meter_at`,
    [ctx.stationId, e.evseId, e.connectorId, power?.value ?? null, register?.value ?? null, at],
  );
  if (e.transactionId !== null && register !== null) {
    await ctx.tx.query(
      `UPDATE sessions SET last_register_wh = $3, last_register_at = $4, updated_at = now()
        WHERE station_id = $1 AND transaction_id = $2
          AND (last_register_at IS NULL OR last_register_at < $4)`,
      [
        ctx.stationId,
        e.transactionId,
        register.value,
        new Date(Math.min(Date.parse(register.at), cap)).toISOString(),
      ],
    );
  }
  if (e.transactionId !== null && e.samples.some((s) => ENERGY_MEASURANDS.has(s.measurand))) {
    // Also for a late batch (older than the last register): it can change the session's energy.
    const { rows } = await ctx.tx.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE station_id = $1 AND transaction_id = $2`,
      [ctx.stationId, e.transactionId],
    );
    const readings = await updateEnergy(ctx, rows[0]);
    // Samples arriving after the stop change the energy: the report follows.
    if (rows[0]?.ended_at) await settleSession(ctx.tx, rows[0].id, readings);
  }
  ctx.fx.meteredStations.set(ctx.stationId!, {
    tenantId: ctx.tenantId,
    stationId: ctx.stationId!,
    evseId: e.evseId,
    connectorId: e.connectorId,
    at,
    powerW: power?.value ?? null,
    energyRegisterWh: register?.value ?? null,
    transactionId: e.transactionId,
  });
}

async function edgeStatus(ctx: Ctx, e: EventOf<'edge.status'>): Promise<void> {
  await ctx.tx.query(
    `UPDATE sites SET edge_seen_at = now(),
            edge_status_at = greatest(edge_status_at, $2::timestamptz),
            edge_agent_version = CASE WHEN edge_status_at IS NULL OR edge_status_at <= $2 THEN $3 ELSE edge_agent_version END,
            edge_outbox_depth = CASE WHEN edge_status_at IS NULL OR edge_status_at <= $2 THEN $4 ELSE edge_outbox_depth END
      WHERE id = $1`,
    [ctx.siteId, ctx.env.occurredAt, e.agentVersion, e.outboxDepth],
  );
}
