/**
 * Charging sessions as the API shows them: the list with filters and paging, one session with its
 * holder, tariff, final report or running cost, and disputes. Every read is scoped to the caller's
 * tenant and site or city.
 */
import type { z } from '@hono/zod-openapi';
import type { Db } from '../db/pool.js';
import { isUuid } from '../resources/sql.js';
import type { Scope } from '../stations/queries.js';
import { latestReadings } from './latest-readings.js';
import { priceSession } from './session-cost.js';
import type { SessionDetail, SessionItem, SessionQuery } from './session-schemas.js';

type Item = z.output<typeof SessionItem>;
type Detail = z.output<typeof SessionDetail>;
type Query = z.output<typeof SessionQuery>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Joins the station, site and the token's holder and group (a site's own token wins, as at the edge). */
const FROM = `
  FROM sessions x
  JOIN stations st ON st.id = x.station_id
  JOIN sites si ON si.id = st.site_id
  LEFT JOIN LATERAL (
    SELECT t.holder_id, h.name AS holder_name, g.name AS group_name
      FROM id_tokens t
      LEFT JOIN token_holders h ON h.id = t.holder_id
      LEFT JOIN token_groups g ON g.id = t.token_group_id
     WHERE t.tenant_id = x.tenant_id AND t.id_token = x.id_token AND (t.site_id IS NULL OR t.site_id = si.id)
     ORDER BY t.site_id IS NULL, t.created_at LIMIT 1) o ON true`;

const SCOPED = `x.tenant_id = $1 AND ($2::uuid IS NULL OR si.id = $2) AND ($3::uuid IS NULL OR si.city_id = $3)`;

const COLUMNS = `x.id, st.id AS station_id, st.identity AS station_identity, st.name AS station_name,
  si.id AS site_id, si.name AS site_name, x.evse_id, x.connector_id, x.transaction_id, x.id_token,
  o.holder_id, o.holder_name, o.group_name, x.status, x.started_at, x.ended_at, x.stop_reason, x.energy_wh,
  x.charging_seconds, x.idle_seconds, x.peak_power_w, x.cost_net::text, x.cost_tax::text, x.cost_total::text,
  x.cost_currency`;

interface ItemRow {
  id: string;
  station_id: string;
  station_identity: string;
  station_name: string;
  site_id: string;
  site_name: string;
  evse_id: number | null;
  connector_id: number | null;
  transaction_id: string;
  id_token: string | null;
  holder_id: string | null;
  holder_name: string | null;
  group_name: string | null;
  status: Item['status'];
  started_at: Date | null;
  ended_at: Date | null;
  stop_reason: string | null;
  energy_wh: number | null;
  charging_seconds: number | null;
  idle_seconds: number | null;
  peak_power_w: number | null;
  cost_net: string | null;
  cost_tax: string | null;
  cost_total: string | null;
  cost_currency: string | null;
}

const SORTS: Record<Query['sort'], string> = {
  startedAt: 'x.started_at ASC NULLS FIRST, x.id',
  '-startedAt': 'x.started_at DESC NULLS LAST, x.id',
  endedAt: 'x.ended_at ASC NULLS LAST, x.id',
  '-endedAt': 'x.ended_at DESC NULLS FIRST, x.id',
  energyWh: 'x.energy_wh ASC NULLS FIRST, x.id',
  '-energyWh': 'x.energy_wh DESC NULLS LAST, x.id',
  cost: 'x.cost_total ASC NULLS FIRST, x.id',
  '-cost': 'x.cost_total DESC NULLS LAST, x.id',
};

/** Stored amounts have 4 fraction digits; shown with the currency's own. */
const money = (value: string | null, digits: number) =>
  value === null ? null : Number(value).toFixed(digits);

