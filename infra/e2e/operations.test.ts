/**
 * An operator's day in Chromium against the real stack (charger → edge → NATS → cloud → browser):
 * the login page refuses a wrong password and says so; the station list finds a station despite a
 * typo and narrows by online state and connector type; the station page reads the charger's
 * configuration, changes a key and starts a session remotely, each after a confirmation and with the
 * charger's answer shown; with the charger gone the same command says "offline"; the audit page lists
 * what happened and filters it.
 */
import type { RPCClient } from 'ocpp-rpc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { ocppClient, startE2e, type E2e } from './harness.js';

const STATION_16 = 'E2E-OPS-16';
const STATION_201 = 'E2E-OPS-201';

describe('operations: login, station search and filters, configuration and commands, audit', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient;
  const received: { method: string; params: unknown }[] = [];

  beforeAll(async () => {
    e2e = await startE2e('ops', e2eFleet(STATION_16, STATION_201));
    stack = e2e.stack;

    // One 1.6 charger online; the 2.0.1 station (CCS2) never connects, so it stays offline.
    charger = ocppClient(stack, STATION_16, 'ocpp1.6');
    charger.handle('GetConfiguration', ({ params }) => {
      received.push({ method: 'GetConfiguration', params });
      return Promise.resolve({
        configurationKey: [
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'NumberOfConnectors', readonly: true, value: '2' },
        ],
      });
    });
    charger.handle('ChangeConfiguration', ({ params }) => {
      received.push({ method: 'ChangeConfiguration', params });
      return Promise.resolve({ status: 'Accepted' });
    });
    charger.handle('RemoteStartTransaction', ({ params }) => {
      received.push({ method: 'RemoteStartTransaction', params });
      return Promise.resolve({ status: 'Accepted' });
    });
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'ABB', chargePointModel: 'Terra AC W22' });
    for (const connectorId of [1, 2]) {
      await charger.call('StatusNotification', { connectorId, status: 'Available', errorCode: 'NoError' });
    }

    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  }, 240_000);

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      e2e.dumpLogs();
      process.stderr.write(`\n--- the charger received ---\n${JSON.stringify(received)}\n`);
    }),
  );

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  it('the login page refuses a wrong password with a message, then signs in', async () => {
    await page.goto(`${stack.url}/stations`);
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 });
    await page.getByTestId('login-email').fill(stack.fleet.admin.email);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-reason')).toBe('invalidCredentials');
    expect((await error.textContent())?.length).toBeGreaterThan(5);

    await page.getByTestId('login-password').fill(stack.fleet.admin.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
    expect(await page.getByTestId('current-user').getAttribute('data-role')).toBe('admin');
  });

  it('the station list finds a station despite a typo and narrows by online state and connector type', async () => {
    await page.getByTestId('nav-stations').click();
    const rows = page.getByTestId('station-row');
    const identities = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-identity')));
    await expect
      .poll(async () => (await identities()).sort(), { timeout: 20_000 })
      .toEqual([STATION_16, STATION_201]);

    await page.getByTestId('station-search').fill('E2E 2.0.1 chrager');
    await expect.poll(async () => (await identities())[0], { timeout: 20_000 }).toBe(STATION_201);
    await page.getByTestId('station-search').fill('');

    await page.getByTestId('filter-online').selectOption('online');
    await expect.poll(identities, { timeout: 20_000 }).toEqual([STATION_16]);
    await page.getByTestId('filter-online').selectOption('offline');
    await expect.poll(identities, { timeout: 20_000 }).toEqual([STATION_201]);
    await page.getByTestId('filter-online').selectOption('');
    await page.getByTestId('filter-connector-type').selectOption('CCS2');
    await expect.poll(identities, { timeout: 20_000 }).toEqual([STATION_201]);
    await page.getByTestId('filter-online').selectOption('online');
    await page.getByTestId('stations-empty').waitFor({ timeout: 20_000 });
    await page.getByTestId('filter-clear').click();
    await expect.poll(async () => (await identities()).length, { timeout: 20_000 }).toBe(2);
  });

  it("the station page reads and changes the charger's configuration after a confirmation", async () => {
    await page.locator(`[data-testid="station-row"][data-identity="${STATION_16}"]`).click();
    await page.getByTestId('config-panel').waitFor({ timeout: 20_000 });
    await page.getByTestId('command-get_configuration').click();
    // Nothing is sent before the confirmation.
    await page.getByTestId('command-dialog').waitFor();
    expect(received.filter((r) => r.method === 'GetConfiguration')).toHaveLength(0);
    await page.getByTestId('command-confirm').click();
    // An accepted read shows the table (a banner only says when it was not accepted).
    const heartbeat = page.locator('[data-testid="config-row"][data-key="HeartbeatInterval"]');
    await heartbeat.waitFor({ timeout: 20_000 });
    expect(await heartbeat.textContent()).toContain('300');
    // A read-only key cannot be edited.
    const readonly = page.locator('[data-testid="config-row"][data-key="NumberOfConnectors"]');
    expect(await readonly.getByTestId('config-edit').count()).toBe(0);

    await heartbeat.getByTestId('config-edit').click();
    await page.getByTestId('config-value').fill('120');
    await page.getByTestId('command-confirm').click();
    const change = page.getByTestId('config-change-result');
    await expect.poll(() => change.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('accepted');
    expect(received.filter((r) => r.method === 'ChangeConfiguration').map((r) => r.params)).toEqual([
      { key: 'HeartbeatInterval', value: '120' },
    ]);
  });

  it('a remote start reaches the charger and its answer is shown; offline, the same command says so', async () => {
    await page.getByTestId('command-remote_start').click();
    await page.getByTestId('command-id-tag').fill('E2E-TAG-7');
    await page.getByTestId('command-confirm').click();
    const result = page.getByTestId('command-result');
    await expect.poll(() => result.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('accepted');
    expect(received.filter((r) => r.method === 'RemoteStartTransaction').map((r) => r.params)).toEqual([
      expect.objectContaining({ idTag: 'E2E-TAG-7' }),
    ]);

    await charger.close({ code: 1000 });
    await expect
      .poll(() => page.getByTestId('station-online').getAttribute('data-online'), { timeout: 20_000 })
      .toBe('false');
    await page.getByTestId('command-remote_start').click();
    await page.getByTestId('command-id-tag').fill('E2E-TAG-7');
    await page.getByTestId('command-confirm').click();
    await expect.poll(() => result.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('offline');
    expect(received.filter((r) => r.method === 'RemoteStartTransaction')).toHaveLength(1);
    const recent = page.locator('[data-testid="command-recent"] li');
    await expect
      .poll(() => recent.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))), {
        timeout: 20_000,
      })
      .toEqual(expect.arrayContaining(['offline', 'accepted']));
  });

  it('the audit page lists the failed sign-in and the commands, and filters by action', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-page').waitFor();
    const actions = () =>
      page.getByTestId('audit-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    await expect
      .poll(actions, { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login', 'command.sent']));

    await page.getByTestId('audit-action').selectOption('command.sent');
    await page.getByTestId('audit-apply').click();
    await expect
      .poll(async () => [...new Set(await actions())], { timeout: 20_000 })
      .toEqual(['command.sent']);
    // get configuration, change configuration, two remote starts (the offline one is recorded too).
    expect((await actions()).length).toBe(4);
    const details = await page.getByTestId('audit-row').allTextContents();
    expect(details.join('\n')).toContain('remote_start');
  });
});
