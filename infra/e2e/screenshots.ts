/**
 * Refreshes docs/screenshots/ from a running stack (`npm start`):
 *   node --import tsx infra/e2e/screenshots.ts [http://127.0.0.1:8080]
 * Logs in with the demo account and captures the main pages (and the dashboard in Russian and
 * Chinese). Give the demo a few minutes first, so that sessions have ended and been priced.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { launchOptions } from './browser.js';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const EMAIL = process.env['VOLTMESH_DEMO_EMAIL'] ?? 'admin@demo.voltmesh.local';
const PASSWORD = process.env['VOLTMESH_DEMO_PASSWORD'] ?? 'voltmesh-demo-2026';

const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${base}/login`);
  await shot(page, 'login');
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  await page.locator('[data-testid="station-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2_000);
  await shot(page, 'dashboard');

  await page.goto(`${base}/map`);
  await page.locator('[data-testid="station-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_500);
  await shot(page, 'map');

  await page.goto(`${base}/stations`);
  const charging = page.locator('[data-testid="station-row"][data-status="charging"]').first();
  await page.locator('[data-testid="station-row"]').first().waitFor();
  await shot(page, 'stations');

  await ((await charging.count()) ? charging : page.locator('[data-testid="station-row"]').first()).click();
  await page.getByTestId('station-page').waitFor();
  await page.waitForTimeout(2_500);
  await shot(page, 'station', true);

  // Billing and analytics: the demo tariff prices every session.
  await page.goto(`${base}/sessions?status=completed`);
  await page.locator('[data-testid="session-row"]').first().waitFor({ timeout: 30_000 });
  await shot(page, 'sessions');
  await page.locator('[data-testid="session-row"] [data-testid="session-link"]').first().click();
  await page.getByTestId('session-report').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_500);
  await shot(page, 'session-report', true);
  await page.goto(`${base}/tariffs`);
  await page.locator('[data-testid="tariff-card"]').first().waitFor({ timeout: 30_000 });
  await shot(page, 'tariffs', true);
  await page.goto(`${base}/ledger`);
  await page.getByTestId('ledger-page').waitFor();
  await page.waitForTimeout(1_500);
  await shot(page, 'ledger');
  await page.goto(`${base}/reports`);
  await page.locator('[data-testid="report-charts"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2_000);
  await shot(page, 'reports', true);

  for (const locale of ['ru', 'zh'] as const) {
    await page.goto(`${base}/`);
    await page.getByTestId('locale-switcher').selectOption(locale);
    await page.locator('[data-testid="station-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    await shot(page, `dashboard-${locale}`);
  }
  await page.getByTestId('locale-switcher').selectOption('en');
} finally {
  await browser.close();
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  console.log(`docs/screenshots/${name}.png`);
}
