/**
 * Every CALLERROR the edge sends passes through here on its way out: ocpp-rpc names its errors with
 * 2.0.1-style codes whatever the connection's version, so each code is read into the internal code
 * set of @voltmesh/ocpp and written back through that package's per-version table (OCPP-J 1.6
 * §4.2.3, 2.0.1 §4.3) — the one table there is.
 */
import type { OcppVersion } from '@voltmesh/contract';
import { callErrorCode, parseCallErrorCode } from '@voltmesh/ocpp';

const MAX_DESCRIPTION = 255;

/** The code to send on a connection of `version` for an error ocpp-rpc (or a handler) named `code`. */
export function wireErrorCode(version: OcppVersion, code: string): string {
  // ocpp-rpc also uses the correctly spelt OccurrenceConstraintViolation, which neither version has.
  const internal =
    parseCallErrorCode(code, 'ocpp2.0.1') ?? parseCallErrorCode(code, 'ocpp1.6') ?? 'generic_error';
  return callErrorCode(internal, version);
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
