/**
 * The demo fleet file (tenant, admin, cities → sites → stations → connectors) and its idempotent
 * upsert. Live state written by the ingest (vendor, model, versions from boot) is never clobbered.
 */
import { SitePolicy, TOKEN_STATUSES } from '@voltmesh/contract';
import { z } from 'zod';
import { createOncallStore } from '../alerts/oncall-store.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password.js';
import { TariffSpecSchema } from '../billing/schemas.js';
import { createTariffStore } from '../billing/tariff-store.js';
import { ROLES, type Role } from '../auth/roles.js';
import { withTransaction, type Db, type Tx } from '../db/pool.js';

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);

const FleetToken = z.object({
  idToken: z.string().min(1).max(255),
  type: z.string().min(1).max(32).default('ISO14443'),
  status: z.enum(TOKEN_STATUSES).default('accepted'),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  groupId: z.string().max(255).nullable().default(null),
});

export const Fleet = z.object({
  tenant: z.object({ name: z.string().min(1).max(200) }),
  /** The tenant's local authorisation list, valid at every site (optional). */
  tokens: z.array(FleetToken).default([]),
  admin: z.object({
    email: z.email(),
    name: z.string().min(1).max(200),
    password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`),
  }),
  /** More accounts, one role each, optionally limited to one site of the fleet (demo accounts per role). */
  users: z
    .array(
      z.object({
        email: z.email(),
        name: z.string().min(1).max(200),
        password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`),
        role: z.enum(ROLES),
        /** The code of a site in this fleet the role is limited to. */
        site: z.string().min(1).max(64).optional(),
      }),
    )
    .default([]),
  /** A tariff created once (by name) and made the default of every site that has none. */
  tariff: z
    .object({
      name: z.string().min(1).max(200),
      description: z.string().max(1000).default(''),
      spec: TariffSpecSchema,
    })
    .optional(),
  /** On-call crews created once (by name), each for one site of the fleet, members by e-mail. */
  oncall: z
    .array(
      z.object({
        name: z.string().min(1).max(100),
        site: z.string().min(1).max(64),
        members: z.array(z.object({ email: z.email(), level: z.number().int().min(1).max(5).default(1) })),
      }),
    )
    .default([]),
  cities: z.array(
    z.object({
      name: z.string().min(1).max(200),
      countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "DE"'),
      lat,
      lon,
      sites: z.array(
        z.object({
          code: z.string().min(1).max(64),
          name: z.string().min(1).max(200),
          address: z.string().max(500),
          lat,
          lon,
          gridCapacityKw: z.number().nonnegative(),
          /** Overrides of the default site policy published to the edge (optional). */
          policy: SitePolicy.partial().strict().optional(),
          stations: z.array(
            z.object({
              identity: z.string().min(1).max(48),
              name: z.string().min(1).max(200),
              lat,
              lon,
              ocppVersion: z.enum(['ocpp1.6', 'ocpp2.0.1']),
              vendor: z.string().max(50),
              model: z.string().max(50),
              connectors: z
                .array(z.object({ type: z.string().min(1).max(32), maxPowerW: z.number().int().positive() }))
                .min(1),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type Fleet = z.infer<typeof Fleet>;
/** A fleet as written in a file or a test: optional fields may be left out. */
export type FleetInput = z.input<typeof Fleet>;

export class SeedError extends Error {
  readonly code = 'VM_SEED_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

export function parseFleet(text: string, source: string): Fleet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SeedError(`${source} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = Fleet.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SeedError(`${source} is not a valid fleet file:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export interface SeedResult {
  tenantId: string;
  cities: number;
  sites: number;
  stations: number;
  tokens: number;
  adminCreated: boolean;
  /** Accounts of `users` created by this run (existing e-mails keep their password). */
  usersCreated: number;
}

export async function seedFleet(db: Db, input: FleetInput): Promise<SeedResult> {
  const fleet = Fleet.parse(input);
  // Hash outside the transaction: it is slow and only used when the admin does not exist yet.
  const passwordHash = await hashPassword(fleet.admin.password);
  const userHashes = await Promise.all(fleet.users.map((u) => hashPassword(u.password)));
  const siteCodes = new Set(fleet.cities.flatMap((c) => c.sites.map((s) => s.code)));
  for (const u of fleet.users) {
    if (u.site !== undefined && !siteCodes.has(u.site))
      throw new SeedError(`user ${u.email}: site "${u.site}" is not a site of this fleet`);
  }
  const emails = new Set([fleet.admin.email, ...fleet.users.map((u) => u.email)].map((e) => e.toLowerCase()));
  for (const g of fleet.oncall) {
    if (!siteCodes.has(g.site))
      throw new SeedError(`on-call group ${g.name}: site "${g.site}" is not a site of this fleet`);
    const stranger = g.members.find((m) => !emails.has(m.email.toLowerCase()));
    if (stranger)
      throw new SeedError(`on-call group ${g.name}: ${stranger.email} is not an account of this fleet`);
  }
  const result = await withTransaction(db, async (tx) => {
    const siteIds = new Map<string, string>();
    const tenantId = await upsertTenant(tx, fleet.tenant.name);
    let sites = 0;
    let stations = 0;
    for (const city of fleet.cities) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO cities (tenant_id, name, country_code, lat, lon) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, name) DO UPDATE SET country_code = EXCLUDED.country_code, lat = EXCLUDED.lat, lon = EXCLUDED.lon
         RETURNING id`,
        [tenantId, city.name, city.countryCode, city.lat, city.lon],
      );
      const cityId = rows[0]!.id;
      for (const site of city.sites) {
        const siteId = await upsertSite(tx, tenantId, cityId, site);
        siteIds.set(site.code, siteId);
        sites++;
        for (const st of site.stations) {
          const { rows: s } = await tx.query<{ id: string }>(
            `INSERT INTO stations (tenant_id, site_id, identity, name, lat, lon, ocpp_version, vendor, model, approved)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)
             ON CONFLICT (site_id, identity) DO UPDATE
                SET name = EXCLUDED.name, lat = EXCLUDED.lat, lon = EXCLUDED.lon, unplaced = false, approved = true,
                    ocpp_version = coalesce(stations.ocpp_version, EXCLUDED.ocpp_version),
                    vendor = coalesce(stations.vendor, EXCLUDED.vendor),
                    model = coalesce(stations.model, EXCLUDED.model)
             RETURNING id`,
            [tenantId, siteId, st.identity, st.name, st.lat, st.lon, st.ocppVersion, st.vendor, st.model],
          );
          stations++;
          // Connector N of the fleet file is EVSE N, connector 1 (the contract's addressing).
          for (const [i, c] of st.connectors.entries()) {
            await tx.query(
              `INSERT INTO connectors (station_id, evse_id, connector_id, type, max_power_w) VALUES ($1, $2, 1, $3, $4)
               ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE SET type = EXCLUDED.type, max_power_w = EXCLUDED.max_power_w`,
              [s[0]!.id, i + 1, c.type, c.maxPowerW],
            );
          }
        }
      }
    }
    for (const t of fleet.tokens) {
      await tx.query(
        `INSERT INTO id_tokens (tenant_id, site_id, id_token, type, status, expires_at, group_id)
         VALUES ($1, NULL, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, site_id, id_token) DO UPDATE
            SET type = EXCLUDED.type, status = EXCLUDED.status, expires_at = EXCLUDED.expires_at, group_id = EXCLUDED.group_id`,
        [tenantId, t.idToken, t.type, t.status, t.expiresAt, t.groupId],
      );
    }
    const adminCreated = await ensureAdmin(tx, tenantId, fleet.admin, passwordHash);
    let usersCreated = 0;
    for (const [i, u] of fleet.users.entries()) {
      const siteId = u.site === undefined ? null : siteIds.get(u.site)!;
      if (await ensureUser(tx, tenantId, u, userHashes[i]!, u.role, siteId)) usersCreated++;
    }
    return {
      tenantId,
      cities: fleet.cities.length,
      sites,
      stations,
      tokens: fleet.tokens.length,
      adminCreated,
      usersCreated,
      siteIds,
    };
  });
  const { siteIds, ...counts } = result;
  await seedTariffAndCrews(db, fleet, counts.tenantId, siteIds);
  return counts;
}

/** The fleet's tariff (site default where a site has none) and on-call crews; both only once. */
async function seedTariffAndCrews(db: Db, fleet: Fleet, tenantId: string, siteIds: Map<string, string>) {
  const tenantScope = { tenantId, siteId: null, cityId: null };
  const { rows: admin } = await db.query<{ id: string }>(
    'SELECT id FROM users WHERE lower(email) = lower($1)',
    [fleet.admin.email],
  );
  if (fleet.tariff) {
    const tariffs = createTariffStore(db);
    const { rows } = await db.query<{ id: string }>(
      'SELECT id FROM tariffs WHERE tenant_id = $1 AND name = $2',
      [tenantId, fleet.tariff.name],
    );
    const tariffId =
      rows[0]?.id ?? (await tariffs.create(tenantScope, admin[0]!.id, fleet.tariff, new Date())).id;
    for (const siteId of siteIds.values()) {
      const { rows: assigned } = await db.query(
        "SELECT 1 FROM tariff_assignments WHERE tenant_id = $1 AND target_type = 'site' AND target_id = $2",
        [tenantId, siteId],
      );
      if (assigned.length === 0) await tariffs.assign(tenantId, 'site', siteId, tariffId);
    }
  }
  const crews = createOncallStore(db);
  for (const g of fleet.oncall) {
    const { rows } = await db.query('SELECT 1 FROM oncall_groups WHERE tenant_id = $1 AND name = $2', [
      tenantId,
      g.name,
    ]);
    if (rows.length > 0) continue;
    const members = [];
    for (const m of g.members) {
      const { rows: u } = await db.query<{ id: string }>(
        'SELECT id FROM users WHERE lower(email) = lower($1)',
        [m.email],
      );
      members.push({ userId: u[0]!.id, level: m.level });
    }
    await crews.create(tenantId, {
      name: g.name,
      description: '',
      siteId: siteIds.get(g.site)!,
      cityId: null,
      members,
    });
  }
}

export async function upsertTenant(tx: Tx, name: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO tenants (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id',
    [name],
  );
  return rows[0]!.id;
}

async function upsertSite(
  tx: Tx,
  tenantId: string,
  cityId: string,
  site: Fleet['cities'][number]['sites'][number],
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO sites (tenant_id, city_id, code, name, address, lat, lon, grid_capacity_kw, policy)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::jsonb, '{}'::jsonb))
     ON CONFLICT (code) DO UPDATE
        SET city_id = EXCLUDED.city_id, name = EXCLUDED.name, address = EXCLUDED.address,
            lat = EXCLUDED.lat, lon = EXCLUDED.lon, grid_capacity_kw = EXCLUDED.grid_capacity_kw,
            policy = CASE WHEN $9::jsonb IS NULL THEN sites.policy ELSE $9::jsonb END
      WHERE sites.tenant_id = EXCLUDED.tenant_id
     RETURNING id`,
    [
      tenantId,
      cityId,
      site.code,
      site.name,
      site.address,
      site.lat,
      site.lon,
      site.gridCapacityKw,
      site.policy === undefined ? null : JSON.stringify(site.policy),
    ],
  );
  if (!rows[0]) throw new SeedError(`site code "${site.code}" already belongs to another tenant`);
  return rows[0].id;
}

/** Creates the user (if the e-mail is new) and grants admin on the tenant; returns whether it was created. */
export function ensureAdmin(
  tx: Tx,
  tenantId: string,
  admin: { email: string; name: string },
  passwordHash: string,
): Promise<boolean> {
  return ensureUser(tx, tenantId, admin, passwordHash, 'admin', null);
}

/** Creates the user (if the e-mail is new) and grants the role (on one site, or the whole tenant). */
async function ensureUser(
  tx: Tx,
  tenantId: string,
  user: { email: string; name: string },
  passwordHash: string,
  role: Role,
  siteId: string | null,
): Promise<boolean> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
    [user.email, user.name, passwordHash],
  );
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [
    user.email,
  ]);
  await tx.query(
    `INSERT INTO grants (user_id, tenant_id, role, site_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [rows[0]!.id, tenantId, role, siteId],
  );
  return inserted.rows.length > 0;
}
