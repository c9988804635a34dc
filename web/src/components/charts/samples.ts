/** Turning API readings into plotted samples: units, ordering and gaps. */
import type { Sample } from './chart-option';

export const WATTS_PER_KILOWATT = 1000;

export function wattsToKilowatts(powerW: number | null): number | null {
  return powerW === null ? null : powerW / WATTS_PER_KILOWATT;
}

export function toMs(at: string): number {
  return new Date(at).getTime();
}

/**
 * Breaks the line where readings stop for longer than `maxGapMs`: ECharts joins any two points
 * with a line, so a missing stretch gets an explicit null between them.
 */
export function withGaps(samples: readonly Sample[], maxGapMs: number): Sample[] {
  const out: Sample[] = [];
  let previous: Sample | undefined;
  for (const sample of samples) {
    if (previous && sample[0] - previous[0] > maxGapMs && previous[1] !== null && sample[1] !== null) {
      out.push([previous[0] + 1, null]);
    }
    out.push(sample);
    previous = sample;
  }
  return out;
}

/** Samples in time order, one per timestamp (the later arrival wins), dropping unreadable times. */
export function mergeSamples(...lists: readonly (readonly Sample[])[]): Sample[] {
  const byTime = new Map<number, Sample>();
  for (const list of lists)
    for (const sample of list) if (Number.isFinite(sample[0])) byTime.set(sample[0], sample);
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

/** Keeps samples newer than `windowMs` before `nowMs`, and at most `maxPoints` of the newest. */
export function capSamples(
  samples: readonly Sample[],
  nowMs: number,
  windowMs: number,
  maxPoints: number,
): Sample[] {
  const oldest = nowMs - windowMs;
  let start = 0;
  while (start < samples.length && (samples[start]?.[0] ?? 0) < oldest) start++;
  start = Math.max(start, samples.length - maxPoints);
  return samples.slice(start);
}

/** How many drawn points a series has (gap markers are not points). */
export function countPoints(samples: readonly Sample[]): number {
  let count = 0;
  for (const sample of samples) if (sample[1] !== null) count++;
  return count;
}
