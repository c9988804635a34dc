/**
 * Accounts against a running cloud (real PostgreSQL and nats-server): users and grants managed by a
 * tenant's admin, what a site-limited user then sees, the password policy of the system settings,
 * resets and changes ending sessions, API tokens (bearer, no CSRF, revocation, expiry, scope), the
 * audit trail and the rule that a tenant keeps an administrator.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  startNats,
  testServices,
  type NatsServerHandle,
  type TestDatabase,
} from '@voltmesh/infra/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../src/cloud.js';
import { loadConfig } from '../src/config.js';
import { fleet, PASSWORD, seedFleet, type Json } from './support.js';

const STRONG = 'Tidal-Orbit-42-Lantern';
const CLOUD_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Session {
  cookie: string;
  csrf: string;
}

describe('accounts, grants, passwords and API tokens', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let cloud: Cloud;
  const ids: Record<string, string> = {};
  let acme: Session;
  let globex: Session;

  const rawLogin = (email: string, password: string) =>
    fetch(`${cloud.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  const login = async (email: string, password = PASSWORD): Promise<Session> => {
    const res = await rawLogin(email, password);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };
  const send = async (
    auth: Session | { bearer: string } | null,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (auth && 'bearer' in auth) headers['authorization'] = `Bearer ${auth.bearer}`;
    else if (auth) Object.assign(headers, { cookie: auth.cookie, 'x-csrf-token': auth.csrf });
    const res = await fetch(`${cloud.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: text ? JSON.parse(text) : null,
    };
  };
  const fieldsOf = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);
  const identities = (body: Json): string[] => body.items.map((s: Json) => s.identity).sort();
  const auditOf = async (action: string, targetId: string) => {
    const { rows } = await cloud.db.query<{ detail: Json; user_email: string; ip: string | null }>(
      'SELECT detail, user_email, ip FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id',
      [action, targetId],
    );
    return rows;
  };
  const newUser = async (email: string, grant: Json, password = STRONG) => {
    const res = await send(acme, 'POST', '/api/users', { email, name: email.split('@')[0], password, grant });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    nats = await startNats();
    testDb = await createTestDatabase(testServices().databaseUrl, 'vm_cloud_acc');
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: '0',
      VOLTMESH_MODE: 'demo',
    });
    cloud = await startCloud(config, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
      ingest: false,
      siteConfigIntervalMs: 3_600_000,
    });
    // Acme has two sites in one city, so a site-limited grant has something to hide.
    const acmeFleet = fleet('Acme', 'acme-acc-north', ['ACME-N1']);
    const north = acmeFleet.cities[0]!.sites[0]!;
    acmeFleet.cities[0]!.sites.push({
      ...north,
      code: 'acme-acc-south',
      name: 'Acme South',
      stations: north.stations.map((s) => ({ ...s, identity: 'ACME-S1', name: 'Acme south charger' })),
    });
    await seedFleet(cloud.db, acmeFleet);
    await seedFleet(cloud.db, fleet('Globex', 'globex-acc', ['GLX-1']));
    const { rows } = await cloud.db.query<{ key: string; id: string }>(
      `SELECT 'tenant:' || name AS key, id FROM tenants
        UNION ALL SELECT 'site:' || code, id FROM sites
        UNION ALL SELECT 'city:' || name, id FROM cities
        UNION ALL SELECT 'user:' || email, id FROM users`,
    );
    for (const r of rows) ids[r.key] = r.id;
    acme = await login('admin@Acme.test');
    globex = await login('admin@Globex.test');
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    await testDb?.drop();
    await nats?.stop();
  });

  it('an admin creates a site-limited operator who then sees only that site', async () => {
    const user = await newUser('olga@acme.test', {
      role: 'operator',
      siteId: ids['site:acme-acc-north'],
    });
    expect(user).toMatchObject({ email: 'olga@acme.test', disabled: false, phone: null });
    expect(user.grants).toEqual([
      expect.objectContaining({
        role: 'operator',
        siteId: ids['site:acme-acc-north'],
        siteName: 'Acme Depot',
      }),
    ]);
    expect(JSON.stringify(user)).not.toMatch(/argon2|passwordHash|Tidal/);

    const olga = await login('olga@acme.test', STRONG);
    expect(identities((await send(olga, 'GET', '/api/stations')).body)).toEqual(['ACME-N1']);
    expect((await send(olga, 'GET', '/api/sites')).body.items.map((s: Json) => s.code)).toEqual([
      'acme-acc-north',
    ]);
    // The admin still sees both sites' stations.
    expect(identities((await send(acme, 'GET', '/api/stations')).body)).toEqual(['ACME-N1', 'ACME-S1']);

    const list = await send(acme, 'GET', '/api/users?q=olga');
    expect(list.body).toMatchObject({ total: 1, items: [{ email: 'olga@acme.test' }] });
    const operators = await send(acme, 'GET', '/api/users?role=operator&sort=-email');
    expect(operators.body.items.map((u: Json) => u.email)).toEqual(['olga@acme.test']);

    const [created] = await auditOf('user.created', user.id);
    expect(created).toMatchObject({ user_email: 'admin@Acme.test' });
    expect(created!.ip).toBeTruthy();
    expect(JSON.stringify(created!.detail)).not.toContain(STRONG);
  });

  it('refuses non-admins and site-limited admins with 403, before looking anything up', async () => {
    await newUser('vera@acme.test', { role: 'viewer' });
    await newUser('sam@acme.test', { role: 'admin', siteId: ids['site:acme-acc-south'] });
    const vera = await login('vera@acme.test', STRONG);
    const sam = await login('sam@acme.test', STRONG);
    const someone = ids['user:admin@Acme.test']!;
    for (const who of [vera, sam]) {
      for (const [method, path, body] of [
        ['GET', '/api/users'],
        ['GET', `/api/users/${someone}`],
        [
          'POST',
          '/api/users',
          { email: 'x@acme.test', name: 'x', password: STRONG, grant: { role: 'viewer' } },
        ],
        ['PATCH', `/api/users/${someone}`, { name: 'Hijacked' }],
        ['POST', `/api/users/${someone}/password`, { password: STRONG }],
        ['POST', `/api/users/${someone}/grants`, { role: 'admin' }],
        ['GET', '/api/api-tokens?user=all'],
      ] as const) {
        const res = await send(who, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.code).toBe('auth.forbidden');
      }
    }
    const settings = await send(vera, 'GET', '/api/settings/system');
    expect(settings.status).toBe(200);
    const put = await send(vera, 'PUT', '/api/settings/system', settings.body);
    expect(put.status).toBe(403);
  });

  it("treats another tenant's users, sites and cities as not existing", async () => {
    const acmeUser = ids['user:admin@Acme.test']!;
    for (const [method, path, body] of [
      ['GET', `/api/users/${acmeUser}`],
      ['PATCH', `/api/users/${acmeUser}`, { name: 'Hijacked' }],
      ['POST', `/api/users/${acmeUser}/password`, { password: STRONG }],
      ['GET', `/api/users/${acmeUser}/grants`],
      ['POST', `/api/users/${acmeUser}/grants`, { role: 'admin' }],
      ['GET', '/api/users/not-a-uuid'],
    ] as const) {
      const res = await send(globex, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('user.not_found');
    }
    const list = await send(globex, 'GET', '/api/users?limit=500');
    expect(list.body.items.map((u: Json) => u.email)).toEqual(['admin@Globex.test']);

    const foreignSite = await send(globex, 'POST', '/api/users', {
      email: 'spy@globex.test',
      name: 'Spy',
      password: STRONG,
      grant: { role: 'operator', siteId: ids['site:acme-acc-north'] },
    });
    expect(foreignSite.status).toBe(404);
    expect(fieldsOf(foreignSite.body)).toEqual(['grant.siteId']);
    const globexAdmin = ids['user:admin@Globex.test']!;
    const foreignCity = await send(globex, 'POST', `/api/users/${globexAdmin}/grants`, {
      role: 'viewer',
      cityId: ids['city:Acme City'],
    });
    expect(foreignCity.status).toBe(404);
    expect(foreignCity.body.code).toBe('city.not_found');
    expect(JSON.stringify(foreignCity.body)).not.toContain('Acme');
  });

  it('applies the password policy and login limits of the system settings, naming the rule', async () => {
    const create = (email: string, password: string) =>
      send(acme, 'POST', '/api/users', { email, name: 'Weak', password, grant: { role: 'viewer' } });
    const short = await create('weak1@acme.test', 'Ab1!');
    expect(short.status).toBe(400);
    expect(short.type).toBe('application/problem+json');
    expect(short.body).toMatchObject({ code: 'password.policy' });
    expect(short.body.errors).toEqual([
      { path: 'password', message: expect.stringContaining('[minLength]') },
    ]);
    const repetitive = await create('weak2@acme.test', 'aaaaaaaaaaaaaaaaaaaa');
    expect(repetitive.body.errors[0].message).toContain('[minEntropyBits]');

    const current = (await send(acme, 'GET', '/api/settings/system')).body;
    expect(current).toMatchObject({
      defaultLanguage: 'en',
      currency: 'EUR',
      passwordPolicy: { minLength: 10 },
    });
    const stricter = {
      ...current,
      currency: 'rub',
      phonePrefixes: ['+7', '+49'],
      passwordPolicy: { minLength: 24, minEntropyBits: 60 },
      loginPolicy: { minEmailLength: 16, maxEmailLength: 64 },
    };
    const put = await send(acme, 'PUT', '/api/settings/system', stricter);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ currency: 'RUB', passwordPolicy: { minLength: 24 } });

    const nowShort = await create('long-enough@acme.test', STRONG);
    expect(nowShort.body.errors[0].message).toContain('at least 24 characters');
    const shortEmail = await create('a@acme.test', `${STRONG}-${STRONG}`);
    expect(shortEmail.status).toBe(400);
    expect(fieldsOf(shortEmail.body)).toEqual(['email']);
    const badPhone = await send(acme, 'POST', '/api/users', {
      email: 'phone-user@acme.test',
      name: 'Phone',
      phone: '+1 555 0100',
      password: `${STRONG}-${STRONG}`,
      grant: { role: 'viewer' },
    });
    expect(fieldsOf(badPhone.body)).toEqual(['phone']);

    const invalid = await send(acme, 'PUT', '/api/settings/system', {
      ...stricter,
      currency: 'EURO',
      phonePrefixes: ['49'],
      loginPolicy: { minEmailLength: 50, maxEmailLength: 20 },
    });
    expect(invalid.status).toBe(400);
    expect(fieldsOf(invalid.body).sort()).toEqual([
      'currency',
      'loginPolicy.maxEmailLength',
      'phonePrefixes.0',
    ]);

    const [entry] = await auditOf('settings.system_updated', ids['tenant:Acme']!);
    expect(entry!.detail).toMatchObject({ currency: { from: 'EUR', to: 'RUB' } });
    // Globex keeps its own (default) settings.
    expect((await send(globex, 'GET', '/api/settings/system')).body.currency).toBe('EUR');
    expect((await send(acme, 'PUT', '/api/settings/system', current)).status).toBe(200);
  });

  it("an admin reset ends all of the user's sessions; a self change ends the others", async () => {
    const user = await newUser('rita@acme.test', { role: 'technician' });
    const first = await login('rita@acme.test', STRONG);
    const second = await login('rita@acme.test', STRONG);
    const reset = await send(acme, 'POST', `/api/users/${user.id}/password`, { password: `${STRONG}-reset` });
    expect(reset.status).toBe(204);
    for (const s of [first, second]) expect((await send(s, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await rawLogin('rita@acme.test', STRONG)).status).toBe(401);
    const [resetEntry] = await auditOf('user.password_reset', user.id);
    expect(resetEntry!.detail).toEqual({ email: 'rita@acme.test', sessionsEnded: 2 });

    const mine = await login('rita@acme.test', `${STRONG}-reset`);
    const other = await login('rita@acme.test', `${STRONG}-reset`);
    const wrong = await send(mine, 'POST', '/api/auth/password', {
      currentPassword: 'not it',
      newPassword: `${STRONG}-mine`,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'password.wrong_current' });
    expect(fieldsOf(wrong.body)).toEqual(['currentPassword']);
    const weak = await send(mine, 'POST', '/api/auth/password', {
      currentPassword: `${STRONG}-reset`,
      newPassword: 'password',
    });
    expect(weak.body).toMatchObject({ code: 'password.policy', errors: [{ path: 'newPassword' }] });
    const changed = await send(mine, 'POST', '/api/auth/password', {
      currentPassword: `${STRONG}-reset`,
      newPassword: `${STRONG}-mine`,
    });
    expect(changed.status).toBe(204);
    expect((await send(mine, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await send(other, 'GET', '/api/auth/me')).status).toBe(401);
    await login('rita@acme.test', `${STRONG}-mine`);
    expect(await auditOf('user.password_changed', user.id)).toHaveLength(1);
  });

  it('API tokens work as Bearer without CSRF, scoped like their grant, until revoked or expired', async () => {
    const olga = await login('olga@acme.test', STRONG);
    const created = await send(olga, 'POST', '/api/api-tokens', { name: 'billing export' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^vmt_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      role: 'operator',
      siteId: ids['site:acme-acc-north'],
      lastUsedAt: null,
    });
    const { rows } = await cloud.db.query<{ token_hash: Buffer }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [created.body.id],
    );
    expect(rows[0]!.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);

    const bearer = { bearer: token };
    // Scoped like the site-limited grant; no cookie at all.
    expect(identities((await send(bearer, 'GET', '/api/stations')).body)).toEqual(['ACME-N1']);
    expect((await send(bearer, 'GET', `/api/sites/${ids['site:acme-acc-south']}`)).status).toBe(404);
    expect((await send(bearer, 'GET', '/api/users')).status).toBe(403);
    // A write without x-csrf-token: fine with a bearer token (a tenant admin's token here).
    const adminToken = (await send(acme, 'POST', '/api/api-tokens', { name: 'ops' })).body.token as string;
    const settings = (await send(acme, 'GET', '/api/settings/system')).body;
    const bearerPut = await send({ bearer: adminToken }, 'PUT', '/api/settings/system', settings);
    expect(bearerPut.status).toBe(200);
    const cookieOnly = await fetch(`${cloud.url}/api/settings/system`, {
      method: 'PUT',
      headers: { cookie: acme.cookie, 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    expect(cookieOnly.status).toBe(403);
    // A token cannot mint tokens or change passwords.
    expect((await send(bearer, 'POST', '/api/api-tokens', { name: 'child' })).status).toBe(403);

    const listed = await send(olga, 'GET', '/api/api-tokens');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'billing export' }),
    ]);
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const all = await send(acme, 'GET', '/api/api-tokens?user=all');
    expect(all.body.items.map((t: Json) => t.userEmail).sort()).toEqual([
      'admin@Acme.test',
      'olga@acme.test',
    ]);
    // Another tenant cannot see or revoke it.
    expect((await send(globex, 'DELETE', `/api/api-tokens/${created.body.id}`)).status).toBe(404);

    const revoked = await send(olga, 'DELETE', `/api/api-tokens/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const after = await send(bearer, 'GET', '/api/stations');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.required');
    expect((await send(olga, 'DELETE', `/api/api-tokens/${created.body.id}`)).status).toBe(404);

    const past = await send(olga, 'POST', '/api/api-tokens', {
      name: 'old',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(fieldsOf(past.body)).toEqual(['expiresAt']);
    const shortLived = await send(olga, 'POST', '/api/api-tokens', {
      name: 'short',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await send({ bearer: shortLived.body.token }, 'GET', '/api/stations')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await send({ bearer: shortLived.body.token }, 'GET', '/api/stations')).status).toBe(401);
    expect((await send({ bearer: 'vmt_forged' }, 'GET', '/api/stations')).status).toBe(401);

    expect(await auditOf('api_token.created', created.body.id)).toHaveLength(1);
    const [revokedEntry] = await auditOf('api_token.revoked', created.body.id);
    expect(revokedEntry).toMatchObject({ user_email: 'olga@acme.test' });
  });

  it('disabling a user ends their sessions and tokens; enabling lets them back in', async () => {
    const user = await newUser('dora@acme.test', { role: 'analyst' });
    const dora = await login('dora@acme.test', STRONG);
    const token = (await send(dora, 'POST', '/api/api-tokens', { name: 'reports' })).body.token as string;
    const disabled = await send(acme, 'PATCH', `/api/users/${user.id}`, {
      disabled: true,
      phone: '+49 170 1234567',
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, phone: '+491701234567' });
    expect((await send(dora, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await send({ bearer: token }, 'GET', '/api/stations')).status).toBe(401);
    expect((await rawLogin('dora@acme.test', STRONG)).status).toBe(401);
    expect(
      (await send(acme, 'GET', '/api/users?disabled=true')).body.items.map((u: Json) => u.email),
    ).toEqual(['dora@acme.test']);
    await send(acme, 'PATCH', `/api/users/${user.id}`, { disabled: false });
    await login('dora@acme.test', STRONG);
    expect((await send({ bearer: token }, 'GET', '/api/stations')).status).toBe(200);
    expect(await auditOf('user.disabled', user.id)).toHaveLength(1);
    expect(await auditOf('user.enabled', user.id)).toHaveLength(1);
    expect((await auditOf('user.updated', user.id))[0]!.detail).toEqual({ changedFields: ['phone'] });
  });

  it('removing a grant ends the sessions and tokens on it; the tenant keeps an administrator', async () => {
    const user = await newUser('gina@acme.test', { role: 'viewer' });
    const added = await send(acme, 'POST', `/api/users/${user.id}/grants`, {
      role: 'operator',
      cityId: ids['city:Acme City'],
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ role: 'operator', cityName: 'Acme City' });
    const dup = await send(acme, 'POST', `/api/users/${user.id}/grants`, {
      role: 'operator',
      cityId: ids['city:Acme City'],
    });
    expect(dup.status).toBe(409);
    // Logins use the strongest grant: operator on the city.
    const gina = await login('gina@acme.test', STRONG);
    expect((await send(gina, 'GET', '/api/auth/me')).body.user.role).toBe('operator');
    const removed = await send(acme, 'DELETE', `/api/users/${user.id}/grants/${added.body.id}`);
    expect(removed.status).toBe(204);
    expect((await send(gina, 'GET', '/api/auth/me')).status).toBe(401);
    await login('gina@acme.test', STRONG); // still signs in, with the viewer grant
    expect((await auditOf('grant.removed', user.id))[0]!.detail).toMatchObject({
      role: 'operator',
      sessionsEnded: 1,
    });

    const self = ids['user:admin@Acme.test']!;
    const grants = (await send(acme, 'GET', `/api/users/${self}/grants`)).body.items as Json[];
    const last = await send(acme, 'DELETE', `/api/users/${self}/grants/${grants[0].id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('user.last_admin');
    const selfDisable = await send(acme, 'PATCH', `/api/users/${self}`, { disabled: true });
    expect(selfDisable.status).toBe(400);
    expect(fieldsOf(selfDisable.body)).toEqual(['disabled']);
    expect((await send(acme, 'GET', '/api/auth/me')).status).toBe(200);

    // With a second tenant-wide admin the first may step down.
    const second = await newUser('second-admin@Acme.test', { role: 'admin' });
    const other = await login('second-admin@Acme.test', STRONG);
    const stepDown = await send(other, 'DELETE', `/api/users/${second.id}/grants/${second.grants[0].id}`);
    expect(stepDown.status).toBe(204);
  });

  it('refuses a taken e-mail with a conflict naming the field, and bad bodies with field errors', async () => {
    const taken = await send(acme, 'POST', '/api/users', {
      email: 'ADMIN@globex.test',
      name: 'Copy',
      password: STRONG,
      grant: { role: 'viewer' },
    });
    expect(taken.status).toBe(409);
    expect(fieldsOf(taken.body)).toEqual(['email']);
    const bad = await send(acme, 'POST', '/api/users', {
      email: 'not an email',
      name: '',
      locale: 'fr',
      password: STRONG,
      grant: { role: 'king', siteId: ids['site:acme-acc-north'], cityId: ids['city:Acme City'] },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body).sort()).toEqual(['email', 'grant.role', 'locale', 'name']);
  });

  it('create-admin (the production first admin) enforces the password policy, naming the rule', async () => {
    const run = (password: string) =>
      new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            'src/cli.ts',
            'create-admin',
            '--email',
            'first@initech.test',
            '--name',
            'First',
            '--tenant',
            'Initech',
          ],
          {
            cwd: CLOUD_DIR,
            env: { ...process.env, DATABASE_URL: testDb.url, VOLTMESH_ADMIN_PASSWORD: password },
          },
        );
        let stderr = '';
        let stdout = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr, stdout }));
      });
    const weak = await run('initechinc');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('[minEntropyBits]');
    expect(weak.stderr).not.toContain('initechinc');
    const { rows } = await cloud.db.query("SELECT 1 FROM tenants WHERE name = 'Initech'");
    expect(rows).toHaveLength(0);
    const ok = await run(STRONG);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('created admin first@initech.test');
    await login('first@initech.test', STRONG);
  });

  it('never shows a password hash in an answer', async () => {
    const { rows } = await cloud.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE email = 'olga@acme.test'",
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    const all = await send(acme, 'GET', '/api/users?limit=500');
    expect(JSON.stringify(all.body)).not.toContain('argon2');
  });
});
