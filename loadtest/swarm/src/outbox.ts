/**
 * The ordered queue of transaction messages, as a real charger keeps it: messages wait while
 * the station is offline or not yet accepted and go out strictly in order afterwards. A message
 * the server answers with a CALLERROR is retried a few times and then dropped; one that fails
 * because the connection went away stays at the head.
 */
import type { Call, OutboxItem, TxEffect } from './dialect.js';
import { rpcErrorCode } from './ocpp-client.js';

export interface OutboxPort {
  /** Connected and accepted: queued messages may go out. */
  canSend(): boolean;
  call(call: Call): Promise<unknown>;
  onEffect(effect: TxEffect): void;
}

const maxAttempts = 3;
/** Like a charger's flash: bounded. Periodic meter values stop queueing beyond this. */
export const periodicCapacity = 1000;

export class Outbox {
  readonly #items: OutboxItem[] = [];
  #draining = false;

  constructor(private readonly port: OutboxPort) {}

  get length(): number {
    return this.#items.length;
  }

  /** Starts and stops always queue; periodic samples only while there is room. */
  get hasRoomForPeriodic(): boolean {
    return this.#items.length < periodicCapacity;
  }

  push(item: OutboxItem | undefined): void {
    if (!item) return;
    this.#items.push(item);
    void this.drain();
  }

  /** Sends until the queue is empty or the station can no longer send. */
  async drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      let attempts = 0;
      while (this.#items.length > 0 && this.port.canSend()) {
        const item = this.#items[0]!;
        const call = item.build();
        if (!call) {
          // A 1.6 message whose StartTransaction never got an id: nothing meaningful to send.
          this.#items.shift();
          continue;
        }
        try {
          const result = await this.port.call(call);
          this.#items.shift();
          attempts = 0;
          this.port.onEffect(item.onResult(result));
        } catch (err) {
          if (!this.port.canSend()) break;
          const code = rpcErrorCode(err);
          if (++attempts >= maxAttempts || code === undefined || code.includes('Violation')) {
            this.#items.shift();
            attempts = 0;
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
