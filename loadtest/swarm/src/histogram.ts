/**
 * A fixed-size latency histogram (log-spaced buckets, ~10 % resolution from 0.1 ms to ~100 s):
 * constant memory however many replies a long run records.
 */
const minMs = 0.1;
const growth = 1.1;
const bucketCount = 146;

export class LatencyHistogram {
  readonly #counts = new Array<number>(bucketCount).fill(0);
  #total = 0;

  record(ms: number): void {
    const i = ms <= minMs ? 0 : Math.min(bucketCount - 1, Math.ceil(Math.log(ms / minMs) / Math.log(growth)));
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#total++;
  }

  get count(): number {
    return this.#total;
  }

  /** Upper bound of the bucket holding quantile q (0..1); undefined before any sample. */
  quantileMs(q: number): number | undefined {
    if (this.#total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let i = 0; i < bucketCount; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) return Math.round(minMs * growth ** i * 100) / 100;
    }
    return undefined;
  }
}
