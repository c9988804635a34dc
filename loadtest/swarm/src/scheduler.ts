/**
 * Time as a port: stations never call Date.now or setTimeout directly, so tests can observe the
 * delays a station asks for and a benchmark can run many stations on one timer wheel.
 */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => {
    const t = setTimeout(fn, delayMs);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
