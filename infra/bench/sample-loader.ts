/**
 * Fast loader of a large meter-sample data set into a migrated and seeded Voltmesh database
 * (plain-PostgreSQL path). For every station of the fleet it generates `sample-loader-gen.ts`'s
 * timeline and writes it with COPY:
 *
 * - `meter_samples`: the monthly partitions the data covers are (re)created empty and unindexed
 *   (`CREATE TABLE … (LIKE meter_samples INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`, as
 *   `vm_ensure_monthly_partitions` does), filled by two COPY connections in parallel (one per core,
 *   half the stations each), then attached: ATTACH PARTITION builds the parent's primary key and
 *   index on each by sorting, much faster than maintaining them row by row.
 * - `station_events`: `station.connected` at the start and the `connector.status` changes of every
 *   session (timeline, fleet status); `sessions`: one completed row per session.
 * - projections: stations online, connector available with its last register.
 *
 * The rollups are not computed here: the cloud has no exported function or CLI command for them,
 * only its rollup job, which reads `meter.samples` events. `rollupEvents` gives, per chunk of days,
 * one summary `meter.samples` event per connector (its first and last register reading in that
 * chunk), which the caller inserts for the running cloud's job to pick up.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  rowsOf,
  stationTimeline,
  type Instant,
  type SessionRecord,
  type StatusChange,
} from './sample-loader-gen.js';

const DAY_MS = 86_400_000;
const FLUSH_BYTES = 4 * 2 ** 20;

export interface LoadOptions {
  databaseUrl: string;
  /** End of the data (exclusive), ms; every session has ended by then. */
  endMs: number;
  days: number;
  /** Days of data per rollup chunk (one summary event per connector and chunk). */
  chunkDays: number;
  connections?: number;
  progress: (message: string) => void;
}

export interface LoadResult {
  samples: number;
  sessions: number;
  statusEvents: number;
  stations: number;
  copyMs: number;
  indexMs: number;
  vacuumMs: number;
  /** Per chunk: the summary events (station, first and last register reading of the chunk). */
  chunks: ChunkEvent[][];
}

export interface ChunkEvent {
  stationId: string;
  first: { at: number; wh: number };
  last: { at: number; wh: number };
}

interface StationRow {
  id: string;
  tenant_id: string;
  site_id: string;
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const partitionName = (ms: number) => {
  const d = new Date(ms);
  return `meter_samples_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** Time-ordered UUIDv7-shaped ids, cheap enough for millions of events. */
function eventIds(): (ms: number) => string {
  const rand = randomUUID().replace(/-/g, '').slice(0, 12);
  let counter = 0;
  return (ms) => {
    const h = ms.toString(16).padStart(12, '0');
    counter = (counter + 1) & 0xfffffff;
    const c = counter.toString(16).padStart(7, '0');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}${rand.slice(1)}`;
  };
}

