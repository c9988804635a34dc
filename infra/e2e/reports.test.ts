/**
 * Reports from the dashboard, end to end (real stack, Chromium): an RFID card of a holder with a
 * Chinese name is created through the API (so the edge knows it), a real OCPP 1.6 charger runs a
 * session with it at the stack's edge agent, and the Reports page shows the session's energy
 * (the meter delta) summed by card and by holder, draws the analytics charts, and downloads the
 * sessions as CSV with a BOM and the holder's name intact.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { RPCClient } from 'ocpp-rpc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { createAsAdmin, logIn, ocppClient, startE2e, type E2e, sql as query } from './harness.js';

const STATION = 'E2E-REP-16';
const CARD = 'E2E-REPORT-CARD';
const HOLDER = '李娜';

describe('reports: a charging session summed by card and holder, charts and CSV', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient | undefined;

  const sql = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    query<T>(stack, text, params);

  beforeAll(async () => {
    e2e = await startE2e('reports', e2eFleet(STATION, 'E2E-REP-201'));
    stack = e2e.stack;
    page = await e2e.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  it('a real charger session with the card lands in the sessions with the meter delta', async () => {
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
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    })) as { transactionId: number };
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        {
          timestamp: new Date(Date.now() - 30_000).toISOString(),
          sampledValue: [{ value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    });
    await charger.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 8_500,
      timestamp: new Date().toISOString(),
      idTag: CARD,
    });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await expect
      .poll(
        async () =>
          (
            await sql<{ energy_wh: number | null; status: string }>(
              'SELECT energy_wh, status FROM sessions WHERE id_token = $1',
              [CARD],
            )
          ).map((s) => [s.status, s.energy_wh]),
        { timeout: 30_000 },
      )
      .toEqual([['completed', 7_500]]);
  });

  it('sums the energy by card and by holder on the Reports page', async () => {
    await page.goto(`${stack.url}/reports`);
    const row = page.locator(`[data-testid="report-row"][data-key="${CARD}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('report-energy').textContent()).toBe('7.5 kWh');
    expect(await row.textContent()).toContain(HOLDER);

    await page.getByTestId('report-group-holder').click();
    const holderRow = page.locator('[data-testid="report-row"]').filter({ hasText: HOLDER });
    await holderRow.waitFor({ timeout: 20_000 });
    expect(await holderRow.getByTestId('report-energy').textContent()).toBe('7.5 kWh');
    expect(await page.getByTestId('report-total').textContent()).toContain('7.5 kWh');
  });

  it('draws the analytics charts for the period', async () => {
    await page.locator('[data-testid="report-charts"][data-state="ready"]').waitFor({ timeout: 20_000 });
    for (const id of ['energy', 'revenue', 'peak', 'utilisation', 'uptime']) {
      await page.getByTestId(`report-${id}-chart`).waitFor({ timeout: 20_000 });
    }
    // One bar per day of the month, one per station; the charger's EVSEs in the uptime chart.
    expect(
      Number(await page.getByTestId('report-energy-chart').getAttribute('data-points')),
    ).toBeGreaterThanOrEqual(28);
    expect(
      Number(await page.getByTestId('report-uptime-chart').getAttribute('data-points')),
    ).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="report-uptime-chart"] canvas').count()).toBe(1);
  });

  it('downloads the sessions as CSV with a BOM and the holder name intact', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByTestId('report-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^consumption-.+\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'session_id,transaction_id,started_at,ended_at,status,site,station,id_token,holder,group,company,energy_kwh',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,completed,E2E site,E2E 1.6 charger,${CARD},${HOLDER},,,7.500`);
  });
});
