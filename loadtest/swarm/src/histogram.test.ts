import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('reports quantiles within the bucket resolution', () => {
    const h = new LatencyHistogram();
    expect(h.quantileMs(0.5)).toBeUndefined();
    for (let i = 1; i <= 100; i++) h.record(i);
    expect(h.count).toBe(100);
    expect(h.quantileMs(0.5)).toBeGreaterThanOrEqual(50);
    expect(h.quantileMs(0.5)).toBeLessThanOrEqual(55.5);
    expect(h.quantileMs(0.99)).toBeGreaterThanOrEqual(99);
    expect(h.quantileMs(0.99)).toBeLessThanOrEqual(109);
  });
});