function currencyMinor(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

function toItem(r: ItemRow): Item {
  const digits = r.cost_currency ? currencyMinor(r.cost_currency) : 2;
  return {
    id: r.id,
    stationId: r.station_id,
    stationIdentity: r.station_identity,
    stationName: r.station_name,
    siteId: r.site_id,
    siteName: r.site_name,
    evseId: r.evse_id,
    connectorId: r.connector_id,
    transactionId: r.transaction_id,
    idToken: r.id_token,
    holderId: r.holder_id,
    holderName: r.holder_name,
    groupName: r.group_name,
    status: r.status,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    stopReason: r.stop_reason,
    energyWh: r.energy_wh,
    chargingSeconds: r.charging_seconds,
    idleSeconds: r.idle_seconds,
    peakPowerW: r.peak_power_w,
    cost:
      r.cost_total === null || r.cost_currency === null
        ? null
        : {
            net: money(r.cost_net, digits)!,
            tax: money(r.cost_tax, digits)!,
            total: money(r.cost_total, digits)!,
            currency: r.cost_currency,
          },
  };
}

export function createSessionQueries(db: Db) {
  async function list(scope: Scope, f: Query): Promise<{ items: Item[]; total: number }> {
    const params: unknown[] = [scope.tenantId, scope.siteId, scope.cityId];
    const clauses = [SCOPED];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      clauses.push(sql(`$${params.length}`));
    };
    if (f.status !== undefined) add((p) => `x.status = ${p}`, f.status);
    if (f.stationId !== undefined) add((p) => `st.id = ${p}::uuid`, f.stationId);
    if (f.siteId !== undefined) add((p) => `si.id = ${p}::uuid`, f.siteId);
    if (f.idToken !== undefined) add((p) => `x.id_token = ${p}`, f.idToken);
    if (f.holderId !== undefined) add((p) => `o.holder_id = ${p}::uuid`, f.holderId);
    if (f.from !== undefined) add((p) => `x.started_at >= ${p}::timestamptz`, f.from);
    if (f.to !== undefined) add((p) => `x.started_at < ${p}::timestamptz`, f.to);
    if (f.q?.trim())
      add(
        (p) => `concat_ws(' ', st.identity, st.name, x.id_token, o.holder_name, x.transaction_id) ILIKE ${p}`,
        `%${escapeLike(f.q.trim())}%`,
      );
    const where = clauses.join(' AND ');
    const [{ rows }, count] = await Promise.all([
      db.query<ItemRow>(
        `SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY ${SORTS[f.sort]}
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.limit, f.offset],
      ),
      db.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${where}`, params),
    ]);
    return { items: rows.map(toItem), total: count.rows[0]?.n ?? 0 };
  }

  async function detail(scope: Scope, id: string): Promise<Detail | null> {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<
      ItemRow & {
        meter_start_wh: number | null;
        meter_stop_wh: number | null;
        tariff_id: string | null;
        tariff_name: string | null;
        version_id: string | null;
        valid_from: Date | null;
        time_zone: string | null;
        cost_breakdown: Detail['breakdown'];
        report_at: Date | null;
        disputed_at: Date | null;
        dispute_reason: string | null;
        disputed_by: string | null;
        status_before_dispute: string | null;
        force_stopped_at: Date | null;
        force_stop_reason: string | null;
      }
    >(
      `SELECT ${COLUMNS}, x.meter_start_wh, x.meter_stop_wh, tr.id AS tariff_id, tr.name AS tariff_name,
              v.id AS version_id, v.valid_from, v.spec->>'timeZone' AS time_zone, x.cost_breakdown, x.report_at,
              x.disputed_at, x.dispute_reason, u.email AS disputed_by, x.status_before_dispute,
              x.force_stopped_at, x.force_stop_reason
         ${FROM}
         LEFT JOIN tariff_versions v ON v.id = x.tariff_version_id
         LEFT JOIN tariffs tr ON tr.id = v.tariff_id
         LEFT JOIN users u ON u.id = x.disputed_by
        WHERE ${SCOPED} AND x.id = $4`,
      [scope.tenantId, scope.siteId, scope.cityId, id],
    );
    const r = rows[0];
    if (!r) return null;
    let running: Detail['running'] = null;
    const priced = await priceSession(db, r.id);
    if (r.status === 'active') {
      const readings = await latestReadings(db, r.id);
      if (priced) {
        const last = priced.timeline.at(-1);
        const c = priced.cost;
        running = {
          at: last ? new Date(last.atMs).toISOString() : null,
          energyWh: last?.energyWh ?? 0,
          chargingSeconds: priced.chargingSeconds,
          idleSeconds: priced.idleSeconds,
          powerW: readings?.powerW ?? null,
          voltageV: readings?.voltageV ?? null,
          currentA: readings?.currentA ?? null,
          cost: c && { net: c.net, tax: c.tax, total: c.total, currency: c.currency },
          breakdown: c && {
            lines: c.lines,
            periods: c.periods,
            taxRatePercent: c.taxRatePercent,
            billedIdleSeconds: c.billedIdleSeconds,
          },
        };
      }
    }
    return {
      ...toItem(r),
      meterStartWh: r.meter_start_wh,
      meterStopWh: r.meter_stop_wh,
      tariff:
        r.tariff_id && r.version_id && r.valid_from
          ? {
              id: r.tariff_id,
              name: r.tariff_name ?? '',
              versionId: r.version_id,
              validFrom: r.valid_from.toISOString(),
              timeZone: r.time_zone ?? 'UTC',
            }
          : null,
      breakdown: r.cost_breakdown,
      running,
      timeline: (priced?.timeline ?? []).map((p) => ({
        at: new Date(p.atMs).toISOString(),
        energyWh: p.energyWh,
      })),
      reportAt: iso(r.report_at),
      dispute:
        r.disputed_at && r.dispute_reason
          ? {
              at: r.disputed_at.toISOString(),
              reason: r.dispute_reason,
              by: r.disputed_by,
              previousStatus: r.status_before_dispute ?? 'completed',
            }
          : null,
      forceStop: r.force_stopped_at
        ? { at: r.force_stopped_at.toISOString(), reason: r.force_stop_reason }
        : null,
    };
  }

  /** Marks an ended session disputed; null when it does not exist in scope, 'active' while it runs. */
  async function dispute(
    scope: Scope,
    id: string,
    by: string,
    reason: string,
  ): Promise<'not_found' | 'active' | 'ok'> {
    if (!isUuid(id)) return 'not_found';
    const { rows } = await db.query<{ status: string }>(
      `SELECT x.status FROM sessions x JOIN stations st ON st.id = x.station_id JOIN sites si ON si.id = st.site_id
        WHERE ${SCOPED} AND x.id = $4`,
      [scope.tenantId, scope.siteId, scope.cityId, id],
    );
    const status = rows[0]?.status;
    if (status === undefined) return 'not_found';
    if (status === 'active') return 'active';
    await db.query(
      `UPDATE sessions
          SET status_before_dispute = CASE WHEN status = 'disputed' THEN status_before_dispute ELSE status END,
              status = 'disputed', disputed_at = now(), disputed_by = $2, dispute_reason = $3, updated_at = now()
        WHERE id = $1`,
      [id, by, reason],
    );
    return 'ok';
  }

  return { list, detail, dispute };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;
