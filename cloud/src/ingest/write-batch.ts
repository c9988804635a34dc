/**
 * Writes one batch of decoded envelopes in the caller's transaction: resolves sites (unknown site →
 * dead letter), registers unknown stations of known sites, inserts the events (natural key = event
 * id, ON CONFLICT DO NOTHING), inserts meter samples, and applies projections for the events that
 * were new. Nothing here acks or logs: the consumer does that after commit.
 */
import { STREAM_EVENTS, type Envelope, type EventOf } from '@voltmesh/contract';
import type { Tx } from '../db/pool.js';
import { QUIET_EVENT_TYPES, summarizeEvent } from '../stations/event-summary.js';
import { DEAD_LETTER_CODES, insertDeadLetters, type DeadLetter } from './dead-letters.js';
import { emptyEffects, type BatchEffects } from './effects.js';
import { compareEnvelopes, orderingTime } from './ordering.js';
import { project } from './projections.js';

export interface InboundMessage {
  envelope: Envelope;
  streamSeq: number;
  subject: string;
  raw: Uint8Array;
}

export interface BatchResult {
  insertedEvents: number;
  duplicateEvents: number;
  insertedSamples: number;
  /** Stream sequences dead-lettered in this transaction (to be terminated, not retried). */
  deadLettered: DeadLetter[];
  effects: BatchEffects;
}

interface SiteRow {
  id: string;
  tenant_id: string;
  code: string;
}

