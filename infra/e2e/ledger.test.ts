/**
 * The transaction ledger from the dashboard, end to end (real stack, Chromium): an admin imports
 * missing orders from a CSV file (a dry run first lists the rejected row and why; importing the
 * same file again imports nothing), refunds part of an order (more than is left is refused beside
 * the field), records an adjustment with a reason, reads the balance of the card's holder, and
 * downloads the orders as CSV with a BOM and the holder's Cyrillic and Chinese names intact.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { e2eFleet, SITE_CODE } from './fleet.js';
import { logIn, startE2e, type E2e, sql as query } from './harness.js';

const CARD = 'E2E-LEDGER-CARD';

describe('ledger: import, refund, adjust, balances and CSV export from the dashboard', () => {
  let e2e: E2e;
  let stack: Stack;
  let page: Page;

  const sql = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    query<T>(stack, text, params);

  beforeAll(async () => {
    e2e = await startE2e('ledger', e2eFleet('E2E-LED-16', 'E2E-LED-201'));
    stack = e2e.stack;
    await sql(
      `WITH h AS (INSERT INTO token_holders (tenant_id, name, company)
                  SELECT id, 'Анна Петрова', '北京公司' FROM tenants WHERE name = 'E2E Operator' RETURNING id, tenant_id)
       INSERT INTO id_tokens (tenant_id, id_token, type, holder_id) SELECT tenant_id, $1, 'ISO14443', id FROM h`,
      [CARD],
    );
    page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await logIn(page, stack);
  }, 240_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => e2e.dumpLogs()));

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const rows = () => page.locator('[data-testid="ledger-row"]');
  const today = new Date().toISOString().slice(0, 10);
  const csv = [
    'external_ref,occurred_at,amount,currency,id_token,site_code,note',
    `PAPER-1,${today}T08:00:00Z,12.50,EUR,${CARD},${SITE_CODE},paper order`,
    `PAPER-2,${today}T09:00:00Z,7.25,EUR,${CARD},,`,
    `PAPER-3,${today}T09:30:00Z,1e3,EUR,${CARD},,`,
  ].join('\r\n');

  const upload = async () => {
    await page.getByTestId('ledger-import-file').setInputFiles({
      name: 'orders.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}`, 'utf8'),
    });
    await page.getByTestId('ledger-import-summary').waitFor({ timeout: 20_000 });
  };

  it('imports missing orders after a dry run that names the rejected row, and never twice', async () => {
    await page.goto(`${stack.url}/ledger`);
    await page.getByTestId('ledger-empty').waitFor({ timeout: 20_000 });
    await page.getByTestId('ledger-import-open').click();
    await upload();
    expect(await page.getByTestId('ledger-import-summary').textContent()).toBe(
      'Check of 3 rows: 2 can be imported, 1 rejected.',
    );
    const rejected = page.locator('[data-testid="ledger-import-rejected-row"]');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain('PAPER-3');
    expect(await rejected.textContent()).toContain('Invalid value');
    expect(await sql('SELECT 1 FROM ledger_entries')).toHaveLength(0);

    await page.getByTestId('ledger-import-confirm').click();
    await expect
      .poll(() => page.getByTestId('ledger-import-summary').textContent(), { timeout: 20_000 })
      .toBe('Imported 2 of 3 rows; 1 rejected.');
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(2);
    expect(await rows().first().textContent()).toContain('Анна Петрова');
    expect(await page.getByTestId('ledger-sum').textContent()).toContain('19.7500 EUR');

    // The same file again: everything is already in the ledger, nothing to confirm.
    await upload();
    expect(await page.getByTestId('ledger-import-summary').textContent()).toBe(
      'Check of 3 rows: 0 can be imported, 3 rejected.',
    );
    expect(
      await page.locator('[data-testid="ledger-import-rejected-row"][data-code="already_imported"]').count(),
    ).toBe(2);
    expect(await page.getByTestId('ledger-import-confirm').count()).toBe(0);
    await page.getByTestId('ledger-import-close').click();
  });

  it('refunds part of an order, refusing more than is left, and records an adjustment with its reason', async () => {
    const order = rows().filter({ hasText: 'PAPER-1' });
    await order.getByTestId('ledger-refund').click();
    await page.getByTestId('refund-amount').fill('20');
    await page.getByTestId('refund-reason').fill('charger stopped early');
    await page.getByTestId('refund-dialog-save').click();
    const error = page.locator('[data-testid="field-error"][data-field="amount"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain('12.5000');
    await page.getByTestId('refund-amount').fill('2.50');
    await page.getByTestId('refund-dialog-save').click();
    await page.getByTestId('ledger-notice').waitFor({ timeout: 20_000 });
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(3);

    await page.getByTestId('ledger-adjust').click();
    await page.getByTestId('adjustment-amount').fill('-1.25');
    await page.getByTestId('adjustment-token').fill(CARD);
    await page.getByTestId('adjustment-reason').fill('goodwill credit');
    await page.getByTestId('adjustment-dialog-save').click();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(4);
    expect(await page.getByTestId('ledger-sum').textContent()).toContain('16.0000 EUR');
    const kinds = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort());
    expect(kinds).toEqual(['adjustment', 'refund', 'session_charge', 'session_charge']);
    const audit = await sql<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'ledger.%' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual([
      'ledger.orders_imported',
      'ledger.refund_recorded',
      'ledger.adjustment_recorded',
    ]);
  });

  it("shows the holder's balance", async () => {
    await page.getByTestId('ledger-tab-balances').click();
    await page.getByTestId('balance-by').selectOption('holder');
    const row = page.locator('[data-testid="balance-row"]').filter({ hasText: 'Анна Петрова' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('balance-value').textContent()).toBe('16.0000 EUR');
    await page.getByTestId('ledger-tab-orders').click();
  });

  it('downloads the orders as CSV with a BOM, Cyrillic and Chinese names intact', async () => {
    await rows().first().waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByTestId('ledger-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ledger-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^order_number,kind,occurred_at,amount,currency,id_token,holder,group,company,/);
    expect(lines).toHaveLength(1 + 4);
    expect(lines.filter((l) => l.includes(',Анна Петрова,,北京公司,'))).toHaveLength(4);
    expect(lines.some((l) => l.includes(',-2.5000,EUR,'))).toBe(true);
  });
});
