/**
 * Raw limit: COPY of meter-sample rows into an indexed table of a throwaway PostgreSQL with its
 * default durability (fsync on), in batches of 10,000 rows each committed. The ingest pipeline's
 * committed-rows rate is reported as a ratio of this.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startPostgres } from '../services/index.js';
import { elapsedMs, type Benchmark } from './stats.js';

const ROWS = 1_000_000;
const BATCH = 10_000;

export const rawCopy: Benchmark = {
  name: 'raw-copy',
  description: `PostgreSQL COPY of ${ROWS.toLocaleString('en')} meter-sample rows in committed batches of ${BATCH.toLocaleString('en')}, fsync on`,
  async run(progress) {
    const postgres = await startPostgres();
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE samples (
        event_id uuid NOT NULL, station text NOT NULL, at timestamptz NOT NULL, measurand text NOT NULL,
        phase text, value double precision NOT NULL, unit text NOT NULL, PRIMARY KEY (at, event_id, measurand))`);
      const base = Date.UTC(2026, 0, 1);
      const start = process.hrtime.bigint();
      for (let done = 0; done < ROWS; done += BATCH) {
        if (done % 200_000 === 0)
          progress(`${done.toLocaleString('en')} / ${ROWS.toLocaleString('en')} rows`);
        const lines: string[] = [];
        for (let i = done; i < done + BATCH; i++) {
          const at = new Date(base + i * 1000).toISOString();
          lines.push(
            `${randomUUID()}\tST-${i % 500}\t${at}\tEnergy.Active.Import.Register\t\\N\t${i * 3.5}\tWh\n`,
          );
        }
        await client.query('BEGIN');
        await pipeline(Readable.from(lines), client.query(copyFrom('COPY samples FROM STDIN')));
        await client.query('COMMIT');
      }
      const rate = ROWS / (elapsedMs(start) / 1000);
      return [{ metric: 'COPY rate', value: rate, unit: 'rows/s' }];
    } finally {
      await client.end();
      await postgres.dispose();
    }
  },
};