export async function writeBatch(tx: Tx, messages: readonly InboundMessage[]): Promise<BatchResult> {
  const effects = emptyEffects();
  const codes = [...new Set(messages.map((m) => m.envelope.siteId))].sort();
  const { rows: siteRows } = await tx.query<SiteRow>(
    'SELECT id, tenant_id, code FROM sites WHERE code = ANY($1::text[]) ORDER BY code',
    [codes],
  );
  const sites = new Map(siteRows.map((s) => [s.code, s]));

  const deadLettered: DeadLetter[] = [];
  const known: { msg: InboundMessage; site: SiteRow }[] = [];
  for (const msg of messages) {
    const site = sites.get(msg.envelope.siteId);
    if (site) known.push({ msg, site });
    else
      deadLettered.push({
        stream: STREAM_EVENTS,
        streamSeq: msg.streamSeq,
        subject: msg.subject,
        raw: msg.raw,
        code: DEAD_LETTER_CODES.unknownSite,
        reason: `unknown site code "${msg.envelope.siteId}": register the site before its edge publishes`,
      });
  }
  await insertDeadLetters(tx, deadLettered);

  const stationIds = await resolveStations(tx, known);
  const rows = known.map(({ msg, site }) => {
    const e = msg.envelope;
    return {
      env: e,
      target: {
        tenantId: site.tenant_id,
        siteId: site.id,
        stationId: e.stationId === null ? null : stationIds.get(stationKey(site.id, e.stationId))!,
      },
    };
  });
  if (rows.length === 0) {
    return { insertedEvents: 0, duplicateEvents: 0, insertedSamples: 0, deadLettered, effects };
  }

  // Lock the stations this batch touches in one fixed order, so two consumers writing overlapping
  // batches queue behind each other instead of deadlocking.
  const touched = [...new Set(rows.flatMap((r) => (r.target.stationId ? [r.target.stationId] : [])))].sort();
  await tx.query('SELECT 1 FROM stations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [touched]);

  const { rows: inserted } = await tx.query<{ id: string }>(
    `INSERT INTO station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
     SELECT occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source::jsonb, payload::jsonb
       FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::bigint[],
                   $7::text[], $8::timestamptz[], $9::text[], $10::text[])
            AS u(occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      rows.map((r) => r.env.occurredAt),
      rows.map((r) => r.env.id),
      rows.map((r) => r.target.tenantId),
      rows.map((r) => r.target.siteId),
      rows.map((r) => r.target.stationId),
      rows.map((r) => r.env.seq),
      rows.map((r) => r.env.event.type),
      rows.map((r) => r.env.receivedAt),
      rows.map((r) => JSON.stringify(r.env.source)),
      rows.map((r) => JSON.stringify(r.env.event)),
    ],
  );
  const fresh = new Set(inserted.map((r) => r.id));
  // A batch may hold the same event twice (a redelivery next to the original): project it once.
  const seen = new Set<string>();
  const toProject = rows
    .filter((r) => fresh.has(r.env.id) && !seen.has(r.env.id) && seen.add(r.env.id))
    .sort((a, b) => compareEnvelopes(a.env, b.env));

  await touchLastSeen(tx, toProject);
  const insertedSamples = await insertSamples(tx, toProject);
  for (const r of toProject) {
    await project(tx, r.env, r.target, effects);
    const { stationId } = r.target;
    if (stationId !== null && !QUIET_EVENT_TYPES.includes(r.env.event.type)) {
      effects.stationEvents.push({
        tenantId: r.target.tenantId,
        stationId,
        at: orderingTime(r.env),
        type: r.env.event.type,
        summary: summarizeEvent(r.env.event),
      });
    }
  }

  return {
    insertedEvents: fresh.size,
    duplicateEvents: rows.length - fresh.size,
    insertedSamples,
    deadLettered,
    effects,
  };
}

const stationKey = (siteId: string, identity: string) => JSON.stringify([siteId, identity]);

/** Station ids for every (site, identity) in the batch; unknown identities are registered as unplaced. */
async function resolveStations(
  tx: Tx,
  known: readonly { msg: InboundMessage; site: SiteRow }[],
): Promise<Map<string, string>> {
  const pairs = new Map<string, { tenantId: string; siteId: string; identity: string }>();
  for (const { msg, site } of known) {
    const identity = msg.envelope.stationId;
    if (identity !== null)
      pairs.set(stationKey(site.id, identity), { tenantId: site.tenant_id, siteId: site.id, identity });
  }
  const list = [...pairs.values()].sort((a, b) =>
    a.siteId === b.siteId ? (a.identity < b.identity ? -1 : 1) : a.siteId < b.siteId ? -1 : 1,
  );
  const ids = new Map<string, string>();
  if (list.length === 0) return ids;
  const params = [list.map((p) => p.tenantId), list.map((p) => p.siteId), list.map((p) => p.identity)];
  await tx.query(
    `INSERT INTO stations (tenant_id, site_id, identity, name, unplaced)
     SELECT t, s, i, i, true FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(t, s, i)
     ON CONFLICT (site_id, identity) DO NOTHING`,
    params,
  );
  const { rows } = await tx.query<{ id: string; site_id: string; identity: string }>(
    `SELECT st.id, st.site_id, st.identity FROM stations st
       JOIN unnest($1::uuid[], $2::text[]) AS u(s, i) ON st.site_id = u.s AND st.identity = u.i`,
    [params[1], params[2]],
  );
  for (const r of rows) ids.set(stationKey(r.site_id, r.identity), r.id);
  return ids;
}

/** Every event from a station is a sign of life; the edge's receive time is the clock that counts. */
async function touchLastSeen(
  tx: Tx,
  rows: readonly { env: Envelope; target: { stationId: string | null } }[],
) {
  const latest = new Map<string, string>();
  for (const r of rows) {
    const id = r.target.stationId;
    if (id === null) continue;
    const prev = latest.get(id);
    if (prev === undefined || Date.parse(r.env.receivedAt) > Date.parse(prev))
      latest.set(id, r.env.receivedAt);
  }
  if (latest.size === 0) return;
  await tx.query(
    `UPDATE stations st SET last_seen_at = greatest(st.last_seen_at, u.at)
       FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
      WHERE st.id = u.id`,
    [[...latest.keys()], [...latest.values()]],
  );
}

async function insertSamples(
  tx: Tx,
  rows: readonly { env: Envelope; target: { tenantId: string; stationId: string | null } }[],
): Promise<number> {
  const cols = {
    at: [] as string[],
    station: [] as string[],
    evse: [] as number[],
    connector: [] as number[],
    measurand: [] as string[],
    phase: [] as string[],
    location: [] as string[],
    value: [] as number[],
    unit: [] as string[],
    context: [] as string[],
    tx: [] as (string | null)[],
    tenant: [] as string[],
    event: [] as string[],
  };
  for (const r of rows) {
    if (r.env.event.type !== 'meter.samples' || r.target.stationId === null) continue;
    const e: EventOf<'meter.samples'> = r.env.event;
    for (const s of e.samples) {
      cols.at.push(s.at);
      cols.station.push(r.target.stationId);
      cols.evse.push(e.evseId);
      cols.connector.push(e.connectorId);
      cols.measurand.push(s.measurand);
      cols.phase.push(s.phase ?? '');
      cols.location.push(s.location ?? '');
      cols.value.push(s.value);
      cols.unit.push(s.unit);
      cols.context.push(s.context);
      cols.tx.push(e.transactionId);
      cols.tenant.push(r.target.tenantId);
      cols.event.push(r.env.id);
    }
  }
  if (cols.at.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO meter_samples (at, station_id, evse_id, connector_id, measurand, phase, location, value,
                                unit, context, transaction_id, tenant_id, event_id)
     SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[],
                          $7::text[], $8::float8[], $9::text[], $10::text[], $11::text[], $12::uuid[], $13::uuid[])
     ON CONFLICT DO NOTHING`,
    Object.values(cols),
  );
  return rowCount ?? 0;
}
