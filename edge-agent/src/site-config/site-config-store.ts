/**
 * The local copy of the site configuration the cloud keeps in the NATS KV bucket
 * `siteConfigBucket(siteId)`. It lives in the edge's SQLite file, so stations authenticate and
 * tokens authorise while the uplink is down. Values are validated against the contract's schemas
 * (`@voltmesh/contract` site-config.ts), the same ones the cloud writes with.
 */
import { DEFAULT_SITE_POLICY, SitePolicy, StationEntry, TokenEntry } from '@voltmesh/contract';
import type { z } from 'zod';
import { SiteConfigError } from '../errors.js';
import type { EdgeDatabase } from '../outbox/database.js';

interface StationRow {
  station_id: string;
  password_hash: string | null;
  security_profile: number;
  enabled: number;
}
interface TokenRow {
  id_token: string;
  type: string;
  status: TokenEntry['status'];
  expires_at: string | null;
  group_id: string | null;
}

export class SiteConfigStore {
  private readonly stmt;

  constructor(db: EdgeDatabase) {
    this.stmt = {
      getStation: db.prepare<[string], StationRow>('SELECT * FROM site_station WHERE station_id = ?'),
      putStation: db.prepare(
        `INSERT INTO site_station (station_id, password_hash, security_profile, enabled) VALUES (?, ?, ?, ?)
         ON CONFLICT (station_id) DO UPDATE SET password_hash = excluded.password_hash,
           security_profile = excluded.security_profile, enabled = excluded.enabled`,
      ),
      deleteStation: db.prepare('DELETE FROM site_station WHERE station_id = ?'),
      getToken: db.prepare<[string], TokenRow>('SELECT * FROM site_token WHERE id_token = ?'),
      putToken: db.prepare(
        `INSERT INTO site_token (id_token, type, status, expires_at, group_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id_token) DO UPDATE SET type = excluded.type, status = excluded.status,
           expires_at = excluded.expires_at, group_id = excluded.group_id`,
      ),
      deleteToken: db.prepare('DELETE FROM site_token WHERE id_token = ?'),
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM site_setting WHERE key = ?'),
      putSetting: db.prepare(
        'INSERT INTO site_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteSetting: db.prepare('DELETE FROM site_setting WHERE key = ?'),
    };
  }

  station(stationId: string): StationEntry | null {
    const row = this.stmt.getStation.get(stationId);
    if (!row) return null;
    return {
      identity: row.station_id,
      passwordHash: row.password_hash,
      securityProfile: row.security_profile,
      enabled: row.enabled === 1,
    };
  }

  putStation(value: unknown): StationEntry {
    const entry = parse(StationEntry, value, 'station');
    this.stmt.putStation.run(
      entry.identity,
      entry.passwordHash,
      entry.securityProfile,
      entry.enabled ? 1 : 0,
    );
    return entry;
  }

  deleteStation(stationId: string): void {
    this.stmt.deleteStation.run(stationId);
  }

  token(idToken: string): TokenEntry | null {
    const row = this.stmt.getToken.get(idToken);
    if (!row) return null;
    return {
      idToken: row.id_token,
      type: row.type,
      status: row.status,
      expiresAt: row.expires_at,
      groupId: row.group_id,
    };
  }

  putToken(value: unknown): TokenEntry {
    const entry = parse(TokenEntry, value, 'token');
    this.stmt.putToken.run(entry.idToken, entry.type, entry.status, entry.expiresAt, entry.groupId);
    return entry;
  }

  deleteToken(idToken: string): void {
    this.stmt.deleteToken.run(idToken);
  }

  policy(): SitePolicy {
    const row = this.stmt.getSetting.get('policy');
    if (!row) return DEFAULT_SITE_POLICY;
    const parsed = SitePolicy.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULT_SITE_POLICY;
  }

  putPolicy(value: unknown): SitePolicy {
    const policy = parse(SitePolicy, value, 'policy');
    this.stmt.putSetting.run('policy', JSON.stringify(policy));
    return policy;
  }

  deletePolicy(): void {
    this.stmt.deleteSetting.run('policy');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SiteConfigError(`invalid ${what} entry: ${issues}`);
  }
  return parsed.data;
}
