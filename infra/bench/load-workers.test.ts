import { describe, expect, it } from 'vitest';
import { mergeTraffic, split } from './load-workers.js';

describe('load worker helpers', () => {
  it('splits items into interleaved parts that cover every item once', () => {
    const items = [0, 1, 2, 3, 4];
    expect(split(items, 2, 0)).toEqual([0, 2, 4]);
    expect(split(items, 2, 1)).toEqual([1, 3]);
  });

  it('merges traffic results: latencies concatenated, counts summed, longest elapsed', () => {
    const merged = mergeTraffic([
      {
        type: 'traffic',
        held: 2,
        dropped: 0,
        result: { latenciesMs: { Heartbeat: [1, 2] }, completed: 2, failures: { timeout: 1 }, elapsedMs: 10 },
      },
      {
        type: 'traffic',
        held: 2,
        dropped: 0,
        result: {
          latenciesMs: { Heartbeat: [3], MeterValues: [4] },
          completed: 2,
          failures: { timeout: 2 },
          elapsedMs: 12,
        },
      },
      { type: 'closed' },
    ]);
    expect(merged).toEqual({
      latenciesMs: { Heartbeat: [1, 2, 3], MeterValues: [4] },
      completed: 4,
      failures: { timeout: 3 },
      elapsedMs: 12,
    });
  });
});
