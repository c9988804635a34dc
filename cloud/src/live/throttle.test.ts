import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyedThrottle } from './throttle.js';

describe('keyedThrottle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first value at once and the latest of a burst once per interval', () => {
    vi.useFakeTimers();
    const runs: [string, number][] = [];
    const t = keyedThrottle<number>(1000, (k, v) => runs.push([k, v]));
    t.push('a', 1);
    t.push('a', 2);
    t.push('a', 3);
    t.push('b', 9);
    expect(runs).toEqual([
      ['a', 1],
      ['b', 9],
    ]);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([
      ['a', 1],
      ['b', 9],
      ['a', 3],
    ]);
    vi.advanceTimersByTime(5000);
    expect(runs).toHaveLength(3);
    t.close();
  });
});
