/**
 * A station's timers, by name (one heartbeat, one meter loop, ...) plus anonymous one-shots,
 * all cancelled together when the station stops. Everything goes through the injected scheduler.
 */
import type { Scheduler, TimerHandle } from './scheduler.js';

export class NamedTimers<Name extends string> {
  readonly #named = new Map<Name, TimerHandle>();
  readonly #oneShots = new Set<TimerHandle>();

  constructor(private readonly scheduler: Scheduler) {}

  /** (Re)arms the timer called `name`; an armed one is cancelled first. */
  set(name: Name, delayMs: number, fn: () => void): void {
    this.clear(name);
    const handle = this.scheduler.setTimeout(() => {
      this.#named.delete(name);
      fn();
    }, delayMs);
    this.#named.set(name, handle);
  }

  has(name: Name): boolean {
    return this.#named.has(name);
  }

  clear(...names: Name[]): void {
    for (const name of names) {
      const handle = this.#named.get(name);
      if (handle !== undefined) this.scheduler.clearTimeout(handle);
      this.#named.delete(name);
    }
  }

  once(delayMs: number, fn: () => void): void {
    const handle = this.scheduler.setTimeout(() => {
      this.#oneShots.delete(handle);
      fn();
    }, delayMs);
    this.#oneShots.add(handle);
  }

  clearAll(): void {
    this.clear(...this.#named.keys());
    for (const handle of this.#oneShots) this.scheduler.clearTimeout(handle);
    this.#oneShots.clear();
  }
}
