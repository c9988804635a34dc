import { testServices } from '@voltmesh/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/password.js';
import { HAND_EXAMPLE } from '../src/billing/example.js';
import { count, fleet, migratedDatabase, PASSWORD, seedFleet, type MigratedDb } from './support.js';

describe('seed-demo', () => {
  let m: MigratedDb;
  beforeAll(async () => {
    m = await migratedDatabase(testServices().databaseUrl);
  });
  afterAll(async () => {
    await m?.close();
  });

  it('is idempotent and never clobbers what stations reported or the admin password', async () => {
    const f = fleet('Seedy', 'seed-1', ['S-1', 'S-2']);
    const first = await seedFleet(m.db, f);
    expect(first).toMatchObject({ cities: 1, sites: 1, stations: 2, adminCreated: true });
    await m.db.query(
      "UPDATE stations SET vendor = 'Reported', firmware_version = '9.9' WHERE identity = 'S-1'",
    );

    const again = await seedFleet(m.db, { ...f, admin: { ...f.admin, password: 'a different password' } });
    expect(again).toMatchObject({ tenantId: first.tenantId, adminCreated: false });
    for (const [table, n] of [
      ['tenants', 1],
      ['cities', 1],
      ['sites', 1],
      ['stations', 2],
      ['connectors', 2],
      ['users', 1],
      ['grants', 1],
    ] as const) {
      expect(await count(m.db, table)).toBe(n);
    }
    const { rows } = await m.db.query("SELECT vendor, firmware_version FROM stations WHERE identity = 'S-1'");
    expect(rows[0]).toEqual({ vendor: 'Reported', firmware_version: '9.9' });
    const user = await m.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(user.rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.rows[0]!.password_hash, PASSWORD)).toBe(true);
  });

  it("refuses to take over another tenant's site code", async () => {
    await expect(seedFleet(m.db, fleet('Other', 'seed-1', ['O-1'], 'o@other.test'))).rejects.toThrow(
      'site code "seed-1" already belongs to another tenant',
    );
    expect(await count(m.db, 'tenants')).toBe(1);
  });

  it('seeds the demo accounts of each role, a site-limited one on its site, once', async () => {
    const f = {
      ...fleet('Roles', 'roles-1', ['R-1']),
      users: [
        { email: 'op@roles.test', name: 'Op', password: PASSWORD, role: 'operator' as const },
        {
          email: 'tech@roles.test',
          name: 'Tech',
          password: PASSWORD,
          role: 'technician' as const,
          site: 'roles-1',
        },
      ],
    };
    expect((await seedFleet(m.db, f)).usersCreated).toBe(2);
    expect((await seedFleet(m.db, f)).usersCreated).toBe(0);
    const { rows } = await m.db.query<{ email: string; role: string; site: string | null }>(
      `SELECT u.email, g.role, s.code AS site FROM grants g JOIN users u ON u.id = g.user_id
         LEFT JOIN sites s ON s.id = g.site_id WHERE u.email ILIKE '%@roles.test' ORDER BY u.email`,
    );
    expect(rows).toEqual([
      { email: 'admin@Roles.test', role: 'admin', site: null },
      { email: 'op@roles.test', role: 'operator', site: null },
      { email: 'tech@roles.test', role: 'technician', site: 'roles-1' },
    ]);
    await expect(
      seedFleet(m.db, { ...f, users: [{ ...f.users[1]!, email: 'x@roles.test', site: 'nowhere' }] }),
    ).rejects.toThrow('user x@roles.test: site "nowhere" is not a site of this fleet');
  });

  it('seeds the demo tariff as every site default and the on-call crew, once', async () => {
    const base = fleet('Tariffed', 'tar-1', ['T-1']);
    const f = {
      ...base,
      users: [{ email: 'tech@tar.test', name: 'Tech', password: PASSWORD, role: 'technician' as const }],
      tariff: { name: 'Standard', spec: { ...HAND_EXAMPLE.tariff } },
      oncall: [{ name: 'Crew', site: 'tar-1', members: [{ email: 'tech@tar.test', level: 1 }] }],
    };
    await seedFleet(m.db, f);
    await seedFleet(m.db, f);
    const assigned = await m.db.query<{ name: string }>(
      `SELECT t.name FROM tariff_assignments a JOIN tariffs t ON t.id = a.tariff_id
         JOIN sites s ON s.id = a.target_id WHERE a.target_type = 'site' AND s.code = 'tar-1'`,
    );
    expect(assigned.rows).toEqual([{ name: 'Standard' }]);
    const crews = await m.db.query<{ name: string; members: number }>(
      `SELECT g.name, (SELECT count(*)::int FROM oncall_members m WHERE m.group_id = g.id) AS members
         FROM oncall_groups g JOIN sites s ON s.id = g.site_id WHERE s.code = 'tar-1'`,
    );
    expect(crews.rows).toEqual([{ name: 'Crew', members: 1 }]);
    await expect(
      seedFleet(m.db, {
        ...f,
        oncall: [{ name: 'X', site: 'tar-1', members: [{ email: 'nobody@tar.test', level: 1 }] }],
      }),
    ).rejects.toThrow('on-call group X: nobody@tar.test is not an account of this fleet');
    await expect(
      seedFleet(m.db, { ...f, tariff: { name: 'Bad', spec: { ...HAND_EXAMPLE.tariff, currency: 'XXY' } } }),
    ).rejects.toThrow('ISO 4217');
  });
});