/** A COPY stream with a byte buffer; `write` resolves when the stream can take more. */
class CopyWriter {
  private parts: string[] = [];
  private bytes = 0;
  constructor(private readonly stream: Writable) {}
  async push(line: string): Promise<void> {
    this.parts.push(line);
    this.bytes += line.length;
    if (this.bytes >= FLUSH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.bytes = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', r));
  }
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/** Loads the data set; the database must be migrated and seeded, its meter_samples empty. */
export async function loadSamples(options: LoadOptions): Promise<LoadResult> {
  const { progress, endMs, days } = options;
  const startMs = endMs - days * DAY_MS;
  const connections = options.connections ?? 2;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  try {
    const { rows: stations } = await admin.query<StationRow>(
      'SELECT id, tenant_id, site_id FROM stations ORDER BY identity',
    );
    const { rows: existing } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM (SELECT 1 FROM meter_samples LIMIT 1) x',
    );
    if ((existing[0]?.n ?? 0) > 0) throw new Error('meter_samples is not empty: load into a fresh database');

    // Months the data covers: empty, unindexed partitions (replacing the empty ones of the migration).
    const months: number[] = [];
    for (let m = monthStart(startMs); m < endMs; m = nextMonth(m)) months.push(m);
    for (const m of months) {
      const name = partitionName(m);
      const { rows } = await admin.query<{ attached: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1)) AS attached`,
        [name],
      );
      if (rows[0]?.attached) await admin.query(`ALTER TABLE meter_samples DETACH PARTITION ${name}`);
      await admin.query(`DROP TABLE IF EXISTS ${name}`);
      await admin.query(`CREATE TABLE ${name} (LIKE meter_samples INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    }
    // station_events gets the same monthly partitions (the migration creates them from last month on).
    for (const m of months) {
      const name = partitionName(m).replace('meter_samples', 'station_events');
      const { rows } = await admin.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [name]);
      if (rows[0]?.r) continue;
      await admin.query(
        `CREATE TABLE ${name} (LIKE station_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
      );
      await admin.query(
        `ALTER TABLE station_events ATTACH PARTITION ${name} FOR VALUES FROM ('${new Date(m).toISOString()}') TO ('${new Date(nextMonth(m)).toISOString()}')`,
      );
    }
    progress(
      `generating ${days} days for ${stations.length} stations into ${months.map(partitionName).join(', ')} over ${connections} COPY connections`,
    );

    const chunkCount = Math.ceil(days / options.chunkDays);
    const chunkMs = options.chunkDays * DAY_MS;
    const chunks: (ChunkEvent | undefined)[][] = Array.from({ length: chunkCount }, () =>
      new Array<ChunkEvent | undefined>(stations.length).fill(undefined),
    );
    let samples = 0;
    let sessions = 0;
    let statusEvents = 0;
    const copyStart = Date.now();
    let lastReport = copyStart;
    let lastReported = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < 5_000) return;
      const rate = ((samples - lastReported) / (now - lastReport)) * 1000;
      progress(
        `${samples.toLocaleString('en')} samples loaded (${Math.round(rate).toLocaleString('en')} rows/s now, ${Math.round((samples / (now - copyStart)) * 1000).toLocaleString('en')} rows/s overall)`,
      );
      lastReport = now;
      lastReported = samples;
    };

    // Per station, a timeline generator that is resumed month by month; what it emits goes to the
    // current month's COPY stream (instants) or to memory (status changes, sessions, small).
    const statusRows: string[] = [];
    const sessionRows: string[] = [];
    const finalRegister = new Map<string, number>();
    const nextEventId = eventIds();

    const worker = async (w: number) => {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      try {
        const mine = stations.map((s, i) => ({ s, i })).filter(({ i }) => i % connections === w);
        const pending = new Map<number, Instant[]>();
        const gens = mine.map(({ s, i }) => {
          const buf: Instant[] = [];
          pending.set(i, buf);
          let seq = 1;
          const evt = (st: StatusChange) => {
            const at = new Date(st.at).toISOString();
            statusRows.push(
              `${at}\t${nextEventId(st.at)}\t${s.tenant_id}\t${s.site_id}\t${s.id}\t${seq++}\tconnector.status\t${at}\t` +
                `{"action": "StatusNotification", "ocppVersion": "ocpp1.6"}\t` +
                `{"info": null, "type": "connector.status", "evseId": 1, "status": "${st.status}", "errorCode": "NoError", "rawStatus": "${st.rawStatus}", "connectorId": 1, "vendorErrorCode": null}\n`,
            );
            statusEvents++;
          };
          const session = (r: SessionRecord) => {
            const e = r.meterStopWh - r.meterStartWh;
            sessionRows.push(
              `${s.tenant_id}\t${s.id}\t1\t1\t${r.transactionId}\t${r.idToken}\tISO14443\t${new Date(r.startedAt).toISOString()}\t` +
                `${new Date(r.endedAt).toISOString()}\t${r.meterStartWh}\t${r.meterStopWh}\t${r.meterStopWh}\t${new Date(r.endedAt).toISOString()}\t${e}\tcompleted\tEVDisconnected\n`,
            );
            sessions++;
          };
          const gen = stationTimeline(i, startMs, endMs, {
            instant: (x) => {
              buf.push(x);
              const c = Math.min(chunkCount - 1, Math.floor((x.at - startMs) / chunkMs));
              const row = chunks[c]!;
              const cur = row[i];
              if (!cur)
                row[i] = {
                  stationId: s.id,
                  first: { at: x.at, wh: x.registerWh },
                  last: { at: x.at, wh: x.registerWh },
                };
              else cur.last = { at: x.at, wh: x.registerWh };
            },
            status: evt,
            session,
          });
          return { s, i, gen, buf, done: false };
        });

        for (const m of months) {
          const end = nextMonth(m);
          const writer = new CopyWriter(
            client.query(
              copyFrom(
                `COPY ${partitionName(m)} (at, station_id, evse_id, connector_id, measurand, phase, location, value, unit, context, transaction_id, tenant_id, event_id) FROM STDIN`,
              ),
            ),
          );
          for (const g of gens) {
            for (;;) {
              // Drain what the generator emitted that belongs to this month.
              while (g.buf.length > 0 && g.buf[0]!.at < end) {
                const x = g.buf.shift()!;
                const at = new Date(x.at).toISOString();
                const head = `${at}\t${g.s.id}\t1\t1\t`;
                const tail = `\t${x.phases ? 'sample.periodic' : 'sample.clock'}\t${x.transactionId ?? '\\N'}\t${g.s.tenant_id}\t${nextEventId(x.at)}\n`;
                let lines = `${head}Energy.Active.Import.Register\t\t\t${x.registerWh}\tWh${tail}${head}Power.Active.Import\t\t\t${x.powerW}\tW${tail}`;
                if (x.phases) {
                  x.phases.forEach((p, n) => {
                    lines += `${head}Current.Import\tL${n + 1}\t\t${p.currentA}\tA${tail}${head}Voltage\tL${n + 1}\t\t${p.voltageV}\tV${tail}`;
                  });
                }
                await writer.push(lines);
                samples += rowsOf(x);
              }
              if (g.buf.length > 0 || g.done) break;
              const step = g.gen.next();
              if (step.done) {
                g.done = true;
                finalRegister.set(g.s.id, step.value);
              }
            }
            report();
          }
          await writer.end();
        }
      } finally {
        await client.end();
      }
    };
    await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
    report(true);
    const copyMs = Date.now() - copyStart;

    progress(
      `writing ${statusEvents.toLocaleString('en')} status events and ${sessions.toLocaleString('en')} sessions`,
    );
    const connectedRows = stations.map((s) => {
      const at = new Date(startMs).toISOString();
      return `${at}\t${randomUUID()}\t${s.tenant_id}\t${s.site_id}\t${s.id}\t0\tstation.connected\t${at}\t{"action": "connect", "ocppVersion": "ocpp1.6"}\t{"type": "station.connected", "ocppVersion": "ocpp1.6", "remoteAddress": null, "securityProfile": 0}\n`;
    });
    await copyLines(
      admin,
      'COPY station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload) FROM STDIN',
      [...connectedRows, ...statusRows],
    );
    await copyLines(
      admin,
      `COPY sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, id_token, id_token_type, started_at, ended_at,
         meter_start_wh, meter_stop_wh, last_register_wh, last_register_at, energy_wh, status, stop_reason) FROM STDIN`,
      sessionRows,
    );
    // Projections as the ingest would have left them: online, connector available, last register.
    await admin.query(
      `UPDATE stations SET online = true, online_at = $1, online_seq = 0, last_seen_at = $2 WHERE NOT online`,
      [new Date(startMs), new Date(endMs)],
    );
    await admin.query(
      `UPDATE connectors c SET status = 'available', raw_status = 'Available', status_at = $2, power_w = 0,
              energy_register_wh = u.wh, meter_at = $2
         FROM unnest($1::uuid[], $3::float8[]) AS u(station_id, wh)
        WHERE c.station_id = u.station_id AND c.evse_id = 1 AND c.connector_id = 1`,
      [[...finalRegister.keys()], new Date(endMs), [...finalRegister.values()]],
    );

    progress('attaching the partitions (builds the primary key and the transaction index on each)');
    const indexStart = Date.now();
    await admin.query(`SET maintenance_work_mem = '2GB'`);
    await admin.query('SET max_parallel_maintenance_workers = 2');
    for (const m of months) {
      const t = Date.now();
      await admin.query(
        `ALTER TABLE meter_samples ATTACH PARTITION ${partitionName(m)} FOR VALUES FROM ('${new Date(m).toISOString()}') TO ('${new Date(nextMonth(m)).toISOString()}')`,
      );
      progress(`attached ${partitionName(m)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const indexMs = Date.now() - indexStart;
    progress('VACUUM ANALYZE (so autovacuum does not start in the middle of the measurements)');
    const vacuumStart = Date.now();
    await admin.query('VACUUM (ANALYZE) meter_samples, station_events, sessions, stations, connectors');
    const vacuumMs = Date.now() - vacuumStart;

    return {
      samples,
      sessions,
      statusEvents,
      stations: stations.length,
      copyMs,
      indexMs,
      vacuumMs,
      chunks: chunks.map((row) => row.filter((e): e is ChunkEvent => e !== undefined)),
    };
  } finally {
    await admin.end();
  }
}

async function copyLines(client: pg.Client, sql: string, lines: string[]): Promise<void> {
  const writer = new CopyWriter(client.query(copyFrom(sql)));
  for (const line of lines) await writer.push(line);
  await writer.end();
}

/**
 * Inserts the summary `meter.samples` events of one chunk (ingested now) and returns the database
 * clock after their commit: the rollup job has covered them once its watermark passes that time.
 */
export async function insertChunkEvents(db: pg.Client, events: readonly ChunkEvent[]): Promise<Date> {
  const { rows: st } = await db.query<{ id: string; tenant_id: string; site_id: string }>(
    'SELECT id, tenant_id, site_id FROM stations WHERE id = ANY($1::uuid[])',
    [events.map((e) => e.stationId)],
  );
  const byId = new Map(st.map((s) => [s.id, s]));
  const nextId = eventIds();
  const sample = (at: number, wh: number) => ({
    at: new Date(at).toISOString(),
    measurand: 'Energy.Active.Import.Register',
    value: wh,
    unit: 'Wh',
    phase: null,
    location: null,
    context: 'sample.clock',
    rawContext: null,
    rawUnit: null,
  });
  const lines = events.map((e) => {
    const s = byId.get(e.stationId)!;
    const at = new Date(e.last.at).toISOString();
    const payload = {
      type: 'meter.samples',
      evseId: 1,
      connectorId: 1,
      transactionId: null,
      samples: [sample(e.first.at, e.first.wh), sample(e.last.at, e.last.wh)],
    };
    return `${at}\t${nextId(e.last.at)}\t${s.tenant_id}\t${s.site_id}\t${s.id}\t0\tmeter.samples\t${at}\t{"action": "MeterValues", "ocppVersion": "ocpp1.6"}\t${JSON.stringify(payload)}\n`;
  });
  await copyLines(
    db,
    'COPY station_events (occurred_at, id, tenant_id, site_id, station_id, seq, type, received_at, source, payload) FROM STDIN',
    lines,
  );
  const { rows } = await db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  return rows[0]!.now;
}
