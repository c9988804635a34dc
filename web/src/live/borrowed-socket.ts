/**
 * One Socket.IO connection per tab: features that want more events than the live sync handles (the
 * alerts bell, a session's running cost) borrow the shell's socket instead of opening their own. A
 * borrowed socket looks like a socket to its user, but `connect()` does not connect (the shell owns the
 * connection; when it is already up, the borrower's `connect` handlers run at once, so a subscription
 * made on connect is made now) and `disconnect()` / `removeAllListeners()` remove only the borrower's
 * own listeners.
 */
import type { InjectionKey } from 'vue';

/** The part of a socket.io-client Socket that borrowers use. */
export interface SharedSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

export interface BorrowedSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: never[]) => void): BorrowedSocket;
  emit(event: string, ...args: unknown[]): BorrowedSocket;
  connect(): BorrowedSocket;
  disconnect(): BorrowedSocket;
  removeAllListeners(): BorrowedSocket;
}

/** Provided by the signed-in shell (useLiveSync): a new borrowed view of its socket per call. */
export const borrowSocketKey: InjectionKey<() => BorrowedSocket> = Symbol('voltmesh.borrowSocket');

export function borrowSocket(socket: SharedSocket): BorrowedSocket {
  const listeners: [string, (...args: never[]) => void][] = [];
  const release = () => {
    for (const [event, listener] of listeners.splice(0)) socket.off(event, listener);
  };
  const borrowed: BorrowedSocket = {
    get connected() {
      return socket.connected;
    },
    on(event, listener) {
      socket.on(event, listener);
      listeners.push([event, listener]);
      return borrowed;
    },
    emit(event, ...args) {
      socket.emit(event, ...args);
      return borrowed;
    },
    connect() {
      if (socket.connected) {
        for (const [event, listener] of listeners) if (event === 'connect') listener();
      }
      return borrowed;
    },
    disconnect() {
      release();
      return borrowed;
    },
    removeAllListeners() {
      release();
      return borrowed;
    },
  };
  return borrowed;
}
