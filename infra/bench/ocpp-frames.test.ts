import { describe, expect, it } from 'vitest';
import {
  encodeCall,
  encodeNotImplemented,
  meterValues,
  readFrame,
  SAMPLES_PER_INSTANT,
  statusNotification,
} from './ocpp-frames.js';

describe('OCPP-J frames of the benchmark client', () => {
  it('encodes a CALL as [2, id, action, payload]', () => {
    expect(JSON.parse(encodeCall('7', 'Heartbeat', {}))).toEqual([2, '7', 'Heartbeat', {}]);
  });

  it('answers an edge CALL with a 1.6 NotImplemented CALLERROR', () => {
    expect(JSON.parse(encodeNotImplemented('c1', 'Reset'))).toEqual([
      4,
      'c1',
      'NotImplemented',
      'Reset is not simulated',
      {},
    ]);
  });

  it.each([
    ['[3,"1",{"currentTime":"x"}]', { kind: 'result', id: '1' }],
    [
      '[4,"2","FormationViolation","bad",{}]',
      { kind: 'error', id: '2', code: 'FormationViolation', description: 'bad' },
    ],
    ['[2,"3","GetConfiguration",{}]', { kind: 'call', id: '3', action: 'GetConfiguration' }],
  ])('reads %s', (text, frame) => {
    expect(readFrame(text)).toEqual(frame);
  });

  it.each(['not json', '{}', '[3,1,{}]', '[3,"1"]', '[2,"1",5,{}]', '[9,"1",{}]'])(
    'calls %s unreadable',
    (text) => {
      expect(readFrame(text)).toEqual({ kind: 'unreadable' });
    },
  );

  it('builds MeterValues with one timestamp per instant and every measurand at each', () => {
    const start = Date.UTC(2026, 0, 1);
    const req = meterValues(1, start, 3, 1000);
    expect(req.connectorId).toBe(1);
    expect(req.meterValue.map((m) => m.timestamp)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:02.000Z',
    ]);
    for (const m of req.meterValue) {
      expect(m.sampledValue).toHaveLength(SAMPLES_PER_INSTANT);
      // Distinct (measurand, phase, location) at one instant: distinct rows downstream.
      const keys = new Set(m.sampledValue.map((s) => `${s.measurand}|${'phase' in s ? s.phase : ''}`));
      expect(keys.size).toBe(SAMPLES_PER_INSTANT);
      for (const s of m.sampledValue) expect(Number.isFinite(Number(s.value))).toBe(true);
    }
  });

  it('builds a StatusNotification with NoError and an ISO timestamp', () => {
    expect(statusNotification(2, 'Preparing', new Date(Date.UTC(2026, 0, 1)))).toEqual({
      connectorId: 2,
      status: 'Preparing',
      errorCode: 'NoError',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
  });
});
