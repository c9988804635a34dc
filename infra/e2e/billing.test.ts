/**
 * Tariffs and session cost from the dashboard, end to end (real stack, Chromium, a real OCPP 1.6
 * client at the site's edge agent): an admin creates a tariff and assigns it to the site; a charger
 * runs a session with a card; the session page shows it live with its running cost, then turns into
 * the final report when the charger stops: kWh equal to the meter delta, the cost as computed by
 * hand, and a CSV download with a BOM and the holder's Cyrillic name intact.
 */
import { readFile } from 'node:fs/promises';
import type { RPCClient } from 'ocpp-rpc';
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { createAsAdmin, logIn, ocppClient, startE2e, type E2e, sql as query } from './harness.js';

const STATION = 'E2E-BIL-16';
const CARD = 'E2E-BILL-CARD';
const HOLDER = 'Ольга Смирнова';

describe('tariffs and the final session report from the dashboard', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient | undefined;
  let transactionId = 0;

  const sql = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    query<T>(stack, text, params);

  beforeAll(async () => {
    e2e = await startE2e('billing', e2eFleet(STATION, 'E2E-BIL-201'));
    stack = e2e.stack;
    page = await e2e.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  it('creates a tariff and assigns it to the site', async () => {
    await page.goto(`${stack.url}/tariffs`);
    await page.getByTestId('tariffs-empty').waitFor({ timeout: 20_000 });
    await page.getByTestId('tariff-new').click();
    await page.getByTestId('tariff-name').fill('Стандарт 标准');
    await page.getByTestId('tariff-currency').fill('EUR');
    await page.getByTestId('tariff-time-zone').fill('Europe/Moscow');
    await page.getByTestId('tariff-energyPerKwh').fill('0.50');
    await page.getByTestId('tariff-chargingPerMinute').fill('0');
    await page.getByTestId('tariff-idlePerMinute').fill('0');
    await page.getByTestId('tariff-sessionFee').fill('1.00');
    await page.getByTestId('tariff-minimum').fill('');
    await page.getByTestId('tariff-maximum').fill('');
    await page.getByTestId('tariff-taxRatePercent').fill('20');
    // Valid from an hour ago: the session below starts now.
    const from = new Date(Date.now() - 3_600_000 - new Date().getTimezoneOffset() * 60_000);
    await page.getByTestId('tariff-valid-from').fill(from.toISOString().slice(0, 16));
    await page.getByTestId('tariff-save').click();
    const card = page.locator('[data-testid="tariff-card"][data-name="Стандарт 标准"]');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getByTestId('tariff-prices').textContent()).toContain('€0.50');

    await card.getByTestId('assign-type').selectOption('site');
    await card.getByTestId('assign-target').selectOption({ label: 'E2E site' });
    await card.getByTestId('assign-submit').click();
    await card.getByTestId('tariff-assignment').filter({ hasText: 'E2E site' }).waitFor({ timeout: 20_000 });
  });

  it('shows a charging session live with its running cost, then its final report when it stops', async () => {
    const holder = await createAsAdmin(stack, '/api/token-holders', { name: HOLDER });
    await createAsAdmin(stack, '/api/tokens', { uid: CARD, holderId: holder.id });

    charger = ocppClient(stack, STATION, 'ocpp1.6');
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'ABB', chargePointModel: 'Terra AC W22' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await expect
      .poll(
        async () =>
          ((await charger!.call('Authorize', { idTag: CARD })) as { idTagInfo: { status: string } }).idTagInfo
            .status,
        { timeout: 20_000 },
      )
      .toBe('Accepted');
    await charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    const start = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: CARD,
      meterStart: 1_000,
      timestamp: new Date(Date.now() - 120_000).toISOString(),
    })) as { transactionId: number };
    transactionId = start.transactionId;
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          sampledValue: [
            { value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '231', measurand: 'Voltage', unit: 'V' },
          ],
        },
      ],
    });

    await page.goto(`${stack.url}/sessions`);
    const live = page.locator('[data-testid="session-row"][data-status="active"]');
    await live.waitFor({ timeout: 30_000 });
    expect(await live.textContent()).toContain(HOLDER);
    await live.getByTestId('session-link').click();
    await page.getByTestId('session-live').waitFor({ timeout: 20_000 });
    // 3 kWh so far at 0.50 + 1.00 session fee = 2.50, plus 20 % tax.
    await expect.poll(() => page.getByTestId('live-cost').textContent(), { timeout: 20_000 }).toBe('€3.00');
    expect(await page.getByTestId('live-energy').textContent()).toBe('3.000 kWh');
    expect(await page.getByTestId('live-voltage').textContent()).toBe('231 V');

    // A new reading reaches the open page over the socket.
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: new Date(Date.now() - 30_000).toISOString(),
          sampledValue: [
            { value: '6000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '230', measurand: 'Voltage', unit: 'V' },
          ],
        },
      ],
    });
    await expect
      .poll(() => page.getByTestId('live-energy').textContent(), { timeout: 20_000 })
      .toBe('5.000 kWh');
    expect(await page.getByTestId('live-power').textContent()).toBe('11.0 kW');
    expect(await page.getByTestId('live-voltage').textContent()).toBe('230 V');
    expect(await page.getByTestId('live-cost').textContent()).toBe('€4.20');

    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 8_500,
      timestamp: new Date().toISOString(),
      idTag: CARD,
    });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });

    // The open page turns into the final report by itself.
    await page.getByTestId('report-breakdown').waitFor({ timeout: 30_000 });
    const [session] = await sql<{ meter_start_wh: number; meter_stop_wh: number }>(
      'SELECT meter_start_wh, meter_stop_wh FROM sessions WHERE id_token = $1',
      [CARD],
    );
    const deltaKwh = ((session!.meter_stop_wh - session!.meter_start_wh) / 1000).toFixed(3);
    expect(await page.getByTestId('report-energy').textContent()).toBe(`${deltaKwh} kWh`);
    expect(deltaKwh).toBe('7.500');
    // 7.5 kWh × 0.50 = 3.75, + 1.00 = 4.75 net; 20 % tax 0.95; total 5.70.
    expect(await page.getByTestId('breakdown-net').textContent()).toBe('€4.75');
    expect(await page.getByTestId('breakdown-tax').textContent()).toBe('€0.95');
    expect(await page.getByTestId('breakdown-total').textContent()).toBe('€5.70');
    expect(await page.getByTestId('session-detail-status').textContent()).toContain('Completed');
    expect(await page.getByTestId('session-holder').textContent()).toContain(HOLDER);

    // Printed: the report and the chart, without the header, navigation or buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('report-breakdown').isVisible()).toBe(true);
    expect(await page.getByTestId('session-chart').isVisible()).toBe(true);
    expect(await page.getByTestId('nav-sessions').isVisible()).toBe(false);
    expect(await page.getByTestId('session-print').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.getByTestId('session-print').isVisible()).toBe(true);
  });

  it('downloads the report as CSV with a BOM and the names intact', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('session-csv').click(),
    ]);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain(`Holder,${HOLDER}\r\n`);
    expect(text).toContain('Energy (kWh),7.500\r\n');
    expect(text).toContain('Tariff,Стандарт 标准 (from ');
    expect(text).toContain('Total,,,,5.70\r\n');
  });
});
