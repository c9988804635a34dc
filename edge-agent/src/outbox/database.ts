/**
 * The edge's one SQLite database: outbox, durable station state and the local copy of the site
 * config share a file so a single fsync'd WAL covers them. WAL with synchronous=FULL means a commit
 * that returned survives a kill -9 or power loss; the schema is created idempotently on open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type EdgeDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  row_id      INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL,
  station_id  TEXT,
  seq         INTEGER NOT NULL,
  thinnable   INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL,
  body        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_thinnable ON outbox (thinnable, row_id);
CREATE TABLE IF NOT EXISTS outbox_seq (
  station_key TEXT PRIMARY KEY,
  next_seq    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS allocated_transaction (
  transaction_id  INTEGER PRIMARY KEY,
  station_id      TEXT NOT NULL,
  evse_id         INTEGER NOT NULL,
  id_token        TEXT NOT NULL,
  id_token_type   TEXT NOT NULL,
  started_at      TEXT NOT NULL,
  meter_start_wh  REAL NOT NULL,
  stopped         INTEGER NOT NULL DEFAULT 0,
  UNIQUE (station_id, evse_id, id_token, started_at)
);
CREATE TABLE IF NOT EXISTS seen_transaction_event (
  station_id      TEXT NOT NULL,
  transaction_id  TEXT NOT NULL,
  seq_no          INTEGER NOT NULL,
  PRIMARY KEY (station_id, transaction_id, seq_no)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS station_registration (
  station_id  TEXT PRIMARY KEY,
  status      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS site_station (
  station_id        TEXT PRIMARY KEY,
  password_hash     TEXT,
  security_profile  INTEGER NOT NULL,
  enabled           INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_token (
  id_token    TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  status      TEXT NOT NULL,
  expires_at  TEXT,
  group_id    TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_setting (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
`;

export function openEdgeDatabase(dataDir: string): EdgeDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'edge.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
