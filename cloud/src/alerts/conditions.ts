/**
 * The rule catalogue's conditions: for one rule at one instant, which targets (site, station or
 * connector) are in the alerting state, since when, and the facts a crew needs. Every condition is
 * read from the projected state and the stored events with the instant passed in (never `now()`),
 * so a redelivered event changes nothing and tests can move the clock.
 */
import type { Tx } from '../db/pool.js';
import type { RuleRow } from './rule-row.js';
import type { RuleKind } from './schemas.js';

export interface Finding {
  siteId: string;
  stationId: string | null;
  evseId: number | null;
  connectorId: number | null;
  /** When the condition began. */
  since: Date;
  /**
   * For conditions made of events in a window: the newest of them. A person's resolution covers the
   * events up to then; a later event is a new occurrence.
   */
  latestAt?: Date;
  /** What, where: "CP-0042 offline" (the site is added by the message composer). */
  title: string;
  details: Record<string, unknown>;
}

/** A target's identity for deduplication (structured, never a joined string). */
export const targetKey = (t: {
  siteId: string;
  stationId: string | null;
  evseId: number | null;
  connectorId: number | null;
}): string => JSON.stringify([t.siteId, t.stationId, t.evseId, t.connectorId]);

/** Stop reasons that mean a session ended because something went wrong. */
export const ABNORMAL_STOP_REASONS = [
  'emergency_stop',
  'power_loss',
  'ground_fault',
  'overcurrent',
  'reboot',
];
/** Security events that are routine (a boot, a clock set) and never alert. */
export const ROUTINE_SECURITY_EVENTS = [
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SettingSystemTime',
  'FirmwareUpdated',
];

type Condition = (tx: Tx, rule: RuleRow, now: Date) => Promise<Finding[]>;

/** `$1` tenant, `$2` city ids, `$3` site ids, `$4` station ids, `$5` now; station `st`, site `si`. */
const STATION_SCOPE = `st.tenant_id = $1 AND (cardinality($2::uuid[]) + cardinality($3::uuid[]) + cardinality($4::uuid[]) = 0
  OR si.city_id = ANY($2::uuid[]) OR si.id = ANY($3::uuid[]) OR st.id = ANY($4::uuid[]))`;
const SITE_SCOPE = `si.tenant_id = $1 AND (cardinality($2::uuid[]) + cardinality($3::uuid[]) + cardinality($4::uuid[]) = 0
  OR si.city_id = ANY($2::uuid[]) OR si.id = ANY($3::uuid[])
  OR EXISTS (SELECT 1 FROM stations x WHERE x.site_id = si.id AND x.id = ANY($4::uuid[])))`;

const base = (rule: RuleRow, now: Date): unknown[] => [
  rule.tenant_id,
  rule.city_ids,
  rule.site_ids,
  rule.station_ids,
  now,
];
const p = (rule: RuleRow, key: string): number | null => {
  const v = rule.params[key];
  return typeof v === 'number' ? v : null;
};

interface StationRow {
  site_id: string;
  station_id: string;
  identity: string;
  evse_id?: number | null;
  connector_id?: number | null;
  since: Date;
}

const stationFinding = (r: StationRow, title: string, details: Record<string, unknown> = {}): Finding => ({
  siteId: r.site_id,
  stationId: r.station_id,
  evseId: r.evse_id ?? null,
  connectorId: r.connector_id ?? null,
  since: r.since,
  title,
  details: { identity: r.identity, ...details },
});

const stationOffline: Condition = async (tx, rule, now) => {
  // Stations of a site with an open site_unreachable incident are covered by that one incident;
  // a station whose own incident is already open keeps it (it has not recovered).
  const { rows } = await tx.query<StationRow>(
    `SELECT st.site_id, st.id AS station_id, st.identity, coalesce(st.online_at, st.last_seen_at) AS since
       FROM stations st JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND NOT st.online AND st.last_seen_at IS NOT NULL
        AND coalesce(st.online_at, st.last_seen_at) <= $5::timestamptz - make_interval(mins => $6)
        AND (NOT EXISTS (SELECT 1 FROM incidents i WHERE i.site_id = st.site_id AND i.kind = 'site_unreachable'
                           AND i.station_id IS NULL AND i.status <> 'resolved')
             OR EXISTS (SELECT 1 FROM incidents j WHERE j.rule_id = $7 AND j.station_id = st.id
                          AND j.status <> 'resolved'))`,
    [...base(rule, now), p(rule, 'durationMinutes') ?? 10, rule.id],
  );
  return rows.map((r) => stationFinding(r, `${r.identity} offline`));
};

