/**
 * Registration: what the edge answers a station's BootNotification, and what a station that is not
 * Accepted may still exchange. The decision is a pure function of the site config, the site policy
 * and how the connection authenticated; the per-version message rules are `RegistrationRules`
 * (v16/registration-rules.ts, v201/registration-rules.ts).
 */
import type { SitePolicy, StationEntry } from '@voltmesh/contract';

export type Registration = 'accepted' | 'pending' | 'rejected';

/** How the current connection authenticated (handshake result). */
export interface SessionAuth {
  authenticated: boolean;
  securityProfile: number;
}

export interface RegistrationInput {
  /** The station's `station.*` entry, null when the site config does not list it. */
  entry: StationEntry | null;
  session: SessionAuth;
  policy: SitePolicy;
  /** EDGE_ACCEPT_UNKNOWN_STATIONS (development): unlisted identities are accepted outright. */
  acceptUnknownStations: boolean;
}

/**
 * - unlisted: accepted with EDGE_ACCEPT_UNKNOWN_STATIONS, pending when the policy parks unknown
 *   stations, else rejected (reachable when the policy or the entry changed while it was connected);
 * - listed but `enabled: false`: rejected;
 * - listed and enabled, but this connection did not present the credentials the entry now asks
 *   for (it was admitted unlisted, before the cloud wrote the entry): pending, so the station can
 *   be provisioned and must reconnect with its credentials before it is accepted;
 * - otherwise accepted.
 */
export function decideRegistration(input: RegistrationInput): Registration {
  const { entry, session, policy } = input;
  if (!entry) {
    if (input.acceptUnknownStations) return 'accepted';
    return policy.unknownStations === 'pending' ? 'pending' : 'rejected';
  }
  if (!entry.enabled) return 'rejected';
  const credentialsPresented =
    entry.securityProfile === 0 ||
    (session.authenticated && session.securityProfile >= entry.securityProfile);
  return credentialsPresented ? 'accepted' : 'pending';
}

/**
 * BootNotification `interval`: the heartbeat interval when Accepted; otherwise the minimum wait
 * before the next BootNotification (OCPP 1.6 §4.2; 2.0.1 B02/B03), which is a different setting.
 */
export function bootIntervalS(registration: Registration, policy: SitePolicy): number {
  return registration === 'accepted' ? policy.heartbeatIntervalS : policy.bootRetryIntervalS;
}

/** What one OCPP version allows around a registration that is not Accepted. */
export interface RegistrationRules {
  /** Whether the edge may send this CSMS→CS action to a station whose registration is Pending. */
  mayCallWhilePending(action: string): boolean;
  /**
   * The charger actions a CSMS→CS CALL instructs the station to send (TriggerMessage's requested
   * message, a report request's NotifyReport). A Pending station may send those.
   */
  solicitedBy(action: string, payload: Readonly<Record<string, unknown>>): readonly string[];
}
