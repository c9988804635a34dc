/**
 * CALLERROR codes: one internal code set, serialised per OCPP version.
 *
 * OCPP-J 1.6 §4.2.3 and OCPP-J 2.0.1 (Part 4) §4.3 name mostly the same codes with two traps:
 * 1.6 says `FormationViolation` where 2.0.1 says `FormatViolation`, and both keep the misspelt
 * `OccurenceConstraintViolation` (an erratum the spec never fixed; chargers match the literal).
 * 2.0.1 adds `MessageTypeNotSupported` and `RpcFrameworkError`, which 1.6 cannot say.
 * This is the only table: the edge transport serialises every CALLERROR it sends through it.
 */
export const CALL_ERRORS = [
  'not_implemented',
  'not_supported',
  'internal_error',
  'protocol_error',
  'security_error',
  'format_violation',
  'property_constraint_violation',
  'occurrence_constraint_violation',
  'type_constraint_violation',
  'generic_error',
  'message_type_not_supported',
  'rpc_framework_error',
] as const;
export type CallError = (typeof CALL_ERRORS)[number];

export const OCPP_WIRE_VERSIONS = ['ocpp1.6', 'ocpp2.0.1'] as const;
export type OcppWireVersion = (typeof OCPP_WIRE_VERSIONS)[number];

const v16 = {
  not_implemented: 'NotImplemented',
  not_supported: 'NotSupported',
  internal_error: 'InternalError',
  protocol_error: 'ProtocolError',
  security_error: 'SecurityError',
  format_violation: 'FormationViolation',
  property_constraint_violation: 'PropertyConstraintViolation',
  occurrence_constraint_violation: 'OccurenceConstraintViolation',
  type_constraint_violation: 'TypeConstraintViolation',
  generic_error: 'GenericError',
  // 1.6 has no frame-level codes. A frame that cannot be read, or has an unknown message type, does
  // not "conform the PDU structure" (§4.2.3), which 1.6 calls FormationViolation.
  message_type_not_supported: 'FormationViolation',
  rpc_framework_error: 'FormationViolation',
} as const satisfies Record<CallError, string>;

const v201 = {
  not_implemented: 'NotImplemented',
  not_supported: 'NotSupported',
  internal_error: 'InternalError',
  protocol_error: 'ProtocolError',
  security_error: 'SecurityError',
  format_violation: 'FormatViolation',
  property_constraint_violation: 'PropertyConstraintViolation',
  occurrence_constraint_violation: 'OccurenceConstraintViolation',
  type_constraint_violation: 'TypeConstraintViolation',
  generic_error: 'GenericError',
  message_type_not_supported: 'MessageTypeNotSupported',
  rpc_framework_error: 'RpcFrameworkError',
} as const satisfies Record<CallError, string>;

export type CallErrorCode16 = (typeof v16)[CallError];
export type CallErrorCode201 = (typeof v201)[CallError];

const tables = { 'ocpp1.6': v16, 'ocpp2.0.1': v201 } as const satisfies Record<
  OcppWireVersion,
  Record<CallError, string>
>;

/** The wire code for an internal error code in one OCPP version. */
export function callErrorCode(error: CallError, version: OcppWireVersion): string {
  return tables[version][error];
}

/**
 * Reads a CALLERROR code a station sent. Both spellings of the format and occurrence codes are
 * accepted in both versions because chargers in the field mix them up; anything else is `null`.
 */
export function parseCallErrorCode(code: string, version: OcppWireVersion): CallError | null {
  for (const error of CALL_ERRORS) {
    if (tables[version][error] === code) return error;
  }
  if (code === 'FormationViolation' || code === 'FormatViolation') return 'format_violation';
  if (code === 'OccurrenceConstraintViolation' || code === 'OccurenceConstraintViolation') {
    return 'occurrence_constraint_violation';
  }
  return null;
}
