/**
 * The world of the authorization matrix (test/authorization.test.ts): two tenants, each with two
 * cities, a site in each, a station per site with history and sessions, RFID tokens, holders and
 * groups, a user per role, and factories of fresh objects for requests that consume one (deletes,
 * force-stops). Every name a tenant owns contains its tag, so a response can be searched for
 * anything of the other tenant.
 */
import type { StationEvent } from '@voltmesh/contract';
import { hashPassword } from '../src/auth/password.js';
import { ROLES, type Role } from '../src/auth/roles.js';
import type { Db } from '../src/db/pool.js';
import { runRollup } from '../src/history/rollup-job.js';
import { meterEvent, sample, writeAt } from './history-support.js';
import type { FleetInput } from '../src/seed/fleet.js';
import { ev, PASSWORD, seedFleet } from './support.js';

/** What a request is built from: one tenant's objects, seen from one of its sites. */
export interface View {
  tenant: TenantKey;
  /** Lowercase tag in every name of the tenant (`initech`, `globex`). */
  tag: string;
  tenantId: string;
  cityId: string;
  siteId: string;
  siteCode: string;
  stationId: string;
  /** An ended session of the station (reads). */
  sessionId: string;
  /** A token valid only at the site. */
  tokenId: string;
  /** Tenant-level objects: the same in both views of a tenant. */
  holderId: string;
  groupId: string;
  /** Energy the site's station delivered, as the history shows it. */
  energyWh: number;
  fresh: Fresh;
}

/** Objects created per request, inside the view's tenant and site. */
export interface Fresh {
  city(): Promise<string>;
  site(): Promise<string>;
  /** A station at the site; `password` gives it security profile 1 (a hash the edge would check). */
  station(options?: { password?: boolean }): Promise<string>;
  /** An active charging session on the view's station. */
  activeSession(): Promise<string>;
  token(): Promise<string>;
  holder(): Promise<string>;
  group(): Promise<string>;
  /** A user of the tenant holding a viewer grant on it; `grantId` is that grant. */
  user(): Promise<{ userId: string; grantId: string }>;
  /** A live API token of a fresh user of the tenant. */
  apiToken(): Promise<string>;
  /** A unique name carrying the tenant's tag, for bodies of creates. */
  name(kind: string): string;
}

export const TENANTS = ['initech', 'globex'] as const;
export type TenantKey = (typeof TENANTS)[number];

export interface World {
  /** `main`: the first site (where the site-scoped operator works); `other`: the second site. */
  views: Record<TenantKey, { main: View; other: View }>;
  /** Strings of a tenant that must never reach another tenant's user: ids, names, codes, e-mails. */
  markers: Record<TenantKey, Set<string>>;
  /** Strings bound to the second site of `initech`, never shown to the operator scoped to the first. */
  otherSiteMarkers: Set<string>;
  /**
   * E-mail of each user: one per role per tenant, plus `scoped` and `scopedAdmin` (initech operator
   * and admin whose grants cover only the main site).
   */
  emails: Record<TenantKey, Record<Role, string>> & {
    scoped: string;
    scopedAdmin: string;
    /** Initech operator and admin whose grants cover only the main site's city (which holds only that site). */
    cityScoped: string;
    cityScopedAdmin: string;
  };
}

const SITE_ENERGY_WH = { main: 1_000, other: 3_000 } as const;
const TENANT_FACTOR: Record<TenantKey, number> = { initech: 1, globex: 2 };

function fleetOf(tag: TenantKey): FleetInput {
  const Tag = tag[0]!.toUpperCase() + tag.slice(1);
  const site = (n: 1 | 2) => ({
    code: `${tag}-site-${n}`,
    name: `${Tag} Depot ${n}`,
    address: `${Tag} Street ${n}`,
    lat: 52.5,
    lon: 13.4,
    gridCapacityKw: 400,
    stations: [
      {
        identity: `${tag.toUpperCase()}-ST-${n}`,
        name: `${Tag} charger ${n}`,
        lat: 52.5,
        lon: 13.4,
        ocppVersion: 'ocpp1.6' as const,
        vendor: 'ACME',
        model: 'Volt 22',
        connectors: [{ type: 'Type2', maxPowerW: 22_000 }],
      },
    ],
  });
  return {
    tenant: { name: Tag },
    admin: { email: `admin@${tag}.test`, name: `${Tag} admin`, password: PASSWORD },
    cities: [
      { name: `${Tag} City`, countryCode: 'DE', lat: 52.5, lon: 13.4, sites: [site(1)] },
      { name: `${Tag} Harbour`, countryCode: 'DE', lat: 53.5, lon: 10, sites: [site(2)] },
    ],
  };
}

