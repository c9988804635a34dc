/** Messages the ingest will never be able to store, kept with the reason instead of being retried. */
import type { Db, Tx } from '../db/pool.js';

export const DEAD_LETTER_CODES = {
  invalidEnvelope: 'ingest.invalid_envelope',
  unknownSite: 'ingest.unknown_site',
  rejectedByDatabase: 'ingest.rejected_by_database',
} as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[keyof typeof DEAD_LETTER_CODES];

export interface DeadLetter {
  stream: string;
  streamSeq: number;
  subject: string;
  raw: Uint8Array;
  code: DeadLetterCode;
  reason: string;
}

/** Idempotent on (stream, stream_seq): a redelivered bad message is recorded once. */
export async function insertDeadLetters(q: Db | Tx, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await q.query(
    `INSERT INTO dead_letters (stream, stream_seq, subject, raw, code, reason)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::text[], $6::text[])
     ON CONFLICT (stream, stream_seq) DO NOTHING`,
    [
      letters.map((l) => l.stream),
      letters.map((l) => l.streamSeq),
      letters.map((l) => l.subject),
      letters.map((l) => Buffer.from(l.raw)),
      letters.map((l) => l.code),
      letters.map((l) => l.reason.slice(0, 2000)),
    ],
  );
}
