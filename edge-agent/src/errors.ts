/**
 * Errors the edge runtime raises. Each has a stable `code` that logs and tests match on; the
 * outside world sees them only through one mapping per surface (CALLERROR, HTTP status, CommandResult).
 */

export const EDGE_ERROR_CODES = {
  config: 'VM_EDGE_CONFIG',
  outbox: 'VM_EDGE_OUTBOX',
  state: 'VM_EDGE_STATE',
  siteConfig: 'VM_EDGE_SITE_CONFIG',
  transport: 'VM_EDGE_TRANSPORT',
} as const;
export type EdgeErrorCode = (typeof EDGE_ERROR_CODES)[keyof typeof EDGE_ERROR_CODES];

abstract class EdgeError extends Error {
  abstract readonly code: EdgeErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration is missing or malformed; `problems` lists every offending variable. */
export class ConfigError extends EdgeError {
  readonly code = EDGE_ERROR_CODES.config;
  constructor(readonly problems: readonly string[]) {
    super(`invalid edge-agent configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The outbox could not commit; the charger must not get a reply for data it carried. */
export class OutboxError extends EdgeError {
  readonly code = EDGE_ERROR_CODES.outbox;
}

export class StateError extends EdgeError {
  readonly code = EDGE_ERROR_CODES.state;
}

/** A value in the site-config KV bucket does not match its documented shape. */
export class SiteConfigError extends EdgeError {
  readonly code = EDGE_ERROR_CODES.siteConfig;
}

export class TransportError extends EdgeError {
  readonly code = EDGE_ERROR_CODES.transport;
}