async function one(db: Db, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await db.query<{ id: string }>(sql, params);
  if (!rows[0]) throw new Error(`no row: ${sql}`);
  return rows[0].id;
}

/** Charging history of a station: a session delivering `energyWh`, with meter samples two hours ago. */
async function history(db: Db, siteCode: string, identity: string, tx: string, energyWh: number) {
  const t0 = Date.now() - 2 * 3_600_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const register = (s: number, wh: number): StationEvent =>
    meterEvent(tx, [
      sample(at(s), 'Energy.Active.Import.Register', wh, 'Wh'),
      sample(at(s), 'Power.Active.Import', 11_000, 'W'),
    ]);
  const started = ev.started(tx, 0);
  if (started.type === 'session.started') started.idToken = { id: `${tx}-CARD`, type: 'ISO14443' };
  await writeAt(db, siteCode, identity, [
    { at: at(0), event: started },
    { at: at(0), event: register(0, 0) },
    { at: at(60), event: register(60, energyWh / 2) },
    { at: at(120), event: register(120, energyWh) },
    { at: at(121), event: ev.ended(tx, energyWh) },
  ]);
}

export async function buildWorld(db: Db): Promise<World> {
  const passwordHash = await hashPassword(PASSWORD);
  const markers = { initech: new Set<string>(), globex: new Set<string>() };
  const otherSiteMarkers = new Set<string>();
  const views = {} as World['views'];
  const emails = {} as Record<TenantKey, Record<Role, string>>;
  let serial = 0;

  for (const tag of TENANTS) {
    await seedFleet(db, fleetOf(tag));
    const Tag = tag[0]!.toUpperCase() + tag.slice(1);
    const tenantId = await one(db, 'SELECT id FROM tenants WHERE name = $1', [Tag]);
    const mark = (...values: string[]) => values.forEach((v) => markers[tag].add(v));
    mark(tag, tenantId);

    const holderId = await one(
      db,
      `INSERT INTO token_holders (tenant_id, name, email) VALUES ($1, $2, $3) RETURNING id`,
      [tenantId, `${Tag} Holder`, `holder@${tag}.test`],
    );
    const groupId = await one(
      db,
      `INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, $2, 'corporate') RETURNING id`,
      [tenantId, `${Tag} Fleet Group`],
    );
    mark(holderId, groupId);

    const viewOf = async (n: 1 | 2, key: 'main' | 'other'): Promise<View> => {
      const site = await db.query<{ id: string; city_id: string }>(
        'SELECT id, city_id FROM sites WHERE code = $1',
        [`${tag}-site-${n}`],
      );
      const siteId = site.rows[0]!.id;
      const cityId = site.rows[0]!.city_id;
      const identity = `${tag.toUpperCase()}-ST-${n}`;
      const stationId = await one(db, 'SELECT id FROM stations WHERE site_id = $1 AND identity = $2', [
        siteId,
        identity,
      ]);
      const tx = `${tag}-tx-${n}`;
      const energyWh = SITE_ENERGY_WH[key] * TENANT_FACTOR[tag];
      await history(db, `${tag}-site-${n}`, identity, tx, energyWh);
      const sessionId = await one(
        db,
        'SELECT id FROM sessions WHERE station_id = $1 AND transaction_id = $2',
        [stationId, tx],
      );
      const tokenId = await one(
        db,
        `INSERT INTO id_tokens (tenant_id, site_id, id_token, type, status, holder_id, token_group_id)
         VALUES ($1, $2, $3, 'ISO14443', 'accepted', $4, $5) RETURNING id`,
        [tenantId, siteId, `${tag.toUpperCase()}-CARD-${n}`, holderId, groupId],
      );
      const owned = [cityId, siteId, stationId, sessionId, tokenId];
      mark(...owned);
      if (tag === 'initech' && key === 'other') {
        for (const v of [...owned, `${tag}-site-${n}`, identity, `${Tag} Depot ${n}`, `${Tag} Harbour`, tx])
          otherSiteMarkers.add(v);
      }

      const name = (kind: string) => `${tag}-${kind}-n${++serial}`;
      const fresh: Fresh = {
        name,
        city: async () =>
          remember(
            await one(
              db,
              `INSERT INTO cities (tenant_id, name, country_code) VALUES ($1, $2, 'DE') RETURNING id`,
              [tenantId, name('city')],
            ),
          ),
        site: async () =>
          remember(
            await one(
              db,
              'INSERT INTO sites (tenant_id, city_id, code, name) VALUES ($1, $2, $3, $4) RETURNING id',
              [tenantId, cityId, name('site'), name('site')],
            ),
          ),
        station: async (options = {}) =>
          remember(
            await one(
              db,
              `INSERT INTO stations (tenant_id, site_id, identity, name, auth_security_profile, auth_password_hash)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
              [
                tenantId,
                siteId,
                name('station'),
                name('station'),
                options.password ? 1 : 0,
                options.password ? passwordHash : null,
              ],
            ),
          ),
        activeSession: async () =>
          remember(
            await one(
              db,
              `INSERT INTO sessions (tenant_id, station_id, evse_id, connector_id, transaction_id, started_at, status)
               VALUES ($1, $2, 1, 1, $3, now(), 'active') RETURNING id`,
              [tenantId, stationId, name('tx')],
            ),
          ),
        token: async () =>
          remember(
            await one(
              db,
              `INSERT INTO id_tokens (tenant_id, site_id, id_token, type, status)
               VALUES ($1, $2, $3, 'ISO14443', 'accepted') RETURNING id`,
              [tenantId, siteId, name('card').toUpperCase()],
            ),
          ),
        holder: async () =>
          remember(
            await one(db, 'INSERT INTO token_holders (tenant_id, name) VALUES ($1, $2) RETURNING id', [
              tenantId,
              name('holder'),
            ]),
          ),
        group: async () =>
          remember(
            await one(
              db,
              `INSERT INTO token_groups (tenant_id, name, kind) VALUES ($1, $2, 'personal') RETURNING id`,
              [tenantId, name('group')],
            ),
          ),
        user: async () => {
          const userId = remember(
            await one(db, 'INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id', [
              `${name('user')}@${tag}.test`,
              name('user'),
              passwordHash,
            ]),
          );
          const grantId = remember(
            await one(
              db,
              `INSERT INTO grants (user_id, tenant_id, role) VALUES ($1, $2, 'viewer') RETURNING id`,
              [userId, tenantId],
            ),
          );
          return { userId, grantId };
        },
        apiToken: async () => {
          const { userId, grantId } = await fresh.user();
          return remember(
            await one(
              db,
              `INSERT INTO api_tokens (tenant_id, user_id, grant_id, name, token_hash, prefix)
               VALUES ($1, $2, $3, $4, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'vmt_test') RETURNING id`,
              [tenantId, userId, grantId, name('api-token')],
            ),
          );
        },
      };
      const remember = (id: string) => {
        mark(id);
        if (tag === 'initech' && key === 'other') otherSiteMarkers.add(id);
        return id;
      };
      return {
        tenant: tag,
        tag,
        tenantId,
        cityId,
        siteId,
        siteCode: `${tag}-site-${n}`,
        stationId,
        sessionId,
        tokenId,
        holderId,
        groupId,
        energyWh,
        fresh,
      };
    };
    views[tag] = { main: await viewOf(1, 'main'), other: await viewOf(2, 'other') };

    emails[tag] = { admin: `admin@${tag}.test` } as Record<Role, string>;
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      emails[tag][role] = `${role}@${tag}.test`;
      await addUser(db, passwordHash, emails[tag][role], tenantId, role, null);
    }
  }
  const scoped = 'site-operator@initech.test';
  const scopedAdmin = 'site-admin@initech.test';
  await addUser(db, passwordHash, scoped, views.initech.main.tenantId, 'operator', views.initech.main.siteId);
  await addUser(
    db,
    passwordHash,
    scopedAdmin,
    views.initech.main.tenantId,
    'admin',
    views.initech.main.siteId,
  );

  const cityScoped = 'city-operator@initech.test';
  const cityScopedAdmin = 'city-admin@initech.test';
  const { tenantId: initech, cityId: mainCity } = views.initech.main;
  await addUser(db, passwordHash, cityScoped, initech, 'operator', null, mainCity);
  await addUser(db, passwordHash, cityScopedAdmin, initech, 'admin', null, mainCity);

  // The history endpoints read rollups: build them now (the cloud's own job may hold the lock).
  for (let i = 0; i < 100 && !(await runRollup(db)).ran; i++) await new Promise((r) => setTimeout(r, 100));
  return {
    views,
    markers,
    otherSiteMarkers,
    emails: { ...emails, scoped, scopedAdmin, cityScoped, cityScopedAdmin },
  };
}

export async function addUser(
  db: Db,
  passwordHash: string,
  email: string,
  tenantId: string,
  role: Role,
  siteId: string | null,
  cityId: string | null = null,
): Promise<string> {
  const userId = await one(
    db,
    'INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id',
    [email, passwordHash],
  );
  await db.query(
    'INSERT INTO grants (user_id, tenant_id, role, site_id, city_id) VALUES ($1, $2, $3, $4, $5)',
    [userId, tenantId, role, siteId, cityId],
  );
  return userId;
}
