/**
 * Accounts end to end in Chromium against the real stack: an admin creates a user with an operator
 * role limited to one of two sites; that user signs in and sees only that site's stations; the admin
 * disables the user and the user's next request is refused, which sends them back to the login page
 * (and the password no longer works). Two browser contexts: two independent cookie jars.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { logIn, startE2e, type E2e } from './harness.js';

const OPERATOR = { email: 'olga.operator@e2e.voltmesh.local', password: 'Tidal-Orbit-42-Lantern' };

/** The e2e fleet plus a second site with one station the operator must never see. */
function twoSiteFleet() {
  const fleet = e2eFleet('E2E-ACC-16', 'E2E-ACC-201');
  const city = fleet.cities[0]!;
  const first = city.sites[0]!;
  city.sites.push({
    ...first,
    code: 'e2e-acc-other',
    name: 'Other depot',
    stations: [{ ...first.stations[0]!, identity: 'E2E-ACC-OTHER', name: 'Other charger' }],
  });
  return fleet;
}

describe('accounts: an admin creates a site-limited operator, then disables them', () => {
  let e2e: E2e;
  let stack: Stack;
  let admin: Page;
  let operator: Page;

  beforeAll(async () => {
    e2e = await startE2e('acc', twoSiteFleet());
    stack = e2e.stack;
    const viewport = { width: 1280, height: 900 };
    admin = await (await e2e.browser.newContext({ viewport, locale: 'en-US' })).newPage();
    operator = await (await e2e.browser.newContext({ viewport, locale: 'en-US' })).newPage();
    await logIn(admin, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  it('the admin creates a user with an operator role on one site', async () => {
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('users-page').waitFor();
    await admin.getByTestId('user-add').click();
    await admin.getByTestId('user-email').fill(OPERATOR.email);
    await admin.getByTestId('user-name').fill('Olga Operator');
    // A weak password is refused with the rule under the field.
    await admin.getByTestId('user-password').fill('olga');
    await admin.getByTestId('grant-role').selectOption('operator');
    await admin.getByTestId('grant-scope').selectOption({ label: 'Site: E2E site' });
    await admin.getByTestId('user-dialog-save').click();
    const error = admin.locator('[data-testid="field-error"][data-field="password"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain('at least 10 characters');

    await admin.getByTestId('user-password').fill(OPERATOR.password);
    await admin.getByTestId('user-dialog-save').click();
    await admin.getByTestId('user-dialog').waitFor({ state: 'detached', timeout: 20_000 });
    const row = admin.locator(`[data-testid="user-row"][data-email="${OPERATOR.email}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect((await row.getByTestId('user-row-grants').textContent())?.trim()).toBe(
      'Operator · Site: E2E site',
    );
  });

  it("the new user signs in and sees only that site's stations", async () => {
    await logIn(operator, stack, OPERATOR);
    expect(await operator.getByTestId('current-user').getAttribute('data-role')).toBe('operator');
    expect(await operator.getByTestId('nav-users').count()).toBe(0);
    await operator.getByTestId('nav-stations').click();
    const rows = operator.getByTestId('station-row');
    await expect
      .poll(
        async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-identity')))).sort(),
        {
          timeout: 20_000,
        },
      )
      .toEqual(['E2E-ACC-16', 'E2E-ACC-201']);
    // The admin, tenant-wide, sees the other site's station too.
    await admin.getByTestId('nav-stations').click();
    await admin
      .locator('[data-testid="station-row"][data-identity="E2E-ACC-OTHER"]')
      .waitFor({ timeout: 20_000 });
  });

  it("after the admin disables the user, the user's next request sends them back to the login page", async () => {
    await admin.getByTestId('nav-users').click();
    const row = admin.locator(`[data-testid="user-row"][data-email="${OPERATOR.email}"]`);
    await row.getByTestId('user-disable').click();
    await admin.getByTestId('user-disable-dialog-save').click();
    await expect.poll(() => row.getAttribute('data-disabled'), { timeout: 20_000 }).toBe('true');

    await operator.getByTestId('nav-sites').click();
    await operator.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 });
    await operator.getByTestId('login-email').fill(OPERATOR.email);
    await operator.getByTestId('login-password').fill(OPERATOR.password);
    await operator.getByTestId('login-submit').click();
    const refused = operator.getByTestId('login-error');
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.getAttribute('data-reason')).toBe('invalidCredentials');
  });
});