const siteUnreachable: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<{ id: string; name: string; since: Date; stations: number }>(
    `SELECT si.id, si.name, si.edge_seen_at AS since,
            (SELECT count(*)::int FROM stations x WHERE x.site_id = si.id) AS stations
       FROM sites si
      WHERE ${SITE_SCOPE} AND si.edge_seen_at IS NOT NULL
        AND si.edge_seen_at <= $5::timestamptz - make_interval(mins => $6)`,
    [...base(rule, now), p(rule, 'durationMinutes') ?? 5],
  );
  return rows.map((r) => ({
    siteId: r.id,
    stationId: null,
    evseId: null,
    connectorId: null,
    since: r.since,
    title: `edge agent of ${r.name} unreachable`,
    details: { stations: r.stations },
  }));
};

const heartbeatMissed: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<StationRow & { heartbeat_interval_s: number }>(
    `SELECT st.site_id, st.id AS station_id, st.identity, st.last_seen_at AS since, st.heartbeat_interval_s
       FROM stations st JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND st.online AND st.heartbeat_interval_s IS NOT NULL
        AND st.last_seen_at <= $5::timestamptz - make_interval(secs => st.heartbeat_interval_s * $6)`,
    [...base(rule, now), p(rule, 'missedIntervals') ?? 3],
  );
  return rows.map((r) =>
    stationFinding(r, `${r.identity} missed its heartbeats`, { heartbeatIntervalS: r.heartbeat_interval_s }),
  );
};

const connectorFaulted: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<
    StationRow & { error_code: string | null; vendor_error_code: string | null; info: string | null }
  >(
    `SELECT st.site_id, st.id AS station_id, st.identity, c.evse_id, c.connector_id, c.status_at AS since,
            c.error_code, c.vendor_error_code, c.info
       FROM connectors c JOIN stations st ON st.id = c.station_id JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND c.status = 'faulted' AND c.status_at IS NOT NULL
        AND c.status_at <= $5::timestamptz - make_interval(mins => $6)`,
    [...base(rule, now), p(rule, 'durationMinutes') ?? 0],
  );
  return rows.map((r) => {
    const code = [r.error_code, r.vendor_error_code].filter((c) => c && c !== 'NoError').join(' / ');
    return stationFinding(r, `${r.identity} connector ${r.evse_id} faulted${code ? ` (${code})` : ''}`, {
      errorCode: r.error_code,
      vendorErrorCode: r.vendor_error_code,
      info: r.info,
    });
  });
};

const faultBurst: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<StationRow & { faults: number; latest: Date }>(
    `SELECT st.site_id, st.id AS station_id, st.identity, min(e.occurred_at) AS since, max(e.occurred_at) AS latest,
            count(*)::int AS faults
       FROM station_events e JOIN stations st ON st.id = e.station_id JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND e.type = 'connector.status' AND e.payload->>'status' = 'faulted'
        AND e.occurred_at > $5::timestamptz - make_interval(mins => $7) AND e.occurred_at <= $5::timestamptz
      GROUP BY st.site_id, st.id, st.identity
     HAVING count(*) >= $6`,
    [...base(rule, now), p(rule, 'threshold') ?? 5, p(rule, 'windowMinutes') ?? 60],
  );
  return rows.map((r) => ({
    ...stationFinding(r, `${r.identity}: ${r.faults} faults within ${p(rule, 'windowMinutes') ?? 60} min`, {
      faults: r.faults,
    }),
    latestAt: r.latest,
  }));
};

