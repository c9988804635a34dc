/**
 * Managing the hierarchy from the dashboard, end to end: an admin creates a city and a site in
 * Chromium (the edge credentials are shown once), registers a station with one CCS2 connector at
 * the site the stack's edge agent serves (its password is shown once), and a real OCPP 1.6 client
 * connects to that edge agent with Basic auth using the password; then a new RFID card is accepted
 * by the edge and refused once it is blocked in the dashboard, and gets a holder and a corporate group
 * (Cyrillic and Chinese names) made on their tabs. Each step reaches the edge through
 * the site's NATS KV bucket, without restarting anything.
 */
import type { RPCClient } from 'ocpp-rpc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet, SITE_CODE } from './fleet.js';
import { logIn, ocppClient as edgeClient, startE2e, type E2e } from './harness.js';

const NEW_STATION = 'E2E-API-1';
const CARD = 'E2E-CARD-1';

describe('sites, stations and tokens managed from the dashboard reach the edge', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient | undefined;
  let stationPassword = '';

  beforeAll(async () => {
    e2e = await startE2e('res', e2eFleet('E2E-RES-16', 'E2E-RES-201'));
    stack = e2e.stack;
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  const ocppClient = (password: string) => edgeClient(stack, NEW_STATION, 'ocpp1.6', { password });

  it('creates a city and a site; the edge credentials are shown once', async () => {
    await page.goto(`${stack.url}/sites`);
    await page.getByTestId('city-add').click();
    await page.getByTestId('city-name').fill('Kazan');
    await page.getByTestId('city-country').fill('ru');
    await page.getByTestId('city-lat').fill('55.79');
    await page.getByTestId('city-lon').fill('49.12');
    await page.getByTestId('city-dialog-save').click();
    const kazan = page.locator('[data-testid="city-node"][data-name="Kazan"]');
    await kazan.waitFor({ timeout: 20_000 });
    expect(await kazan.textContent()).toContain('Kazan (RU)');

    await page.getByTestId('site-add').click();
    await page.getByTestId('site-code').fill('e2e-kazan');
    await page.getByTestId('site-name').fill('Kazan depot');
    await page.getByTestId('site-city').selectOption({ label: 'Kazan' });
    await page.getByTestId('site-capacity').fill('400');
    await page.getByTestId('site-dialog-save').click();

    const secret = page.getByTestId('secret-dialog');
    await secret.waitFor({ timeout: 20_000 });
    expect(await secret.getByTestId('secret-warning').textContent()).toContain('shown only once');
    const user = await secret.locator('[data-testid="secret-value"][data-name="natsUser"]').textContent();
    const password = (await secret
      .locator('[data-testid="secret-value"][data-name="natsPassword"]')
      .textContent())!.trim();
    expect(user).toBe('edge-e2e-kazan');
    expect(password.length).toBeGreaterThanOrEqual(24);
    await page.getByTestId('secret-close').click();
    await secret.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(password);
    await kazan.locator('[data-testid="site-node"][data-code="e2e-kazan"]').waitFor();
  });

  it('registers a station with a CCS2 connector; a charger logs in to the edge with its one-time password', async () => {
    const site = page.locator(`[data-testid="site-node"][data-code="${SITE_CODE}"]`);
    expect(await site.getAttribute('data-station-count')).toBe('2');
    await site.getByTestId('site-add-station').click();
    await page.getByTestId('station-form-identity').fill(NEW_STATION);
    await page.getByTestId('station-form-name').fill('API-registered charger');
    await page.getByTestId('connector-add').click();
    await page.getByTestId('connector-type').selectOption('CCS2');
    await page.getByTestId('connector-power').fill('150');
    await page.getByTestId('station-form-save').click();

    const value = page.locator('[data-testid="secret-value"][data-name="stationPassword"]');
    await value.waitFor({ timeout: 20_000 });
    stationPassword = (await value.textContent())!.trim();
    expect(stationPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.getByTestId('secret-close').click();
    await expect.poll(() => site.getAttribute('data-station-count'), { timeout: 20_000 }).toBe('3');

    // Once the edge has the station's entry (through KV), a wrong password is refused ...
    await expect
      .poll(
        async () => {
          const intruder = ocppClient('not-the-password-0000');
          try {
            await intruder.connect();
            await intruder.close({ force: true });
            return 'connected';
          } catch {
            return 'refused';
          }
        },
        { timeout: 20_000 },
      )
      .toBe('refused');
    // ... and the shown-once password is accepted, with no restart of the edge.
    charger = ocppClient(stationPassword);
    await charger.connect();
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'ACME',
      chargePointModel: 'DC 150',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
  });

  it('creates an RFID card the edge accepts, then blocks it and the edge refuses it', async () => {
    const authorize = async () =>
      ((await charger!.call('Authorize', { idTag: CARD })) as { idTagInfo: { status: string } }).idTagInfo
        .status;
    expect(await authorize()).toBe('Invalid');

    await page.goto(`${stack.url}/tokens`);
    await page.getByTestId('token-add').click();
    await page.getByTestId('token-uid').fill(CARD);
    await page.getByTestId('token-dialog-save').click();
    const row = page.locator(`[data-testid="token-row"][data-uid="${CARD}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(authorize, { timeout: 20_000 }).toBe('Accepted');

    await row.getByTestId('token-block').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('blocked');
    await expect.poll(authorize, { timeout: 20_000 }).toBe('Blocked');
  });

  it('records who holds the card: a holder and a corporate group made on their tabs, chosen in the card dialog', async () => {
    await page.getByTestId('tokens-tab-holders').click();
    await page.getByTestId('holder-add').click();
    await page.getByTestId('holder-name').fill('Иван Петров');
    await page.getByTestId('holder-company').fill('ООО «Логистика»');
    await page.getByTestId('holder-dialog-save').click();
    const holder = page.locator('[data-testid="holder-row"][data-name="Иван Петров"]');
    await holder.waitFor({ timeout: 20_000 });
    expect(await holder.textContent()).toContain('ООО «Логистика»');

    await page.getByTestId('tokens-tab-groups').click();
    await page.getByTestId('group-add').click();
    await page.getByTestId('group-name').fill('车队司机');
    await page.getByTestId('group-kind').selectOption('corporate');
    await page.getByTestId('group-dialog-save').click();
    const group = page.locator('[data-testid="group-row"][data-name="车队司机"]');
    await group.waitFor({ timeout: 20_000 });
    expect(await group.getAttribute('data-kind')).toBe('corporate');

    await page.getByTestId('tokens-tab-tokens').click();
    const row = page.locator(`[data-testid="token-row"][data-uid="${CARD}"]`);
    await row.getByTestId('token-edit').click();
    await page.getByTestId('token-holder').selectOption({ label: 'Иван Петров' });
    await page.getByTestId('token-group').selectOption({ label: '车队司机' });
    await page.getByTestId('token-dialog-save').click();
    await page.getByTestId('token-dialog').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Иван Петров');
    // The group counts its card.
    await page.getByTestId('tokens-tab-groups').click();
    await expect.poll(() => group.textContent(), { timeout: 20_000 }).toContain('1');
  });
});
