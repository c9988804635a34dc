/**
 * Per-key trailing throttle: the first call for a key runs at once, later calls within `intervalMs`
 * collapse into one run at the end of the interval with the latest value.
 */
export interface KeyedThrottle<T> {
  push(key: string, value: T): void;
  close(): void;
}

export function keyedThrottle<T>(intervalMs: number, run: (key: string, value: T) => void): KeyedThrottle<T> {
  const state = new Map<
    string,
    { lastRunAt: number; pending: T | undefined; timer: NodeJS.Timeout | undefined }
  >();
  const fire = (key: string) => {
    const s = state.get(key);
    if (!s) return;
    s.timer = undefined;
    if (s.pending === undefined) {
      state.delete(key);
      return;
    }
    const value = s.pending;
    s.pending = undefined;
    s.lastRunAt = Date.now();
    s.timer = setTimeout(() => fire(key), intervalMs);
    run(key, value);
  };
  return {
    push(key, value) {
      const s = state.get(key);
      if (!s) {
        state.set(key, {
          lastRunAt: Date.now(),
          pending: undefined,
          timer: setTimeout(() => fire(key), intervalMs),
        });
        run(key, value);
        return;
      }
      s.pending = value;
    },
    close() {
      for (const s of state.values()) clearTimeout(s.timer);
      state.clear();
    },
  };
}
