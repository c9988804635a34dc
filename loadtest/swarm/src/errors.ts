/**
 * Errors the swarm raises. Each carries a stable `code` so callers (the CLI, the stack runner,
 * benchmarks) can branch on it without parsing messages.
 */
export const SwarmErrorCode = {
  InvalidOptions: 'SWARM_INVALID_OPTIONS',
  InvalidScenario: 'SWARM_INVALID_SCENARIO',
  InvalidFleet: 'SWARM_INVALID_FLEET',
  RemoteTargetRefused: 'SWARM_REMOTE_TARGET_REFUSED',
  TooManyStations: 'SWARM_TOO_MANY_STATIONS',
  UnknownStation: 'SWARM_UNKNOWN_STATION',
  UnknownConnector: 'SWARM_UNKNOWN_CONNECTOR',
  NotConnected: 'SWARM_NOT_CONNECTED',
  Stopped: 'SWARM_STOPPED',
} as const;
export type SwarmErrorCode = (typeof SwarmErrorCode)[keyof typeof SwarmErrorCode];

export class SwarmError extends Error {
  override readonly name: string = 'SwarmError';
  constructor(
    readonly code: SwarmErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidConfigError extends SwarmError {
  override readonly name = 'InvalidConfigError';
  constructor(
    code:
      | typeof SwarmErrorCode.InvalidOptions
      | typeof SwarmErrorCode.InvalidScenario
      | typeof SwarmErrorCode.InvalidFleet,
    message: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(code, `${message}:\n  - ${issues.join('\n  - ')}`, options);
  }
}

export class RemoteTargetRefusedError extends SwarmError {
  override readonly name = 'RemoteTargetRefusedError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      SwarmErrorCode.RemoteTargetRefused,
      `refusing to load-test ${url}: ${reason}. Pass --allow-remote (allowRemote: true) to target it on purpose.`,
    );
  }
}

export class UnknownStationError extends SwarmError {
  override readonly name = 'UnknownStationError';
  constructor(readonly identity: string) {
    super(SwarmErrorCode.UnknownStation, `no simulated station with identity ${JSON.stringify(identity)}`);
  }
}

export class UnknownConnectorError extends SwarmError {
  override readonly name = 'UnknownConnectorError';
  constructor(
    readonly identity: string,
    readonly connectorId: number,
  ) {
    super(SwarmErrorCode.UnknownConnector, `station ${identity} has no connector ${connectorId}`);
  }
}
