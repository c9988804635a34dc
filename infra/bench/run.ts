/**
 * `pnpm bench [-- name ...]`: runs the benchmarks on this machine, prints progress and figures, and
 * records them with the machine description and the date in docs/benchmarks.json (replacing only the
 * benchmarks that ran), then renders docs/benchmarks.md from it. Benchmarks are not tests: nothing
 * here asserts a time.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { edgeCapacity } from './edge-capacity.js';
import { edgeLatency } from './edge-latency.js';
import { live } from './live.js';
import { pipeline } from './pipeline.js';
import { queries } from './queries.js';
import { rawCopy } from './raw-copy.js';
import { rawJetStream } from './raw-jetstream.js';
import { rawWs } from './raw-ws.js';
import { describeMachine, formatNumber, type Benchmark, type BenchResult, type Figure } from './stats.js';
import { mergeRecord, readRecord, renderMarkdown } from './report.js';

const ALL: Benchmark[] = [rawWs, rawJetStream, rawCopy, edgeCapacity, edgeLatency, pipeline, live, queries];

const wanted = process.argv.slice(2).filter((a) => a !== '--');
const selected = wanted.length ? ALL.filter((b) => wanted.includes(b.name)) : ALL;
if (selected.length === 0) {
  console.error(
    `unknown benchmark(s): ${wanted.join(', ')}; available: ${ALL.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

const machine = describeMachine();
console.log(`machine: ${machine}`);
const results: BenchResult[] = [];
const earlier = new Map<string, Figure[]>();
for (const bench of selected) {
  console.log(`\n▸ ${bench.name}: ${bench.description}`);
  const started = Date.now();
  const rss = process.memoryUsage().rss;
  const figures = await bench.run((message) => console.log(`  … ${message}`), earlier);
  earlier.set(bench.name, figures);
  for (const f of figures) {
    const ratio = f.rawLimit
      ? `  (${((f.value / f.rawLimit.value) * 100).toFixed(0)} % of ${f.rawLimit.name})`
      : '';
    console.log(`  ${f.metric.padEnd(40)} ${formatNumber(f.value)} ${f.unit}${ratio}`);
  }
  console.log(
    `  (${((Date.now() - started) / 1000).toFixed(1)} s, runner RSS +${((process.memoryUsage().rss - rss) / 2 ** 20).toFixed(0)} MiB)`,
  );
  results.push({ name: bench.name, description: bench.description, figures });
}

const recordFile = fileURLToPath(new URL('../../docs/benchmarks.json', import.meta.url));
const markdownFile = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const record = mergeRecord(
  await readRecord(recordFile),
  { machine, date: new Date(), results },
  ALL.map((b) => b.name),
);
await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`);
await writeFile(markdownFile, renderMarkdown(record));
console.log(`\nupdated ${results.map((r) => r.name).join(', ')} in ${recordFile} and ${markdownFile}`);
