/**
 * Just enough of a Socket.IO client socket for the live sync: `receive` plays an event from the
 * server to the registered handlers, `emit` records what the app sends.
 */
import { vi } from 'vitest';
import type { LiveSocket } from '../live/live-sync';

type Handler = (...args: unknown[]) => void;

export function fakeSocket() {
  const handlers = new Map<string, Handler[]>();
  const fake = {
    active: true,
    connected: false,
    on(event: string, handler: Handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return fake;
    },
    off(event: string, handler: Handler) {
      handlers.set(
        event,
        (handlers.get(event) ?? []).filter((h) => h !== handler),
      );
      return fake;
    },
    /** How many listeners are registered for `event`. */
    listenerCount(event: string): number {
      return handlers.get(event)?.length ?? 0;
    },
    connect: vi.fn(() => fake),
    disconnect: vi.fn(() => {
      fake.connected = false;
      return fake;
    }),
    removeAllListeners: vi.fn(() => {
      handlers.clear();
      return fake;
    }),
    emit: vi.fn((_event: string, ..._args: unknown[]) => fake),
    receive(event: string, ...args: unknown[]) {
      if (event === 'connect') fake.connected = true;
      if (event === 'disconnect') fake.connected = false;
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
    /** Events the app sent, as `[event, ...args]`. */
    sent(): unknown[][] {
      return fake.emit.mock.calls.map(([event, ...args]) => [event, ...args]);
    },
    get socket(): LiveSocket {
      return fake as unknown as LiveSocket;
    },
  };
  return fake;
}

export type FakeSocket = ReturnType<typeof fakeSocket>;