const chargingError: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<
    StationRow & { reason: string; transaction_id: string; stop_reason: string | null }
  >(
    `SELECT st.site_id, st.id AS station_id, st.identity, s.evse_id, s.connector_id, s.transaction_id,
            s.stop_reason, x.reason, x.since
       FROM sessions s JOIN stations st ON st.id = s.station_id JOIN sites si ON si.id = st.site_id
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN s.status <> 'active' AND s.stop_reason = ANY($9::text[])
               AND s.ended_at > $5::timestamptz - make_interval(mins => $6) AND s.ended_at <= $5::timestamptz
              THEN 'abnormal_end' END, s.ended_at),
        (CASE WHEN s.status = 'active' AND s.charging_state = 'charging'
               AND coalesce(s.last_register_at, s.started_at) <= $5::timestamptz - make_interval(mins => $7)
              THEN 'no_meter_values' END, coalesce(s.last_register_at, s.started_at)),
        (CASE WHEN s.status = 'active' AND s.charging_state IN ('suspended_ev', 'suspended_evse')
               AND s.updated_at <= $5::timestamptz - make_interval(mins => $8)
              THEN s.charging_state END, s.updated_at)
      ) AS x(reason, since)
      WHERE ${STATION_SCOPE} AND x.reason IS NOT NULL
        AND (s.status = 'active' OR s.ended_at > $5::timestamptz - make_interval(mins => $6))
      ORDER BY x.since DESC`,
    [
      ...base(rule, now),
      p(rule, 'windowMinutes') ?? 30,
      p(rule, 'noMeterMinutes') ?? 15,
      p(rule, 'suspendedMinutes') ?? 60,
      ABNORMAL_STOP_REASONS,
    ],
  );
  const text: Record<string, string> = {
    abnormal_end: 'session ended abnormally',
    no_meter_values: 'no meter values while charging',
    suspended_ev: 'charging suspended by the vehicle',
    suspended_evse: 'charging suspended by the charger',
  };
  return rows.map((r) =>
    stationFinding(r, `${r.identity} connector ${r.evse_id ?? '?'}: ${text[r.reason] ?? r.reason}`, {
      reason: r.reason,
      transactionId: r.transaction_id,
      stopReason: r.stop_reason,
    }),
  );
};

