/**
 * 1.6 idTags and idTagInfo. A 1.6 idTag is a bare string (CiString20): the protocol does not say
 * whether it is an RFID UID, a PIN or a central token, so its normalized type is `unknown`.
 */
import type { IdToken } from '@voltmesh/contract';
import type { AuthorizeResponse } from '@voltmesh/ocpp/v16';
import type { AuthDecision, HandlerContext, NewEvent } from '../handler-types.js';

export const ID_TAG_TYPE_16 = 'unknown';

/** The schema declares idTagInfo inline in each message; the shape is the same everywhere. */
export type IdTagInfo = AuthorizeResponse['idTagInfo'];

export function idToken16(idTag: string): IdToken {
  return { id: idTag, type: ID_TAG_TYPE_16 };
}

const STATUS = {
  accepted: 'Accepted',
  blocked: 'Blocked',
  expired: 'Expired',
  invalid: 'Invalid',
  concurrent_tx: 'ConcurrentTx',
  // OCPP 1.6 AuthorizationStatus has no Unknown: "Invalid: identifier is unknown".
  unknown: 'Invalid',
} as const satisfies Record<AuthDecision['status'], IdTagInfo['status']>;

export function idTagInfo(decision: AuthDecision): IdTagInfo {
  return {
    status: STATUS[decision.status],
    ...(decision.expiresAt ? { expiryDate: decision.expiresAt.toISOString() } : {}),
    ...(decision.groupId ? { parentIdTag: decision.groupId } : {}),
  };
}

/** Asks the site for a decision and records it as a `token.authorized` event. */
export function authorizeIdTag(idTag: string, ctx: HandlerContext): { info: IdTagInfo; event: NewEvent } {
  const idToken = idToken16(idTag);
  const decision = ctx.state.authorize(idToken);
  return {
    info: idTagInfo(decision),
    event: {
      occurredAt: ctx.clock.now().toISOString(),
      event: { type: 'token.authorized', idToken, status: decision.status, decidedBy: decision.decidedBy },
    },
  };
}
