/**
 * Alerts end to end on the real stack, in Chromium: an admin puts themself on the site's on-call
 * crew and lowers the default "station offline" rule to one minute in the rule editor; a real
 * OCPP 1.6 charger then goes away (its connection closed, as when the simulated charger stops); the
 * incident appears on the open incidents page without a reload, with a toast and the bell's count;
 * the admin acknowledges it with a comment; the delivery history lists the in-app message; the admin
 * resolves it with a comment.
 */
import type { RPCClient } from 'ocpp-rpc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { logIn, ocppClient, saveScreenshot, startE2e, type E2e } from './harness.js';

const STATION = 'E2E-ALERT-16';

describe('alerts: a charger goes offline, the incident shows up live, is acknowledged and notified', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient | undefined;

  beforeAll(async () => {
    e2e = await startE2e('alerts', e2eFleet(STATION, 'E2E-ALERT-201'));
    stack = e2e.stack;
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  it('puts the admin on the on-call crew of the site', async () => {
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('alerts-link-oncall').click();
    await page.getByTestId('group-add').click();
    const dialog = page.getByTestId('group-dialog');
    await dialog.getByTestId('group-name').fill('E2E crew');
    await dialog.getByTestId('group-scope-select').selectOption({ label: 'E2E site' });
    await dialog
      .getByTestId('group-member-add-select')
      .selectOption({ label: `${stack.fleet.admin.name} (${stack.fleet.admin.email})` });
    await dialog.getByTestId('group-member-add').click();
    await dialog.getByTestId('group-dialog-save').click();
    const card = page.locator('[data-testid="group-card"][data-name="E2E crew"]');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getByTestId('group-scope').textContent()).toBe('E2E site');
    expect(await card.getByTestId('group-level').textContent()).toContain(stack.fleet.admin.name);
    await saveScreenshot(page, 'oncall');
  });

  it('lowers the station-offline rule to one minute in the rule editor', async () => {
    await page.getByTestId('alerts-link-rules').click();
    const row = page.locator('[data-testid="rule-row"][data-kind="station_offline"]');
    await row.waitFor({ timeout: 20_000 });
    await row.getByTestId('rule-edit').click();
    const dialog = page.getByTestId('rule-dialog');
    await dialog.getByTestId('rule-param-durationMinutes').fill('1');
    await dialog.getByTestId('rule-channel-in_app').check();
    await dialog.getByTestId('rule-site-oncall').check();
    await saveScreenshot(page, 'alert-rule-editor');
    await dialog.getByTestId('rule-dialog-save').click();
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    await expect
      .poll(() => row.getByTestId('rule-thresholds').textContent(), { timeout: 20_000 })
      .toBe('For at least (minutes): 1');
    // Saved, not only shown: a reload reads it back.
    await page.reload();
    await expect
      .poll(() => row.getByTestId('rule-thresholds').textContent(), { timeout: 20_000 })
      .toBe('For at least (minutes): 1');
  });

  it('shows the incident live when the charger goes offline, and takes an acknowledgement', async () => {
    charger = ocppClient(stack, STATION, 'ocpp1.6');
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'ABB', chargePointModel: 'Terra AC W22' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });

    await page.getByTestId('alerts-link-incidents').click();
    await page.getByTestId('incidents-page').waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor({ timeout: 20_000 });

    await charger.close({ code: 1000 });
    charger = undefined;
    const row = page.locator(`[data-testid="incident-row"][data-station="${STATION}"]`);
    await row.waitFor({ timeout: 150_000 });
    expect(navigations).toEqual([]);
    expect(await row.getAttribute('data-kind')).toBe('station_offline');
    expect(await row.getAttribute('data-status')).toBe('open');
    expect(await row.textContent()).toContain(`${STATION} offline`);
    // The in-app message: a toast and the bell's count, also without a reload.
    const toast = page.getByTestId('alert-toast').first();
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.textContent()).toContain(STATION);
    await expect
      .poll(() => page.getByTestId('alerts-bell-count').textContent(), { timeout: 10_000 })
      .toBe('1');

    await row.getByTestId('incident-acknowledge').click();
    await page.getByTestId('incident-comment').fill('crew on the way');
    await page.getByTestId('incident-action-save').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('acknowledged');
    await row.getByTestId('incident-open').click();
    const detail = page.getByTestId('incident-detail');
    await expect
      .poll(
        () =>
          detail
            .locator('[data-testid="incident-event"]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))),
        {
          timeout: 20_000,
        },
      )
      .toEqual(['opened', 'acknowledged']);
    expect(await detail.getByTestId('incident-timeline').textContent()).toContain('crew on the way');
    await saveScreenshot(page, 'incidents');
  }, 240_000);

  it('lists the in-app message in the delivery history', async () => {
    await page.getByTestId('alerts-link-notifications').click();
    const row = page.locator('[data-testid="notification-row"][data-channel="in_app"]').first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('notification-subject').textContent()).toContain(STATION);
    expect(await row.textContent()).toContain(stack.fleet.admin.name);
    expect(['sent', 'delivered']).toContain(await row.getAttribute('data-status'));
    expect(await row.getAttribute('data-reason')).toBe('opened');
    await page.getByTestId('alerts-bell').click();
    await page.getByTestId('alerts-inbox').waitFor();
    await saveScreenshot(page, 'notifications');
  });

  it('resolves the incident with a comment: it leaves the unresolved list and is listed as resolved', async () => {
    await page.goto(`${stack.url}/incidents`);
    const row = page.locator(`[data-testid="incident-row"][data-station="${STATION}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.getByTestId('incident-resolve').click();
    // A resolution needs its comment.
    await page.getByTestId('incident-comment').fill('RCD reset on site');
    await page.getByTestId('incident-action-save').click();
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('incident-status-filter').selectOption('resolved');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('resolved');
    await row.getByTestId('incident-open').click();
    expect(await page.getByTestId('incident-timeline').textContent()).toContain('RCD reset on site');
  });
});
