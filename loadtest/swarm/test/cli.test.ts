import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './ocpp-test-server.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function runCli(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = dir = undefined;
});

describe('swarm CLI', () => {
  it('refuses a non-loopback target without --allow-remote and never connects', async () => {
    const r = await runCli(['--url', 'ws://10.1.2.3:9000/ocpp', '--count', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SWARM_REMOTE_TARGET_REFUSED');
    expect(r.stdout).not.toContain('station connected');
  });

  it('explains a bad command line and a bad scenario', async () => {
    const usage = await runCli(['--count', '2']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
    dir = await mkdtemp(join(tmpdir(), 'swarm-cli-'));
    const scenario = join(dir, 'bad.json');
    await writeFile(scenario, JSON.stringify({ meterIntervalS: 0 }));
    const bad = await runCli(['--url', 'ws://127.0.0.1:9/ocpp', '--count', '1', '--scenario', scenario]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SWARM_INVALID_SCENARIO');
    expect(bad.stderr).toContain('meterIntervalS');
  });

  it('runs a bounded fleet and logs JSON lines: start with its bounds, sessions, summaries, stop', async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'swarm-cli-'));
    const scenario = join(dir, 'busy.json');
    await writeFile(
      scenario,
      JSON.stringify({ meterIntervalS: 0.2, tickMs: 50, timeScale: 600, arrivals: { initialOccupancy: 1 } }),
    );
    const fleet = join(dir, 'fleet.json');
    await writeFile(
      fleet,
      JSON.stringify({
        stations: [
          { identity: 'CLI-16', url: server.url, ocppVersion: 'ocpp1.6', connectors: 2, maxPowerW: 11000 },
          { identity: 'CLI-201', url: server.url, ocppVersion: 'ocpp2.0.1', connectors: 2, maxPowerW: 11000 },
        ],
      }),
    );
    const r = await runCli([
      '--fleet',
      fleet,
      '--scenario',
      scenario,
      '--duration',
      '2s',
      '--summary-interval',
      '500ms',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });
    expect(lines[0]).toMatchObject({
      msg: 'swarm starting',
      stations: 2,
      maxStations: 20_000,
      duration: '2s',
    });
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain('station connected');
    expect(msgs).toContain('session started');
    expect(msgs).toContain('summary');
    expect(lines.at(-1)).toMatchObject({ msg: 'swarm stopped', schemaErrors: 0 });
    expect(server.schemaFailures).toEqual([]);
  });
});
