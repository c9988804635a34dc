import { describe, expect, it } from 'vitest';
import type { Call, OutboxItem, TxEffect } from './dialect.js';
import { Outbox, periodicCapacity } from './outbox.js';

function item(n: number): OutboxItem {
  return {
    action: 'MeterValues',
    build: () => ({ method: 'MeterValues', params: { n } }),
    onResult: () => ({ kind: 'none' }),
  };
}

describe('Outbox', () => {
  it('holds messages while it cannot send and delivers them in order afterwards', async () => {
    let online = false;
    const sent: number[] = [];
    const box = new Outbox({
      canSend: () => online,
      call: (c: Call) => {
        sent.push(c.params['n'] as number);
        return Promise.resolve({});
      },
      onEffect: (_e: TxEffect) => undefined,
    });
    for (let n = 1; n <= 5; n++) box.push(item(n));
    await box.drain();
    expect(sent).toEqual([]);
    expect(box.length).toBe(5);
    online = true;
    await box.drain();
    expect(sent).toEqual([1, 2, 3, 4, 5]);
    expect(box.length).toBe(0);
  });

  it('keeps the head when the connection fails and drops it after repeated CALLERRORs', async () => {
    let online = true;
    let failures = 0;
    const sent: number[] = [];
    const box = new Outbox({
      canSend: () => online,
      call: (c: Call) => {
        const n = c.params['n'] as number;
        if (n === 1 && failures++ === 0) {
          online = false;
          return Promise.reject(new Error('socket closed'));
        }
        if (n === 2)
          return Promise.reject(Object.assign(new Error('nope'), { rpcErrorCode: 'InternalError' }));
        sent.push(n);
        return Promise.resolve({});
      },
      onEffect: () => undefined,
    });
    box.push(item(1));
    box.push(item(2));
    box.push(item(3));
    await box.drain();
    expect(box.length).toBe(3);
    online = true;
    await box.drain();
    expect(sent).toEqual([1, 3]);
  });

  it('reports when periodic samples should stop queueing', () => {
    const box = new Outbox({
      canSend: () => false,
      call: () => Promise.resolve({}),
      onEffect: () => undefined,
    });
    for (let n = 0; n < periodicCapacity; n++) box.push(item(n));
    expect(box.hasRoomForPeriodic).toBe(false);
  });
});
