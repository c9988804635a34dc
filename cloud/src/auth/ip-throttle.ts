/**
 * Failed-login counter per client IP: a fixed window per IP, in memory of this node. Per-account
 * lockout (users.failed_logins / locked_until) lives in the database and holds across nodes; this
 * one slows down spraying many accounts from one address.
 */
export interface IpThrottle {
  /** Milliseconds until the IP may try again, or 0. */
  retryAfterMs(ip: string, now?: number): number;
  recordFailure(ip: string, now?: number): void;
  reset(ip: string): void;
}

export function createIpThrottle(options: {
  maxFailures: number;
  windowMs: number;
  maxTracked?: number;
}): IpThrottle {
  const windows = new Map<string, { start: number; failures: number }>();
  const maxTracked = options.maxTracked ?? 100_000;
  const current = (ip: string, now: number) => {
    const w = windows.get(ip);
    if (w && now - w.start < options.windowMs) return w;
    if (w) windows.delete(ip);
    return undefined;
  };
  return {
    retryAfterMs(ip, now = Date.now()) {
      const w = current(ip, now);
      return w && w.failures >= options.maxFailures ? w.start + options.windowMs - now : 0;
    },
    recordFailure(ip, now = Date.now()) {
      const w = current(ip, now);
      if (w) w.failures++;
      else {
        // Bound memory under a flood of distinct addresses: drop the oldest window.
        if (windows.size >= maxTracked) windows.delete(windows.keys().next().value!);
        windows.set(ip, { start: now, failures: 1 });
      }
    },
    reset(ip) {
      windows.delete(ip);
    },
  };
}
