/**
 * The benchmark record: docs/benchmarks.json keeps every benchmark's latest figures with the machine
 * and time they were measured on, so `pnpm bench -- <name>` refreshes one section without erasing the
 * others; docs/benchmarks.md is rendered from it.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatNumber, type BenchResult } from './stats.js';

const RecordedFigure = z.object({
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  rawLimit: z.object({ name: z.string(), value: z.number() }).optional(),
  note: z.string().optional(),
});

const RecordedResult = z.object({
  name: z.string(),
  description: z.string(),
  machine: z.string(),
  /** ISO 8601, UTC. */
  date: z.string(),
  figures: z.array(RecordedFigure),
});
export type RecordedResult = z.infer<typeof RecordedResult>;

/** The stored record, or an empty one when the file does not exist yet. A corrupt file is an error. */
export async function readRecord(file: string): Promise<RecordedResult[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = z.array(RecordedResult).safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a benchmark record: ${parsed.error.message}`);
  return parsed.data;
}

/** The record with this run's results in place of the earlier ones, in `order` (names not in it last). */
export function mergeRecord(
  earlier: readonly RecordedResult[],
  run: { machine: string; date: Date; results: readonly BenchResult[] },
  order: readonly string[],
): RecordedResult[] {
  const byName = new Map(earlier.map((r) => [r.name, r]));
  for (const result of run.results) {
    byName.set(result.name, { ...result, machine: run.machine, date: run.date.toISOString() });
  }
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
}

const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function renderMarkdown(record: readonly RecordedResult[]): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (infra/bench/run.ts) from docs/benchmarks.json; `pnpm bench` reruns all of',
    'them, `pnpm bench -- <name> ...` refreshes only the named sections. Each section says when and on',
    'which machine it was measured; a raw limit is always measured in the same run as the figure it is',
    'compared with, so the ratios compare like with like.',
    '',
  ];
  for (const result of record) {
    lines.push(
      `## ${result.name}`,
      '',
      result.description,
      '',
      `Measured ${utcMinute(result.date)} on ${result.machine}.`,
      '',
      '| metric | value | raw limit (same run) | ratio |',
      '|---|---:|---|---:|',
    );
    for (const f of result.figures) {
      const raw = f.rawLimit ? `${f.rawLimit.name}: ${formatNumber(f.rawLimit.value)} ${f.unit}` : '';
      const ratio = f.rawLimit ? `${((f.value / f.rawLimit.value) * 100).toFixed(0)} %` : '';
      lines.push(
        `| ${f.metric}${f.note ? ` (${f.note})` : ''} | ${formatNumber(f.value)} ${f.unit} | ${raw} | ${ratio} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
