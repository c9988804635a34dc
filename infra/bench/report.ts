/** Renders benchmark results as docs/benchmarks.md. */
import { formatNumber, type BenchResult } from './stats.js';

export interface Report {
  machine: string;
  date: Date;
  results: BenchResult[];
}

export function renderMarkdown(report: Report): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (infra/bench/run.ts); rerun it to refresh. Figures are from one run on the',
    'machine below; raw limits are measured in the same run so the ratios compare like with like.',
    '',
    `- Machine: ${report.machine}`,
    `- Date: ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
  ];
  for (const result of report.results) {
    lines.push(
      `## ${result.name}`,
      '',
      result.description,
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
