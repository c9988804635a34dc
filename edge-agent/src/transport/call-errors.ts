/**
 * CALLERROR codes per OCPP version. Internally we use ocpp-rpc's codes; on the wire each version
 * gets its own spelling (OCPP-J 1.6 §4.2.3 and 2.0.1 §4.3): 1.6 `FormationViolation`, 2.0.1
 * `FormatViolation`, both the errata spelling `OccurenceConstraintViolation`. 1.6 has no
 * `RpcFrameworkError` / `MessageTypeNotSupported`; an unreadable frame is a `FormationViolation` there.
 */
import type { OcppVersion } from '@voltmesh/contract';

export const INTERNAL_CALL_ERROR_CODES = [
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
] as const;
export type InternalCallErrorCode = (typeof INTERNAL_CALL_ERROR_CODES)[number];

const V16: Record<InternalCallErrorCode, string> = {
  GenericError: 'GenericError',
  NotImplemented: 'NotImplemented',
  NotSupported: 'NotSupported',
  InternalError: 'InternalError',
  ProtocolError: 'ProtocolError',
  SecurityError: 'SecurityError',
  FormatViolation: 'FormationViolation',
  FormationViolation: 'FormationViolation',
  PropertyConstraintViolation: 'PropertyConstraintViolation',
  OccurenceConstraintViolation: 'OccurenceConstraintViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  TypeConstraintViolation: 'TypeConstraintViolation',
  MessageTypeNotSupported: 'FormationViolation',
  RpcFrameworkError: 'FormationViolation',
};

const V201: Record<InternalCallErrorCode, string> = {
  GenericError: 'GenericError',
  NotImplemented: 'NotImplemented',
  NotSupported: 'NotSupported',
  InternalError: 'InternalError',
  ProtocolError: 'ProtocolError',
  SecurityError: 'SecurityError',
  FormatViolation: 'FormatViolation',
  FormationViolation: 'FormatViolation',
  PropertyConstraintViolation: 'PropertyConstraintViolation',
  OccurenceConstraintViolation: 'OccurenceConstraintViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  TypeConstraintViolation: 'TypeConstraintViolation',
  MessageTypeNotSupported: 'MessageTypeNotSupported',
  RpcFrameworkError: 'RpcFrameworkError',
};

const TABLES: Record<OcppVersion, Record<InternalCallErrorCode, string>> = {
  'ocpp1.6': V16,
  'ocpp2.0.1': V201,
};

const MAX_DESCRIPTION = 255;

export function wireErrorCode(version: OcppVersion, code: string): string {
  const table = TABLES[version];
  return (table as Record<string, string | undefined>)[code] ?? 'GenericError';
}

/**
 * Rewrites an outgoing CALLERROR frame for the connection's version: the code through the table,
 * the description cut to the spec's 255 characters and the details emptied (ocpp-rpc would echo
 * the offending payload back). Any other frame is returned unchanged.
 */
export function rewriteOutgoingFrame(version: OcppVersion, frame: string): string {
  if (!frame.startsWith('[4,')) return frame;
  const parsed = JSON.parse(frame) as [4, string, string, string, unknown];
  const [, messageId, code, description] = parsed;
  return JSON.stringify([
    4,
    messageId,
    wireErrorCode(version, code),
    String(description ?? '').slice(0, MAX_DESCRIPTION),
    {},
  ]);
}
