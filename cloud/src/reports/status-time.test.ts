import { describe, expect, it } from 'vitest';
import { sweepStatusTime, type StatusEvent } from './status-time.js';

const M = 60_000;
const ev = (
  min: number,
  type: string,
  evseId: number | null = null,
  status: string | null = null,
): StatusEvent => ({
  atMs: min * M,
  stationId: 's',
  type,
  evseId,
  connectorId: evseId === null ? null : evseId === 0 ? 0 : 1,
  status,
});
const connectors = [
  { stationId: 's', evseId: 1, connectorId: 1 },
  { stationId: 's', evseId: 2, connectorId: 1 },
];

describe('sweepStatusTime', () => {
  it('counts occupied and up time per connector from the state before the range and the events in it', () => {
    const events = [
      ev(-10, 'station.connected'), // before the range: the starting state
      ev(-5, 'connector.status', 1, 'occupied'),
      ev(20, 'connector.status', 1, 'available'),
      ev(30, 'connector.status', 2, 'faulted'),
      ev(40, 'connector.status', 0, 'faulted'), // the whole station
      ev(50, 'connector.status', 0, 'available'),
      ev(50, 'connector.status', 2, 'available'),
      ev(80, 'station.disconnected'),
    ];
    const [c1, c2] = sweepStatusTime(connectors, events, 0, 100 * M);
    expect(c1).toMatchObject({ occupiedMs: 20 * M, occupied: [[0, 20 * M]], upMs: 70 * M });
    expect(c2).toMatchObject({ occupiedMs: 0, upMs: 60 * M });
  });

  it('treats a station without any event as offline, and stops counting occupied time while offline', () => {
    const events = [
      ev(10, 'connector.status', 1, 'occupied'),
      ev(30, 'station.disconnected'),
      ev(40, 'station.connected'),
    ];
    const [c1, c2] = sweepStatusTime(connectors, events, 0, 60 * M);
    expect(c1).toMatchObject({
      occupiedMs: 40 * M,
      occupied: [
        [10 * M, 30 * M],
        [40 * M, 60 * M],
      ],
      upMs: 40 * M,
    });
    expect(c2!.upMs).toBe(40 * M);
    expect(sweepStatusTime(connectors, [], 0, 60 * M).map((c) => c.upMs)).toEqual([0, 0]);
  });
});
