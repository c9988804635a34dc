import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeRecord, readRecord, renderMarkdown, type RecordedResult } from './report.js';

const old = (name: string, value: number): RecordedResult => ({
  name,
  description: `${name} bench`,
  machine: 'old box',
  date: '2026-11-22T04:55:00.000Z',
  figures: [{ metric: 'rate', value, unit: 'msg/s' }],
});

describe('benchmark record', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a partial run replaces only the benchmarks that ran and keeps the declared order', () => {
    const merged = mergeRecord(
      [old('raw-ws', 1000), old('pipeline', 50)],
      {
        machine: 'new box',
        date: new Date('2026-12-04T01:00:00Z'),
        results: [
          {
            name: 'raw-copy',
            description: 'copy',
            figures: [{ metric: 'rows', value: 2e5, unit: 'rows/s' }],
          },
          { name: 'pipeline', description: 'pipe', figures: [{ metric: 'rate', value: 60, unit: 'msg/s' }] },
        ],
      },
      ['raw-ws', 'raw-copy', 'pipeline'],
    );
    expect(merged.map((r) => [r.name, r.machine, r.figures[0]!.value])).toEqual([
      ['raw-ws', 'old box', 1000],
      ['raw-copy', 'new box', 2e5],
      ['pipeline', 'new box', 60],
    ]);
  });

  it('renders when and where each section was measured, and ratios to raw limits', () => {
    const md = renderMarkdown([
      {
        ...old('pipeline', 42_000),
        figures: [
          { metric: 'rows', value: 42_000, unit: 'rows/s', rawLimit: { name: 'COPY', value: 200_000 } },
        ],
      },
    ]);
    expect(md).toContain('Measured 2026-11-22 04:55 UTC on old box.');
    expect(md).toContain('| rows | 42,000 rows/s | COPY: 200,000 rows/s | 21 % |');
  });

  it('starts empty without a file and refuses a corrupt one by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vm-bench-record-'));
    dirs.push(dir);
    expect(await readRecord(join(dir, 'missing.json'))).toEqual([]);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify([{ name: 'x' }]));
    await expect(readRecord(bad)).rejects.toThrow(/bad\.json is not a benchmark record/);
  });
});
