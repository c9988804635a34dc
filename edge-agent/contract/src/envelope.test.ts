import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, EnvelopeError, type Envelope } from './envelope.js';

const valid: Envelope = {
  schemaVersion: 1,
  id: '0192b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b',
  siteId: 'site-1',
  stationId: 'CP-1',
  seq: 3,
  occurredAt: '2026-11-22T10:00:00.000Z',
  receivedAt: '2026-11-22T10:00:00.120Z',
  source: { kind: 'ocpp', ocppVersion: 'ocpp1.6', action: 'StatusNotification', messageId: 'abc' },
  event: {
    type: 'connector.status',
    evseId: 1,
    connectorId: 1,
    status: 'occupied',
    rawStatus: 'Charging',
    errorCode: null,
    vendorErrorCode: null,
    info: null,
  },
};

describe('envelope codec', () => {
  it('round-trips a valid envelope', () => {
    expect(decodeEnvelope(encodeEnvelope(valid))).toEqual(valid);
  });

  it('names each offending field', () => {
    const bad = { ...valid, id: 'not-a-uuid', event: { ...valid.event, status: 'charging' } };
    try {
      decodeEnvelope(Buffer.from(JSON.stringify(bad)));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvelopeError);
      const e = err as EnvelopeError;
      expect(e.code).toBe('VM_ENVELOPE_INVALID');
      expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['id', 'event.status']));
    }
  });

  it('rejects bytes that are not JSON with a clear message', () => {
    expect(() => decodeEnvelope(Buffer.from('{nope'))).toThrow('envelope is not valid JSON');
  });

  it('refuses an unknown event type', () => {
    const bad = { ...valid, event: { type: 'station.exploded' } };
    expect(() => decodeEnvelope(Buffer.from(JSON.stringify(bad)))).toThrow(/event/);
  });
});
