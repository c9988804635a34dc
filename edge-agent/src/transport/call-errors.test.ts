import { describe, expect, it } from 'vitest';
import { rewriteOutgoingFrame, wireErrorCode } from './call-errors.js';

/** Every code ocpp-rpc may put in a CALLERROR it generates. */
const OCPP_RPC_CODES = [
  'GenericError',
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormatViolation',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'MessageTypeNotSupported',
  'RpcFrameworkError',
];

describe('CALLERROR codes per version', () => {
  it('spells format and occurrence violations as each version does', () => {
    expect(wireErrorCode('ocpp1.6', 'FormatViolation')).toBe('FormationViolation');
    expect(wireErrorCode('ocpp2.0.1', 'FormationViolation')).toBe('FormatViolation');
    expect(wireErrorCode('ocpp1.6', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(wireErrorCode('ocpp2.0.1', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
  });

  it('maps codes 1.6 does not have onto ones it does', () => {
    expect(wireErrorCode('ocpp1.6', 'RpcFrameworkError')).toBe('FormationViolation');
    expect(wireErrorCode('ocpp1.6', 'MessageTypeNotSupported')).toBe('FormationViolation');
    expect(wireErrorCode('ocpp2.0.1', 'RpcFrameworkError')).toBe('RpcFrameworkError');
    expect(wireErrorCode('ocpp2.0.1', 'SomethingElse')).toBe('GenericError');
  });

  it('only ever emits codes the version defines', () => {
    const v16 = new Set([
      'NotImplemented',
      'NotSupported',
      'InternalError',
      'ProtocolError',
      'SecurityError',
      'FormationViolation',
      'PropertyConstraintViolation',
      'OccurenceConstraintViolation',
      'TypeConstraintViolation',
      'GenericError',
    ]);
    for (const code of OCPP_RPC_CODES) expect(v16.has(wireErrorCode('ocpp1.6', code))).toBe(true);
  });

  it('rewrites CALLERROR frames, truncates the description, drops echoed details', () => {
    const out = rewriteOutgoingFrame(
      'ocpp1.6',
      JSON.stringify([4, 'm1', 'FormatViolation', 'x'.repeat(400), { data: { secret: 1 } }]),
    );
    const [type, id, code, description, details] = JSON.parse(out) as [
      number,
      string,
      string,
      string,
      unknown,
    ];
    expect([type, id, code, description.length, details]).toEqual([4, 'm1', 'FormationViolation', 255, {}]);
    const result = JSON.stringify([3, 'm2', { status: 'Accepted' }]);
    expect(rewriteOutgoingFrame('ocpp1.6', result)).toBe(result);
  });
});
