import { describe, expect, it } from 'vitest';
import { fakeSocket, type FakeSocket } from '../testing/fake-socket';
import { borrowSocket as borrow, type SharedSocket } from './borrowed-socket';

const borrowSocket = (shared: FakeSocket) => borrow(shared as unknown as SharedSocket);

describe('a borrowed socket', () => {
  it("hears the shared socket's events and sends on it, without opening a connection", () => {
    const shared = fakeSocket();
    const borrowed = borrowSocket(shared);
    const heard: unknown[] = [];
    borrowed.on('incident:update', (x: never) => heard.push(x));
    borrowed.connect();
    expect(shared.connect).not.toHaveBeenCalled();
    shared.receive('incident:update', { id: 'i-1' });
    borrowed.emit('session:subscribe', 's-1');
    expect(heard).toEqual([{ id: 'i-1' }]);
    expect(shared.sent()).toEqual([['session:subscribe', 's-1']]);
  });

  it('runs its connect handlers at once when the shell is already connected, and on every reconnect', () => {
    const shared = fakeSocket();
    shared.receive('connect');
    const borrowed = borrowSocket(shared);
    let connects = 0;
    borrowed.on('connect', () => connects++);
    borrowed.connect();
    expect(connects).toBe(1);
    shared.receive('connect');
    expect(connects).toBe(2);
  });

  it("removes only its own listeners and never closes the shell's connection", () => {
    const shared = fakeSocket();
    shared.on('station:update', () => {});
    const borrowed = borrowSocket(shared);
    borrowed.on('station:update', () => {}).on('notification:new', () => {});
    expect(shared.listenerCount('station:update')).toBe(2);
    borrowed.disconnect();
    expect(shared.listenerCount('station:update')).toBe(1);
    expect(shared.listenerCount('notification:new')).toBe(0);
    expect(shared.disconnect).not.toHaveBeenCalled();
    borrowed.on('kpis', () => {});
    borrowed.removeAllListeners();
    expect(shared.listenerCount('kpis')).toBe(0);
    expect(shared.removeAllListeners).not.toHaveBeenCalled();
  });
});
