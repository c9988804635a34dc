/**
 * What every browser test starts with: the whole stack (PostgreSQL, nats-server, cloud, an edge agent
 * per site, the built dashboard) on free ports with the test's own fleet, headless Chromium, the last
 * stack log lines printed when a test fails, signing in, OCPP clients for the site's edge agent, a
 * look into the stack's database, and screenshots for docs/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPCClient } from 'ocpp-rpc';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../services/index.js';
import { startStack, type Stack } from '../stack/stack.js';
import { launchOptions } from './browser.js';
import { SITE_CODE } from './fleet.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const KEPT_LOG_LINES = 400;

export interface E2e {
  stack: Stack;
  browser: Browser;
  /** Writes the stack's last log lines to stderr: call it from `onTestFailed`. */
  dumpLogs(): void;
  /** Closes the browser, stops the stack and removes its data. */
  stop(): Promise<void>;
}

/** Starts the stack for `fleet` (see fleet.ts) and Chromium; `name` tags the temp directory. */
export async function startE2e(name: string, fleet: unknown): Promise<E2e> {
  const dir = await mkdtemp(join(tmpdir(), `voltmesh-e2e-${name}-`));
  const logs: string[] = [];
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const fleetFile = join(dir, 'fleet.json');
    await writeFile(fleetFile, JSON.stringify(fleet));
    stack = await startStack({
      repoRoot,
      dataDir: join(dir, 'data'),
      fleetFile,
      scenarioFile: null,
      httpPort: await freePort(),
      natsPort: await freePort(),
      postgresPort: await freePort(),
      firstEdgePort: await freePort(),
      sink: (component, line) => {
        logs.push(`${component} ${line}`);
        if (logs.length > KEPT_LOG_LINES) logs.shift();
      },
      progress: () => {},
    });
    browser = await chromium.launch(launchOptions());
  } catch (error) {
    process.stderr.write(`\n--- last stack log lines ---\n${logs.join('\n')}\n`);
    await stop();
    throw error;
  }
  return {
    stack,
    browser,
    dumpLogs: () => process.stderr.write(`\n--- last stack log lines ---\n${logs.slice(-150).join('\n')}\n`),
    stop,
  };
}

/** Signs in on the login page (the fleet's admin unless `who` is given) and waits to leave it. */
export async function logIn(
  page: Page,
  stack: Stack,
  who: { email: string; password: string } = stack.fleet.admin,
): Promise<void> {
  await page.goto(`${stack.url}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
}

/** An OCPP client (not yet connected) for the edge agent of the e2e fleet's site. */
export function ocppClient(
  stack: Stack,
  identity: string,
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
  extra: { password?: string } = {},
): RPCClient {
  // ocpp-rpc's typings demand every option although the library fills in defaults.
  const options = {
    endpoint: stack.edges.find((e) => e.siteCode === SITE_CODE)!.ocppUrl,
    identity,
    protocols: [protocol],
    strictMode: true,
    reconnect: false,
    ...extra,
  };
  return new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]);
}

/**
 * Creates something through the API as the fleet's admin (e.g. a card, so the edge gets it the way the
 * Tokens page makes it) and returns the created object; anything but 201 fails the test.
 */
export async function createAsAdmin(stack: Stack, path: string, body: unknown): Promise<{ id: string }> {
  const login = await fetch(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: stack.fleet.admin.email, password: stack.fleet.admin.password }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: {
      cookie: login.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string };
}

/** One query against the stack's PostgreSQL (to check what was stored, or to set up a fixture). */
export async function sql<T extends pg.QueryResultRow>(
  stack: Stack,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Screenshots for docs/ are written only when asked (VOLTMESH_SCREENSHOTS=1), so tests never dirty the tree. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!process.env['VOLTMESH_SCREENSHOTS']) return;
  await page.screenshot({
    path: join(fileURLToPath(new URL('../../docs/screenshots', import.meta.url)), `${name}.png`),
  });
}
