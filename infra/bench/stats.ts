/** Small measurement helpers shared by the benchmarks. */
import { cpus, freemem, loadavg, totalmem, type, release } from 'node:os';

export interface Figure {
  metric: string;
  value: number;
  unit: string;
  /** The raw limit of the same machine measured in the same run, where one applies. */
  rawLimit?: { name: string; value: number };
  note?: string;
}

export interface BenchResult {
  name: string;
  description: string;
  figures: Figure[];
}

/** Figures of the benchmarks that ran earlier in the same run, by benchmark name. */
export type EarlierResults = ReadonlyMap<string, readonly Figure[]>;

export interface Benchmark {
  name: string;
  description: string;
  run(progress: (message: string) => void, earlier: EarlierResults): Promise<Figure[]>;
}

/**
 * The figure `metric` of benchmark `from`: taken from this run's earlier results, or measured now by
 * running `from` when it did not run before (a partial run).
 */
export async function rawFigure(
  from: Benchmark,
  metric: string,
  earlier: EarlierResults,
  progress: (message: string) => void,
): Promise<Figure> {
  const figures =
    earlier.get(from.name) ??
    (progress(`measuring the raw limit first (${from.name})`), await from.run(progress, earlier));
  const figure = figures.find((f) => f.metric === metric);
  if (!figure) throw new Error(`${from.name} reported no "${metric}"`);
  return figure;
}

export const rawLimitOf = (from: Benchmark, figure: Figure) => ({
  name: `${from.name} ${figure.metric}`,
  value: figure.value,
});

/** Percentile of already sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function latencyFigures(prefix: string, samplesMs: number[]): Figure[] {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return [
    { metric: `${prefix} p50`, value: percentile(sorted, 50), unit: 'ms' },
    { metric: `${prefix} p99`, value: percentile(sorted, 99), unit: 'ms' },
  ];
}

export function describeMachine(): string {
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
    // Other work on the machine skews every figure; say how busy it was when the run began.
    `load average ${loadavg()[0]!.toFixed(1)} at start`,
    `${type()} ${release()}`,
    `Node ${process.version}`,
  ].join(', ');
}

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2);
}
