/**
 * The walking skeleton, end to end with real processes: a charger boots at an edge agent, the events
 * cross NATS JetStream to the cloud, are stored in PostgreSQL and pushed over Socket.IO, and the
 * dashboard in headless Chromium shows the station online in the list and on the MapLibre map; a
 * status change at the charger then appears live. Every hop is on the path the assertions observe,
 * so breaking any one of them fails this test.
 */
import type { RPCClient } from 'ocpp-rpc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet } from './fleet.js';
import { logIn, ocppClient, saveScreenshot, sql, startE2e, type E2e } from './harness.js';

const STATION_16 = 'E2E-16-001';
const STATION_201 = 'E2E-201-001';

describe('walking skeleton: charger → edge → NATS → cloud → PostgreSQL → Socket.IO → dashboard', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;
  const chargers: RPCClient[] = [];

  beforeAll(async () => {
    e2e = await startE2e('skeleton', e2eFleet(STATION_16, STATION_201));
    stack = e2e.stack;
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 240_000);

  // When a hop breaks, the processes' own log lines say which one.
  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    for (const charger of chargers) await charger.close({ force: true }).catch(() => {});
    await e2e?.stop();
  }, 60_000);

  const connectCharger = async (identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') => {
    const client = ocppClient(stack, identity, protocol);
    await client.connect();
    chargers.push(client);
    return client;
  };

  it('shows a booted 1.6 charger online in PostgreSQL, the list and the map', async () => {
    const charger = await connectCharger(STATION_16, 'ocpp1.6');
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'ABB',
      chargePointModel: 'Terra AC W22',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    for (const connectorId of [1, 2]) {
      await charger.call('StatusNotification', { connectorId, status: 'Available', errorCode: 'NoError' });
    }

    await expect
      .poll(() => stationRow(stack, STATION_16), { timeout: 20_000 })
      .toMatchObject({ online: true });

    await logIn(page, stack);
    await page.goto(`${stack.url}/stations`);
    const row = page.locator(`[data-testid="station-row"][data-identity="${STATION_16}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('available');

    await page.goto(`${stack.url}/`);
    const map = page.locator('[data-testid="station-map"]');
    await map.waitFor({ timeout: 20_000 });
    await expect.poll(() => map.getAttribute('data-status-available'), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => map.getAttribute('data-map-ready'), { timeout: 30_000 }).toBe('true');
    await saveScreenshot(page, 'dashboard');
  });

  it('pushes a status change at the charger to the open dashboard live, without a reload', async () => {
    const charger = chargers[0]!;
    await page.goto(`${stack.url}/stations`);
    const row = page.locator(`[data-testid="station-row"][data-identity="${STATION_16}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('available');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    await charger.call('StatusNotification', {
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
    });

    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('faulted');
    expect(navigations).toEqual([]);
    await saveScreenshot(page, 'stations');
  });

  it('carries a 2.0.1 charger through the same path', async () => {
    const charger = await connectCharger(STATION_201, 'ocpp2.0.1');
    const boot = (await charger.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'Alpitronic', model: 'HYC300' },
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await charger.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: 'Occupied',
      evseId: 1,
      connectorId: 1,
    });
    await page.goto(`${stack.url}/stations`);
    const row = page.locator(`[data-testid="station-row"][data-identity="${STATION_201}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('charging');
  });

  it('switches the dashboard to Russian and Chinese and keeps the choice after a reload', async () => {
    await page.goto(`${stack.url}/stations`);
    const nav = page.getByTestId('nav-stations');
    await expect.poll(() => nav.textContent()).toContain('Stations');

    await page.getByTestId('locale-switcher').selectOption('ru');
    await expect.poll(() => nav.textContent()).toContain('Станции');
    await page.reload();
    await expect
      .poll(() => page.getByTestId('nav-stations').textContent(), { timeout: 20_000 })
      .toContain('Станции');

    await page.getByTestId('locale-switcher').selectOption('zh');
    await expect.poll(() => page.getByTestId('nav-stations').textContent()).toContain('充电桩');
    await page.getByTestId('locale-switcher').selectOption('en');
  });

  it('opens a station and sends a reset that reaches the charger, showing its answer', async () => {
    const charger = chargers[1]!;
    const resets: unknown[] = [];
    charger.handle('Reset', ({ params }) => {
      resets.push(params);
      return Promise.resolve({ status: 'Accepted' });
    });
    await page.goto(`${stack.url}/stations`);
    await page.locator(`[data-testid="station-row"][data-identity="${STATION_201}"]`).click();
    await page.getByTestId('command-reset').click();
    await page.getByTestId('command-confirm').click();

    const result = page.getByTestId('command-result');
    await expect.poll(() => result.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('accepted');
    expect(resets).toEqual([expect.objectContaining({ type: 'Immediate' })]);
    await saveScreenshot(page, 'station');
  });

  it('shows the station offline once the charger disconnects', async () => {
    await page.goto(`${stack.url}/stations`);
    await chargers[0]!.close({ code: 1000 });
    const row = page.locator(`[data-testid="station-row"][data-identity="${STATION_16}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('offline');
    await expect
      .poll(() => stationRow(stack, STATION_16), { timeout: 20_000 })
      .toMatchObject({ online: false });
  });
});

async function stationRow(stack: Stack, identity: string): Promise<{ online: boolean } | null> {
  return (
    (
      await sql<{ online: boolean }>(stack, 'SELECT online FROM stations WHERE identity = $1', [identity])
    )[0] ?? null
  );
}
