import { describe, expect, it } from 'vitest';
import { CALL_ERRORS, callErrorCode, parseCallErrorCode } from './call-error.js';

describe('callErrorCode', () => {
  it('uses FormationViolation in 1.6 and FormatViolation in 2.0.1', () => {
    expect(callErrorCode('format_violation', 'ocpp1.6')).toBe('FormationViolation');
    expect(callErrorCode('format_violation', 'ocpp2.0.1')).toBe('FormatViolation');
  });

  it('keeps the errata spelling OccurenceConstraintViolation in both versions', () => {
    expect(callErrorCode('occurrence_constraint_violation', 'ocpp1.6')).toBe('OccurenceConstraintViolation');
    expect(callErrorCode('occurrence_constraint_violation', 'ocpp2.0.1')).toBe(
      'OccurenceConstraintViolation',
    );
  });

  it('serialises every internal code to a code the version defines', () => {
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
    const v201 = new Set([
      'FormatViolation',
      'GenericError',
      'InternalError',
      'MessageTypeNotSupported',
      'NotImplemented',
      'NotSupported',
      'OccurenceConstraintViolation',
      'PropertyConstraintViolation',
      'ProtocolError',
      'RpcFrameworkError',
      'SecurityError',
      'TypeConstraintViolation',
    ]);
    for (const error of CALL_ERRORS) {
      expect(v16.has(callErrorCode(error, 'ocpp1.6'))).toBe(true);
      expect(v201.has(callErrorCode(error, 'ocpp2.0.1'))).toBe(true);
    }
  });

  it('says FormationViolation in 1.6 for the frame-level codes only 2.0.1 has', () => {
    expect(callErrorCode('message_type_not_supported', 'ocpp1.6')).toBe('FormationViolation');
    expect(callErrorCode('rpc_framework_error', 'ocpp1.6')).toBe('FormationViolation');
    expect(callErrorCode('rpc_framework_error', 'ocpp2.0.1')).toBe('RpcFrameworkError');
  });
});

describe('parseCallErrorCode', () => {
  it('round-trips every code that has its own wire name', () => {
    for (const error of CALL_ERRORS) {
      expect(parseCallErrorCode(callErrorCode(error, 'ocpp2.0.1'), 'ocpp2.0.1')).toBe(error);
    }
  });

  it('accepts the other version spelling and the corrected spelling', () => {
    expect(parseCallErrorCode('FormatViolation', 'ocpp1.6')).toBe('format_violation');
    expect(parseCallErrorCode('FormationViolation', 'ocpp2.0.1')).toBe('format_violation');
    expect(parseCallErrorCode('OccurrenceConstraintViolation', 'ocpp1.6')).toBe(
      'occurrence_constraint_violation',
    );
  });

  it('returns null for codes no version defines', () => {
    expect(parseCallErrorCode('Whatever', 'ocpp1.6')).toBeNull();
  });
});
