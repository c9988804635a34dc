/**
 * The station event log, end to end: a real OCPP 1.6 charger boots at the stack's edge agent and
 * reports status changes and a fault; the events cross NATS to the cloud and PostgreSQL; in Chromium
 * the station page links to its event log, which lists them newest first with their categories,
 * narrows to faults with the category filter, and downloads the same rows as CSV (UTF-8 with BOM,
 * the station's Cyrillic name intact).
 */
import { readFile } from 'node:fs/promises';
import type { RPCClient } from 'ocpp-rpc';
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { logIn, ocppClient, saveScreenshot, sql as query, startE2e, type E2e } from './harness.js';

const STATION = 'E2E-LOG-16';
const STATION_NAME = 'Зарядная станция у вокзала';

describe('station event log: charger events in the log, filtered and exported', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  let charger: RPCClient | undefined;
  let stationId = '';

  const sql = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    query<T>(stack, text, params);

  beforeAll(async () => {
    e2e = await startE2e('log', e2eFleet(STATION, 'E2E-LOG-201'));
    stack = e2e.stack;
    const renamed = await sql<{ id: string }>(
      'UPDATE stations SET name = $1 WHERE identity = $2 RETURNING id',
      [STATION_NAME, STATION],
    );
    stationId = renamed[0]!.id;
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await charger?.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  const rows = () => page.locator('[data-testid="event-row"]');
  const rowTypes = () =>
    rows().evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-category')} ${e.getAttribute('data-type')}`),
    );

  it('lists the boot, connection and status changes of a charger, newest first, from its station page', async () => {
    charger = ocppClient(stack, STATION, 'ocpp1.6');
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'ABB', chargePointModel: 'Terra AC W22' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    await charger.call('StatusNotification', {
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      vendorErrorCode: 'RCD-30',
    });
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>(
              `SELECT count(*)::int AS n FROM station_events WHERE station_id = $1 AND type = 'connector.status'`,
              [stationId],
            )
          )[0]!.n,
        { timeout: 20_000 },
      )
      .toBe(3);

    await page.goto(`${stack.url}/stations/${stationId}`);
    await page.getByTestId('station-event-log-link').click();
    await page.waitForURL(`${stack.url}/stations/${stationId}/events`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toContain(STATION_NAME);
    await expect
      .poll(rowTypes, { timeout: 20_000 })
      .toEqual([
        'error connector.status',
        'status connector.status',
        'status connector.status',
        'boot station.booted',
        'connection station.connected',
      ]);
    const fault = rows().first();
    expect(await fault.getByTestId('event-summary').textContent()).toBe(
      'EVSE 1/1 fault: GroundFailure, vendor code RCD-30',
    );
    expect(await fault.locator('.badge').textContent()).toBe('Error');
    expect(await page.getByTestId('events-chart').getAttribute('data-total')).toBe('5');
    await saveScreenshot(page, 'event-log');
  });

  it('shows a new status change when applied again and narrows the log to faults with the category filter', async () => {
    await charger!.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await expect
      .poll(
        async () => {
          await page.getByTestId('event-log-apply').click();
          await page.getByTestId('event-log-list').waitFor();
          return page.getByTestId('event-log-list').getAttribute('data-total');
        },
        { timeout: 20_000 },
      )
      .toBe('6');
    expect((await rowTypes())[0]).toBe('status connector.status');
    expect(await rows().first().getByTestId('event-summary').textContent()).toBe(
      'EVSE 1/1: Available (Available)',
    );

    await page.getByTestId('event-category-error').click();
    await expect.poll(rowTypes, { timeout: 20_000 }).toEqual(['error connector.status']);
    expect(await page.getByTestId('event-category-error').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('events-chart').getAttribute('data-total')).toBe('1');
  });

  it('downloads the filtered rows as CSV with a BOM and the station name intact', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByTestId('event-log-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^voltmesh-events-.+\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('at,station_identity,station_name,site,category,type,summary,details');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,${STATION},${STATION_NAME},E2E site,error,connector.status,`);
    expect(lines[1]).toContain('""vendorErrorCode"":""RCD-30""');

    await page.getByTestId('event-log-clear').click();
    await expect.poll(rowTypes, { timeout: 20_000 }).toHaveLength(6);
    const [all] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('event-log-csv').click(),
    ]);
    expect((await readFile(await all.path())).toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(
      1 + 6,
    );
  });
});
