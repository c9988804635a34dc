import { describe, expect, it } from 'vitest';
import {
  IDLE_INTERVAL_MS,
  rowsOf,
  stationTimeline,
  type Instant,
  type SessionRecord,
  type StatusChange,
} from './sample-loader-gen.js';

const DAY_MS = 86_400_000;
const END = Date.UTC(2026, 10, 22);
const START = END - 10 * DAY_MS;

function run(index: number) {
  const instants: Instant[] = [];
  const statuses: StatusChange[] = [];
  const sessions: SessionRecord[] = [];
  const gen = stationTimeline(index, START, END, {
    instant: (i) => instants.push(i),
    status: (s) => statuses.push(s),
    session: (s) => sessions.push(s),
  });
  let step = gen.next();
  while (!step.done) step = gen.next();
  return { instants, statuses, sessions, finalWh: step.value };
}

describe('synthetic station timeline', () => {
  it('keeps time and the energy register moving forward, inside the period', () => {
    const { instants, finalWh } = run(3);
    for (let i = 1; i < instants.length; i++) {
      expect(instants[i]!.at).toBeGreaterThan(instants[i - 1]!.at);
      expect(instants[i]!.registerWh).toBeGreaterThanOrEqual(instants[i - 1]!.registerWh);
    }
    expect(instants[0]!.at).toBeGreaterThanOrEqual(START);
    expect(instants.at(-1)!.at).toBeLessThan(END);
    expect(instants.at(-1)!.registerWh).toBe(finalWh);
  });

  it('makes sessions whose energy is the register movement, with plausible power', () => {
    const { instants, sessions } = run(7);
    expect(sessions.length).toBeGreaterThan(10);
    for (const s of sessions) {
      const during = instants.filter((i) => i.transactionId === s.transactionId);
      expect(during.length).toBeGreaterThan(0);
      expect(during.at(-1)!.registerWh).toBe(s.meterStopWh);
      expect(s.meterStopWh).toBeGreaterThan(s.meterStartWh);
      for (const i of during) {
        expect(i.powerW).toBeGreaterThan(0);
        expect(i.powerW).toBeLessThanOrEqual(22_000);
        expect(rowsOf(i)).toBe(8);
      }
    }
  });

  it('reports idle readings on the 15-minute clock with power 0, and status in session order', () => {
    const { instants, statuses } = run(11);
    const idle = instants.filter((i) => i.transactionId === null);
    expect(idle.length).toBeGreaterThan(100);
    for (const i of idle) {
      expect(i.at % IDLE_INTERVAL_MS).toBe(0);
      expect(i.powerW).toBe(0);
      expect(rowsOf(i)).toBe(2);
    }
    const order = ['Preparing', 'Charging', 'Finishing', 'Available'];
    statuses.forEach((s, n) => expect(s.rawStatus).toBe(order[n % 4]));
  });

  it('is deterministic per station', () => {
    expect(run(5).finalWh).toBe(run(5).finalWh);
    expect(run(5).finalWh).not.toBe(run(6).finalWh);
  });
});