/** The latest firmware/diagnostics status of a station within the window is a failure. */
const failedStatus =
  (type: 'firmware.status' | 'diagnostics.status', what: string): Condition =>
  async (tx, rule, now) => {
    const { rows } = await tx.query<StationRow & { status: string }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (st.id) st.site_id, st.id AS station_id, st.identity, e.occurred_at AS since,
                e.payload->>'status' AS status
           FROM station_events e JOIN stations st ON st.id = e.station_id JOIN sites si ON si.id = st.site_id
          WHERE ${STATION_SCOPE} AND e.type = $7
            AND e.occurred_at > $5::timestamptz - make_interval(mins => $6) AND e.occurred_at <= $5::timestamptz
          ORDER BY st.id, e.occurred_at DESC) latest
        WHERE status ~* '(fail|invalid|error)'`,
      [...base(rule, now), p(rule, 'windowMinutes') ?? 1440, type],
    );
    return rows.map((r) =>
      stationFinding(r, `${r.identity}: ${what} failed (${r.status})`, { status: r.status }),
    );
  };

const securityEvent: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<StationRow & { events: number; types: string[]; latest: Date }>(
    `SELECT st.site_id, st.id AS station_id, st.identity, min(e.occurred_at) AS since, max(e.occurred_at) AS latest,
            count(*)::int AS events,
            array_agg(DISTINCT e.payload->>'eventType') AS types
       FROM station_events e JOIN stations st ON st.id = e.station_id JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND e.type = 'security.event' AND NOT (e.payload->>'eventType' = ANY($7::text[]))
        AND e.occurred_at > $5::timestamptz - make_interval(mins => $6) AND e.occurred_at <= $5::timestamptz
      GROUP BY st.site_id, st.id, st.identity`,
    [...base(rule, now), p(rule, 'windowMinutes') ?? 60, ROUTINE_SECURITY_EVENTS],
  );
  return rows.map((r) => ({
    ...stationFinding(r, `${r.identity}: security event ${r.types.join(', ')}`, {
      events: r.events,
      eventTypes: r.types,
    }),
    latestAt: r.latest,
  }));
};

const maintenanceDue: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<
    StationRow & { energy_kwh: number; sessions: number; operating_hours: number; days: number }
  >(
    `SELECT st.site_id, st.id AS station_id, st.identity, m.since,
            coalesce(u.energy_wh, 0) / 1000 AS energy_kwh, coalesce(u.sessions, 0)::int AS sessions,
            coalesce(u.seconds, 0) / 3600 AS operating_hours,
            extract(epoch FROM $5::timestamptz - m.since) / 86400 AS days
       FROM stations st JOIN sites si ON si.id = st.site_id
      CROSS JOIN LATERAL (SELECT coalesce((SELECT max(serviced_at) FROM station_services ss
                                            WHERE ss.station_id = st.id), st.created_at) AS since) m
       LEFT JOIN LATERAL (
         SELECT sum(s.energy_wh) AS energy_wh, count(*) AS sessions,
                sum(extract(epoch FROM least(coalesce(s.ended_at, $5::timestamptz), $5::timestamptz) - s.started_at)) AS seconds
           FROM sessions s WHERE s.station_id = st.id AND s.started_at >= m.since AND s.started_at <= $5::timestamptz
       ) u ON true
      WHERE ${STATION_SCOPE}`,
    base(rule, now),
  );
  const limits = {
    energyKwh: p(rule, 'energyKwh'),
    sessions: p(rule, 'sessions'),
    operatingHours: p(rule, 'operatingHours'),
    days: p(rule, 'days'),
  };
  const findings: Finding[] = [];
  for (const r of rows) {
    const values = {
      energyKwh: Math.round(r.energy_kwh),
      sessions: r.sessions,
      operatingHours: Math.round(r.operating_hours),
      days: Math.floor(r.days),
    };
    const due = (Object.keys(limits) as (keyof typeof limits)[]).filter((k) => {
      const limit = limits[k];
      return limit !== null && values[k] >= limit;
    });
    if (due.length === 0) continue;
    findings.push(
      stationFinding(
        r,
        `${r.identity}: maintenance due (${due.map((k) => `${values[k]} ${k}`).join(', ')})`,
        {
          due,
          ...values,
        },
      ),
    );
  }
  return findings;
};

const sessionStuck: Condition = async (tx, rule, now) => {
  const { rows } = await tx.query<StationRow & { transaction_id: string }>(
    `SELECT st.site_id, st.id AS station_id, st.identity, s.evse_id, s.connector_id, s.transaction_id,
            s.started_at AS since
       FROM sessions s JOIN stations st ON st.id = s.station_id JOIN sites si ON si.id = st.site_id
      WHERE ${STATION_SCOPE} AND s.status = 'active' AND s.started_at <= $5::timestamptz - make_interval(hours => $6)`,
    [...base(rule, now), p(rule, 'hours') ?? 12],
  );
  return rows.map((r) =>
    stationFinding(r, `${r.identity} connector ${r.evse_id ?? '?'}: session without a stop`, {
      transactionId: r.transaction_id,
    }),
  );
};

export const CONDITIONS: Record<RuleKind, Condition> = {
  station_offline: stationOffline,
  site_unreachable: siteUnreachable,
  connector_faulted: connectorFaulted,
  fault_burst: faultBurst,
  charging_error: chargingError,
  heartbeat_missed: heartbeatMissed,
  firmware_failed: failedStatus('firmware.status', 'firmware update'),
  diagnostics_failed: failedStatus('diagnostics.status', 'diagnostics upload'),
  security_event: securityEvent,
  maintenance_due: maintenanceDue,
  session_stuck: sessionStuck,
};

/** The rule's findings, one per target (the first wins when a kind finds a target twice). */
export async function evaluateRule(tx: Tx, rule: RuleRow, now: Date): Promise<Finding[]> {
  const all = await CONDITIONS[rule.kind](tx, rule, now);
  const byTarget = new Map<string, Finding>();
  for (const f of all) if (!byTarget.has(targetKey(f))) byTarget.set(targetKey(f), f);
  return [...byTarget.values()];
}
